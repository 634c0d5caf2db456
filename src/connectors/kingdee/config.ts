// Kingdee connection settings: one zod schema, parsed once by the CLI or worker start-up and passed in typed.
import { z } from 'zod';
import { DEFAULT_MAX_REPLY_BYTES, megabytesFromEnv } from '../../lib/capped-body';

/**
 * The longest request timeout allowed: a retried write waits out one request, reads, and writes again, and
 * all three must fit in the write activity's start-to-close (7 minutes, temporal/kingdee-timeouts.ts).
 */
export const MAX_REQUEST_TIMEOUT_MS = 120_000;

export const KINGDEE_AUTH_MODES = ['validate-user', 'app-secret', 'sign', 'signed-header'] as const;
export type KingdeeAuthMode = (typeof KINGDEE_AUTH_MODES)[number];

export const KingdeeConfig = z
  .object({
    /** Site root, e.g. `http://erp.example.com/k3cloud/`; a missing trailing slash is added. */
    baseUrl: z
      .url({ protocol: /^https?$/ })
      .refine((u) => !u.toLowerCase().includes('.kdsvc'), 'baseUrl is the site root (…/k3cloud/), not an operation URL')
      .transform((u) => (u.endsWith('/') ? u : `${u}/`)),
    acctId: z.string().min(1),
    username: z.string().min(1),
    password: z.string().optional(),
    appId: z.string().optional(),
    appSecret: z.string().optional(),
    lcid: z.number().int().positive().default(2052),
    /** Organisation number sent in the signed-header app data (the SDK's orgNum; 0 = none). */
    orgNum: z.number().int().nonnegative().default(0),
    authMode: z.enum(KINGDEE_AUTH_MODES).default('validate-user'),
    /** LoginBySign hash: servers before patch PT-146911 expect SHA-1. */
    signAlgorithm: z.enum(['sha256', 'sha1']).default('sha256'),
    /** In-flight calls per user; the server queues each user's calls anyway. */
    maxConcurrency: z.number().int().positive().default(4),
    /** Per-request timeout (headers and body). Generous: cutting a write short does not stop it. */
    requestTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(MAX_REQUEST_TIMEOUT_MS, `at most ${MAX_REQUEST_TIMEOUT_MS} ms: a retried write waits out one request and must still finish inside its activity's timeout`)
      .default(120_000),
    /** Largest reply body read (KINGDEE_MAX_REPLY_MB); a larger one fails the call instead of filling memory. */
    maxReplyBytes: z.number().int().positive().default(DEFAULT_MAX_REPLY_BYTES),
  })
  .superRefine((c, ctx) => {
    if (c.authMode === 'validate-user' && !c.password) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'password is required for authMode validate-user' });
    }
    if (c.authMode !== 'validate-user') {
      for (const key of ['appId', 'appSecret'] as const) {
        if (!c[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required for authMode ${c.authMode}` });
      }
    }
  });
export type KingdeeConfig = z.output<typeof KingdeeConfig>;
export type KingdeeConfigInput = z.input<typeof KingdeeConfig>;

export class KingdeeConfigError extends Error {
  override readonly name = 'KingdeeConfigError';
}

const ENV = {
  baseUrl: 'KINGDEE_BASE_URL',
  acctId: 'KINGDEE_ACCT_ID',
  username: 'KINGDEE_USERNAME',
  password: 'KINGDEE_PASSWORD',
  appId: 'KINGDEE_APP_ID',
  appSecret: 'KINGDEE_APP_SECRET',
  lcid: 'KINGDEE_LCID',
  orgNum: 'KINGDEE_ORG_NUM',
  authMode: 'KINGDEE_AUTH_MODE',
  signAlgorithm: 'KINGDEE_SIGN_ALGORITHM',
  maxConcurrency: 'KINGDEE_MAX_CONCURRENCY',
  requestTimeoutMs: 'KINGDEE_TIMEOUT_MS',
} as const;

const NUMERIC = new Set<keyof typeof ENV>(['lcid', 'orgNum', 'maxConcurrency', 'requestTimeoutMs']);
const INTEGER_EXAMPLES: Partial<Record<keyof typeof ENV, number>> = { lcid: 2052, orgNum: 0, maxConcurrency: 4, requestTimeoutMs: 120000 };

/**
 * Reads the KINGDEE_* variables. Errors name the variables (never their values, which may be secrets).
 * KINGDEE_AUTH_MODE: validate-user (default, needs KINGDEE_PASSWORD) | app-secret | sign | signed-header
 * (these need KINGDEE_APP_ID and KINGDEE_APP_SECRET).
 */
export function kingdeeConfigFromEnv(env: Record<string, string | undefined>): KingdeeConfig {
  const raw: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [key, name] of Object.entries(ENV) as Array<[keyof typeof ENV, string]>) {
    const value = env[name]?.trim();
    if (value === undefined || value === '') continue;
    if (NUMERIC.has(key)) {
      const n = Number(value);
      if (Number.isInteger(n)) raw[key] = n;
      else problems.push(`${name} must be an integer (got ${JSON.stringify(value)}), for example ${name}=${INTEGER_EXAMPLES[key]}`);
    } else {
      raw[key] = value;
    }
  }
  try {
    const maxReplyBytes = megabytesFromEnv(env, 'KINGDEE_MAX_REPLY_MB');
    if (maxReplyBytes !== undefined) raw.maxReplyBytes = maxReplyBytes;
  } catch (err) {
    problems.push((err as Error).message);
  }
  const mode = raw.authMode ?? 'validate-user';
  const needed: Array<keyof typeof ENV> = ['baseUrl', 'acctId', 'username', ...(mode === 'validate-user' ? (['password'] as const) : (['appId', 'appSecret'] as const))];
  const missing = needed.filter((key) => raw[key] === undefined).map((key) => ENV[key]);
  const parsed = KingdeeConfig.safeParse(raw);
  if (parsed.success && problems.length === 0) return parsed.data;
  for (const issue of parsed.success ? [] : parsed.error.issues) {
    const key = issue.path[0] as keyof typeof ENV | undefined;
    if (key !== undefined && raw[key] === undefined) continue; // reported as missing
    problems.push(`${key && key in ENV ? ENV[key] : 'KINGDEE_*'}: ${issue.message}`);
  }
  const parts = [];
  if (missing.length > 0) parts.push(`missing ${missing.join(', ')}${mode === 'validate-user' ? '' : ` (KINGDEE_AUTH_MODE=${String(mode)})`}`);
  parts.push(...problems);
  throw new KingdeeConfigError(`Kingdee configuration: ${parts.join('; ')}`);
}
