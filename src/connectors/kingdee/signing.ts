// Kingdee signatures (kingdee-webapi.md §2.3, §2.4). Pure functions: the client signs with them and the
// simulator verifies with them; the test vectors of the protocol reference pin both.
import { createHash, createHmac } from 'node:crypto';

/** LoginBySign `sign`: hex SHA-256 (SHA-1 on servers before PT-146911) of the ordinally sorted parts, concatenated. */
export function loginSign(
  parts: { acctId: string; userName: string; appId: string; appSecret: string; timestamp: string },
  algorithm: 'sha256' | 'sha1' = 'sha256',
): string {
  const sorted = [parts.acctId, parts.userName, parts.appId, parts.appSecret, parts.timestamp].sort();
  return createHash(algorithm).update(sorted.join(''), 'utf8').digest('hex');
}

/** `kdSign(msg, key)`: base64 of the lowercase hex *text* of HMAC-SHA256 (88 characters). */
export function kdSign(message: string, key: string): string {
  const hex = createHmac('sha256', Buffer.from(key, 'utf8')).update(message, 'utf8').digest('hex');
  return Buffer.from(hex, 'utf8').toString('base64');
}

const GATEWAY_XOR_KEY = Buffer.from('0054f397c6234378b09ca7d3e5debce7', 'ascii');

/** The public-gateway secret derived from the AppId (the SDK uses "" when the part after `_` is not 32 chars). */
export function gatewaySecret(appId: string): string {
  const tail = appId.slice(appId.indexOf('_') + 1);
  if (!appId.includes('_') || tail.length !== 32) return '';
  const bytes = Buffer.from(tail, 'base64');
  const mixed = Buffer.from(bytes.map((b, i) => b ^ (GATEWAY_XOR_KEY[i] ?? 0)));
  return mixed.toString('base64');
}

/** The request path the SDK signs: the URL from the first `/` at index 10 or later. */
export function signedPath(url: string): string {
  const at = url.indexOf('/', 10);
  return at < 0 ? '/' : url.slice(at);
}

export interface SignedHeaderIdentity {
  acctId: string;
  userName: string;
  appId: string;
  appSecret: string;
  lcid: number;
  orgNum: number;
}

export function appData(identity: Pick<SignedHeaderIdentity, 'acctId' | 'userName' | 'lcid' | 'orgNum'>): string {
  return [identity.acctId, identity.userName, String(identity.lcid), String(identity.orgNum)].join(',');
}

/** `X-Kd-Signature`: what on-prem servers check against the stored AppSecret. */
export function kdAppSignature(appId: string, plainAppData: string, appSecret: string): string {
  return kdSign(appId + plainAppData, appSecret);
}

/** `X-Api-Signature`: what Kingdee's public gateway checks. */
export function apiSignature(url: string, timestamp: string, nonce: string, appId: string): string {
  const encPath = encodeURIComponent(signedPath(url));
  const toSign = `POST\n${encPath}\n\nx-api-nonce:${nonce}\nx-api-timestamp:${timestamp}\n`;
  return kdSign(toSign, gatewaySecret(appId));
}

/** All headers of the SDK signed-header scheme for one request; `timestampSeconds` doubles as the nonce. */
export function signedHeaders(url: string, identity: SignedHeaderIdentity, timestampSeconds: number): Record<string, string> {
  const timestamp = String(Math.floor(timestampSeconds));
  const data = appData(identity);
  const underscore = identity.appId.indexOf('_');
  return {
    'X-Api-ClientID': underscore < 0 ? identity.appId : identity.appId.slice(0, underscore),
    'X-Api-Auth-Version': '2.0',
    'x-api-timestamp': timestamp,
    'x-api-nonce': timestamp,
    'x-api-signheaders': 'x-api-timestamp,x-api-nonce',
    'X-Api-Signature': apiSignature(url, timestamp, timestamp, identity.appId),
    'X-Kd-Appkey': identity.appId,
    'X-Kd-Appdata': Buffer.from(data, 'utf8').toString('base64'),
    'X-Kd-Signature': kdAppSignature(identity.appId, data, identity.appSecret),
  };
}
