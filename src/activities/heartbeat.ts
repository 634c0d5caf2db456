import { heartbeat } from '@temporalio/activity';

/** How often long calls heartbeat; the workflows set a heartbeat timeout of 30 s on these activities. */
export const HEARTBEAT_EVERY_MS = 5_000;

/**
 * Runs `fn` while heartbeating: if this worker dies mid-call, Temporal retries the activity after the
 * heartbeat timeout (seconds) rather than after the whole start-to-close timeout (minutes).
 */
export async function whileHeartbeating<T>(fn: () => Promise<T>): Promise<T> {
  const beating = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
  try {
    return await fn();
  } finally {
    clearInterval(beating);
  }
}

/** The same activities, each running under `whileHeartbeating`. */
export function heartbeatingAll<T extends Record<string, (input: never) => Promise<unknown>>>(activities: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(activities)) wrapped[name] = (input: never) => whileHeartbeating(() => fn(input));
  return wrapped as T;
}
