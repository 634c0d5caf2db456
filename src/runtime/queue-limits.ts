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
  // Each burst size b allows a rate of at most b (the burst is ⌈rate⌉), perSecond − b, and (perMinute − b − reserved) / 60:
  // the best over every b. (Iterating from the per-second rate instead collapsed to nothing when perSecond × 60 ≤
  // perMinute: a burst as large as the whole second left no rate, and a queue crawled at the floor.)
  let best = 0;
  for (let burst = 1; burst <= Math.floor(limits.perSecond); burst++) {
    const rate = Math.min(burst, limits.perSecond - burst, (limits.perMinute - burst - RESERVED_PER_MINUTE) / 60);
    best = Math.max(best, rate);
  }
  // A budget too small for the bucket's burst still gets a trickle: one call every 10 s at least.
  return Math.max(best, 0.1);
}
