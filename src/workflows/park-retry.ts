// Which parks time can fix, and when to try again. Pure: the workflow uses it, tests check it alone.
// A missing reference (customer, material, source outbound line) appears when base data or another flow catches
// up; a system that stayed down through every retry comes back. Data errors (mapping, over-return, validation)
// need a newer record or an operator, so they never retry by themselves.
import { reasonCategory } from '../temporal/reason-category';

/** The first wait comes from ERP_BRIDGE_PARK_RETRY (via the parkRetryPolicy activity); this is its default. */
export const DEFAULT_PARK_RETRY_MS = 5 * 60_000;
/** Each wait doubles up to this. */
export const MAX_PARK_RETRY_MS = 6 * 3600_000;
/** Automatic retries stop once this much waiting has been spent; then an alert, and the refund waits for an operator. */
export const PARK_RETRY_GIVE_UP_MS = 7 * 86_400_000;

export interface ParkRetryPolicy { firstMs: number; maxMs: number; giveUpAfterMs: number }
/** Carried over continue-as-new: how many automatic retries ran and how long they waited in all. */
export interface AutoRetryState { attempts: number; waitedMs: number }

/** A park at `step` with these reasons can be fixed by time alone. */
export function timeCanFix(step: string, reasons: readonly string[], how: { business: boolean; configuration: boolean }): boolean {
  if (how.configuration || step === 'eligibility' || step === 'compensate' || reasons.length === 0) return false;
  // A system that stayed unavailable through the activity's every retry (the step's failure, not Kingdee's answer).
  if (!how.business) return reasons.every((r) => r.startsWith('gave up after retries'));
  return reasons.every((r) => reasonCategory(step, r) === 'missing_reference');
}

/** The wait before the next automatic retry, or undefined when the retries are spent (wait for an operator). */
export function nextRetryDelay(policy: ParkRetryPolicy, state: AutoRetryState): number | undefined {
  const delay = Math.min(policy.firstMs * 2 ** Math.min(state.attempts, 40), policy.maxMs);
  return state.waitedMs + delay > policy.giveUpAfterMs ? undefined : delay;
}
