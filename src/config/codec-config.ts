// Payload-encryption settings, from the environment, validated once at start-up.
//   ERP_BRIDGE_CODEC_KEYS          keyId:base64Key[,keyId:base64Key...]  first = current (encrypts), rest = previous
//                                  (decrypt only). Unset or blank: encryption off. Generate a key: openssl rand -base64 32
//   ERP_BRIDGE_CODEC_CORS_ORIGINS  origins allowed to call the codec server (the Temporal Web UI's origin)
//   ERP_BRIDGE_CODEC_AUTH_TOKEN    bearer token callers must send (temporal CLI: --codec-auth "Bearer <token>")
//   ERP_BRIDGE_CODEC_JWKS_URL      JWKS of the Web UI's SSO provider: its access tokens are accepted
//   ERP_BRIDGE_CODEC_JWT_ISSUER, ERP_BRIDGE_CODEC_JWT_AUDIENCE   optional claims those tokens must carry
//   ERP_BRIDGE_CODEC_HOST          interface the codec server listens on (default 127.0.0.1; others need auth)
// Error messages name the entry number and key id, never the key text: an entry that fails to parse may well be a key.
import { z } from 'zod';
import type { CodecAuthConfig } from '../temporal/codec/codec-auth';
import { KEY_BYTES, Keyring, type RawEncryptionKey } from '../temporal/codec/keyring';

export const DEFAULT_CODEC_CORS_ORIGINS = ['http://localhost:8233', 'http://127.0.0.1:8233'];

export interface CodecConfig {
  /** Absent when encryption is off. */
  keyring?: Keyring;
  corsOrigins: string[];
  /** Empty when no authentication is configured (then the server listens on loopback only). */
  auth: CodecAuthConfig;
  host: string;
}

const MIN_TOKEN_LENGTH = 16;
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v?.trim() ? v.trim() : undefined));

export class CodecConfigError extends Error {
  override name = 'CodecConfigError';
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function parseKeyEntries(value: string, ctx: z.RefinementCtx): RawEncryptionKey[] {
  const keys: RawEncryptionKey[] = [];
  const entryOfId = new Map<string, number>();
  value.split(',').forEach((rawEntry, index) => {
    const entry = rawEntry.trim();
    if (entry === '') return; // tolerate a trailing comma
    const n = index + 1;
    const problem = (message: string) => ctx.addIssue({ code: 'custom', message: `entry ${n}: ${message}` });
    const colon = entry.indexOf(':');
    if (colon < 0) return problem('expected keyId:base64Key');
    const id = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    // An invalid id is not echoed: a reversed "key:id" entry would put the key there.
    if (!KEY_ID.test(id)) return problem('key id must be 1-64 characters of letters, digits, ".", "_" or "-"');
    const where = `key id "${id}"`;
    const previous = entryOfId.get(id);
    if (previous !== undefined) return problem(`${where} is already used by entry ${previous}; key ids must be unique`);
    entryOfId.set(id, n);
    if (!STRICT_BASE64.test(encoded)) return problem(`${where}: key is not valid base64`);
    const material = Buffer.from(encoded, 'base64');
    if (material.length !== KEY_BYTES) {
      return problem(`${where}: key decodes to ${material.length} bytes; AES-256 needs ${KEY_BYTES} (openssl rand -base64 32)`);
    }
    keys.push({ id, material });
  });
  return keys;
}

function parseOrigins(value: string, ctx: z.RefinementCtx): string[] {
  const origins: string[] = [];
  for (const raw of value.split(',')) {
    const candidate = raw.trim().replace(/\/+$/, '');
    if (candidate === '') continue;
    let origin: string | undefined;
    try {
      const url = new URL(candidate);
      if ((url.protocol === 'http:' || url.protocol === 'https:') && url.origin === candidate) origin = url.origin;
    } catch {
      /* reported below */
    }
    if (origin) origins.push(origin);
    else ctx.addIssue({ code: 'custom', message: `${JSON.stringify(raw.trim())} is not an origin such as https://temporal.example.com (scheme://host[:port], no path)` });
  }
  return origins;
}

const CodecEnvSchema = z.object({
  ERP_BRIDGE_CODEC_KEYS: z
    .string()
    .optional()
    .transform((value, ctx) => (value?.trim() ? parseKeyEntries(value, ctx) : [])),
  ERP_BRIDGE_CODEC_CORS_ORIGINS: z
    .string()
    .optional()
    .transform((value, ctx) => (value?.trim() ? parseOrigins(value, ctx) : DEFAULT_CODEC_CORS_ORIGINS)),
  // The token is never echoed: only its length is reported.
  ERP_BRIDGE_CODEC_AUTH_TOKEN: optionalText.refine((v) => v === undefined || v.length >= MIN_TOKEN_LENGTH, {
    message: `must be at least ${MIN_TOKEN_LENGTH} characters (e.g. ERP_BRIDGE_CODEC_AUTH_TOKEN=$(openssl rand -hex 32))`,
  }),
  ERP_BRIDGE_CODEC_JWKS_URL: optionalText.refine((v) => v === undefined || /^https:\/\/|^http:\/\/(localhost|127\.0\.0\.1)[:/]/.test(v), {
    message: 'must be an https:// URL of the identity provider\'s key set, e.g. https://login.example.com/.well-known/jwks.json',
  }),
  ERP_BRIDGE_CODEC_JWT_ISSUER: optionalText,
  ERP_BRIDGE_CODEC_JWT_AUDIENCE: optionalText,
  ERP_BRIDGE_CODEC_HOST: optionalText.refine((v) => v === undefined || /^[A-Za-z0-9.:-]+$/.test(v), {
    message: 'must be an interface address such as 127.0.0.1 or 0.0.0.0',
  }),
});

export function codecConfigFromEnv(env: NodeJS.ProcessEnv = process.env): CodecConfig {
  const parsed = CodecEnvSchema.safeParse(env);
  if (!parsed.success) {
    // Only our own messages go out: zod issues could carry the input if someone turned reportInput on.
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new CodecConfigError(`invalid payload-encryption configuration:\n${problems}`);
  }
  const d = parsed.data;
  const auth: CodecAuthConfig = {
    token: d.ERP_BRIDGE_CODEC_AUTH_TOKEN,
    jwksUrl: d.ERP_BRIDGE_CODEC_JWKS_URL,
    jwtIssuer: d.ERP_BRIDGE_CODEC_JWT_ISSUER,
    jwtAudience: d.ERP_BRIDGE_CODEC_JWT_AUDIENCE,
  };
  return {
    keyring: d.ERP_BRIDGE_CODEC_KEYS.length > 0 ? new Keyring(d.ERP_BRIDGE_CODEC_KEYS) : undefined,
    corsOrigins: d.ERP_BRIDGE_CODEC_CORS_ORIGINS,
    auth,
    host: d.ERP_BRIDGE_CODEC_HOST ?? '127.0.0.1',
  };
}
