// Connector configuration, validated once at start-up. Only jushuitanConfigFromEnv reads the environment,
// and only when a CLI or worker entry point calls it.
import { z } from 'zod';
import { DEFAULT_MAX_REPLY_BYTES, megabytesFromEnv } from '../../lib/capped-body';

const positiveInt = z.number().int().positive();

export const rateLimitsSchema = z.object({
  /** Calls allowed in any sliding 1-second window (the API answers 199 above about 5). */
  perSecond: positiveInt.default(5),
  /** Calls allowed in any sliding 60-second window (the API answers 200 above about 100). */
  perMinute: positiveInt.default(100),
  /** Added to both windows so arrival jitter on the wire cannot push the server over its limit. */
  marginMs: z.number().int().nonnegative().default(50),
});
export type RateLimits = z.infer<typeof rateLimitsSchema>;

export const retryPolicySchema = z.object({
  /** Attempts per call for retryable failures (the first call included). */
  maxAttempts: positiveInt.default(5),
  /** First back-off for network errors, HTTP 5xx and malformed bodies; doubles per attempt. */
  baseDelayMs: z.number().nonnegative().default(500),
  maxDelayMs: z.number().nonnegative().default(30_000),
  /** First back-off after a 199 (per-second limit); doubles per attempt. */
  perSecondLimitDelayMs: z.number().nonnegative().default(1_000),
  /** Back-off after a 200 (per-minute limit): the whole 60-second window. */
  perMinuteLimitDelayMs: z.number().nonnegative().default(60_000),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const jushuitanConfigSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  appKey: z.string().min(1),
  appSecret: z.string().min(1),
  accessToken: z.string().min(1),
  /** Without it a code 100 cannot be healed and fails at once. */
  refreshToken: z.string().min(1).optional(),
  limits: rateLimitsSchema.default(rateLimitsSchema.parse({})),
  retry: retryPolicySchema.default(retryPolicySchema.parse({})),
  timeoutMs: positiveInt.default(30_000),
  /** Largest reply body read (JST_MAX_REPLY_MB); a larger one fails the call instead of filling memory. */
  maxReplyBytes: positiveInt.default(DEFAULT_MAX_REPLY_BYTES),
});
export type JushuitanConfig = z.infer<typeof jushuitanConfigSchema>;
export type JushuitanConfigInput = z.input<typeof jushuitanConfigSchema>;

/** Validates a config; the error names the offending fields but never echoes their values (secrets). */
export function parseJushuitanConfig(input: JushuitanConfigInput): JushuitanConfig {
  const result = jushuitanConfigSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  throw new Error(`invalid Jushuitan config: ${problems.join('; ')}`);
}

const REQUIRED_ENV = ['JST_BASE_URL', 'JST_APP_KEY', 'JST_APP_SECRET', 'JST_ACCESS_TOKEN'] as const;

const NUMBER_EXAMPLES: Record<string, number> = { JST_RATE_PER_SECOND: 5, JST_RATE_PER_MINUTE: 100, JST_TIMEOUT_MS: 30000, JST_MAX_ATTEMPTS: 5 };

function optionalNumber(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`environment variable ${name} must be a number (got ${JSON.stringify(text)}), for example ${name}=${NUMBER_EXAMPLES[name] ?? 5}`);
  return value;
}

/** Config field path → the variable it comes from, so errors name what the operator set. */
const ENV_OF_FIELD: Record<string, string> = {
  baseUrl: 'JST_BASE_URL', appKey: 'JST_APP_KEY', appSecret: 'JST_APP_SECRET', accessToken: 'JST_ACCESS_TOKEN',
  refreshToken: 'JST_REFRESH_TOKEN', 'limits.perSecond': 'JST_RATE_PER_SECOND', 'limits.perMinute': 'JST_RATE_PER_MINUTE',
  timeoutMs: 'JST_TIMEOUT_MS', 'retry.maxAttempts': 'JST_MAX_ATTEMPTS', maxReplyBytes: 'JST_MAX_REPLY_MB',
};

/**
 * Reads JST_BASE_URL, JST_APP_KEY, JST_APP_SECRET, JST_ACCESS_TOKEN (required), JST_REFRESH_TOKEN and the
 * optional tuning variables JST_RATE_PER_SECOND, JST_RATE_PER_MINUTE, JST_TIMEOUT_MS, JST_MAX_ATTEMPTS, JST_MAX_REPLY_MB.
 * Errors name the variables, never their values (secrets).
 */
export function jushuitanConfigFromEnv(env: NodeJS.ProcessEnv): JushuitanConfig {
  const missing = REQUIRED_ENV.filter((name) => !env[name]);
  if (missing.length > 0) throw new Error(`missing environment variable(s) for Jushuitan: ${missing.join(', ')}`);
  const result = jushuitanConfigSchema.safeParse({
    baseUrl: env.JST_BASE_URL!,
    appKey: env.JST_APP_KEY!,
    appSecret: env.JST_APP_SECRET!,
    accessToken: env.JST_ACCESS_TOKEN!,
    refreshToken: env.JST_REFRESH_TOKEN || undefined,
    limits: { perSecond: optionalNumber(env, 'JST_RATE_PER_SECOND'), perMinute: optionalNumber(env, 'JST_RATE_PER_MINUTE') },
    retry: { maxAttempts: optionalNumber(env, 'JST_MAX_ATTEMPTS') },
    timeoutMs: optionalNumber(env, 'JST_TIMEOUT_MS'),
    maxReplyBytes: megabytesFromEnv(env, 'JST_MAX_REPLY_MB'),
  });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const field = issue.path.join('.');
    const variable = ENV_OF_FIELD[field];
    return `${variable ? `${variable} (${field})` : field || 'JST_*'}: ${issue.message}`;
  });
  throw new Error(`invalid Jushuitan configuration: ${problems.join('; ')}`);
}
