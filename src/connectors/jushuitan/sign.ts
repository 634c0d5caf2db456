// Jushuitan v2 signing (jushuitan-refund-api.md §2): md5 of app_secret followed by key+value of every
// non-empty parameter except `sign`, keys in code-unit order, no separators; lowercase hex.
// `biz` is hashed as the exact string sent; the body is form-encoded only after signing.
import { createHash } from 'node:crypto';

export type SignableParams = Readonly<Record<string, string | null | undefined>>;

export function jstSign(params: SignableParams, appSecret: string): string {
  const source = Object.keys(params)
    .filter((key) => key !== 'sign' && params[key] != null && params[key] !== '')
    .sort() // keys are ASCII, so code-unit order is the documented order
    .reduce((acc, key) => acc + key + params[key], appSecret);
  return createHash('md5').update(source, 'utf8').digest('hex');
}

/** The form body of a signed call: the fields plus their sign, form-encoded after signing. */
export function signedFormBody(fields: Readonly<Record<string, string>>, appSecret: string): string {
  return new URLSearchParams({ ...fields, sign: jstSign(fields, appSecret) }).toString();
}
