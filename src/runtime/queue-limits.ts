// The task-queue limits a worker declares, derived from the external systems' budgets.
import type { RateLimits } from '../connectors/jushuitan';

/** Calls per minute left out of the Jushuitan queue's rate for calls an activity may add (a token refresh). */
const RESERVED_PER_MINUTE = 1;

/**
 * The server-side activity rate for the Jushuitan queue: at most one call per activity, for all workers together.
 * Temporal's task-queue limiter is a token bucket whose burst is ⌈rate⌉ dispatches, so the rate is chosen such that
 * burst + rate × window stays inside both of Jushuitan's windows (per second and per minute).
 */
export function jushuitanActivitiesPerSecond(limits: Pick<RateLimits, 'perSecond' | 'perMinute'>): number {
  let rate = Math.min(limits.perSecond, limits.perMinute / 60);
  for (let i = 0; i < 3; i++) {
    const burst = Math.max(1, Math.ceil(rate));
    rate = Math.min(limits.perSecond - burst, (limits.perMinute - burst - RESERVED_PER_MINUTE) / 60, rate);
    if (rate <= 0) break;
  }
  // A budget too small for the bucket's burst still gets a trickle: one call every 10 s at least.
  return Math.max(rate, 0.1);
}
