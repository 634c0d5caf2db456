// Batching configuration (kingdee-batching.md §3.1): bills per Kingdee call and how long a lone bill may wait
// for company. Read from KINGDEE_BATCH_SIZE and KINGDEE_BATCH_LINGER_MS; errors name the variable.
import { z } from 'zod';

export const MAX_LINGER_MS = 250;

export const BatchingConfig = z.object({
  /** Bills per BatchSave / Submit / Audit call: 1–50, default 20. */
  batchSize: z.number().int().min(1).max(50).default(20),
  /** How long the first bill of a batch waits for more before the call goes out (ms, 0–250, default 100). */
  lingerMs: z.number().int().min(0).max(MAX_LINGER_MS).default(100),
  /** Kingdee sessions (logins) writing side by side, one write call in flight on each (§3.2): 1–8, default 1. */
  sessions: z.number().int().min(1).max(8).default(1),
});
export type BatchingConfig = z.infer<typeof BatchingConfig>;
export type BatchingConfigInput = z.input<typeof BatchingConfig>;

export class BatchingConfigError extends Error {
  override readonly name = 'BatchingConfigError';
}

const ENV = { batchSize: 'KINGDEE_BATCH_SIZE', lingerMs: 'KINGDEE_BATCH_LINGER_MS', sessions: 'KINGDEE_BATCH_SESSIONS' } as const;

export function batchingConfigFromEnv(env: Record<string, string | undefined>): BatchingConfig {
  const input: Record<string, number> = {};
  const problems: string[] = [];
  for (const [key, name] of Object.entries(ENV)) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw);
    if (!Number.isInteger(n)) problems.push(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
    else input[key] = n;
  }
  const parsed = BatchingConfig.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) problems.push(`${ENV[issue.path[0] as keyof typeof ENV] ?? 'Kingdee batching'}: ${issue.message}`);
  }
  if (problems.length > 0) throw new BatchingConfigError(`Kingdee batching configuration: ${problems.join('; ')}`);
  return parsed.data!;
}
