// One write at a time per bill: Kingdee keeps processing a request whose reply we lost (or whose worker
// died), so before re-checking a bill's status we wait until that request must have ended (its timeout).
import { activityInfo, CancelledFailure, Context } from '@temporalio/activity';

/** Sleeps until `until` (epoch ms); a cancelled activity stops waiting (nothing has been sent yet). */
async function sleepUntil(until: number): Promise<void> {
  const ms = until - Date.now();
  if (ms > 0) await Context.current().sleep(ms);
}

/**
 * On a retry, an earlier attempt may have sent a write that Kingdee is still running: it was sent before
 * this attempt was scheduled, so it has ended one request timeout after that.
 */
export async function waitOutEarlierAttempts(requestTimeoutMs: number): Promise<void> {
  const info = activityInfo();
  if (info.attempt <= 1) return;
  await sleepUntil(info.currentAttemptScheduledTimestampMs + requestTimeoutMs);
}

/** After a lost reply: the request sent at `sentAt` has ended one request timeout later. */
export async function waitOutRequest(sentAt: number, requestTimeoutMs: number): Promise<void> {
  await sleepUntil(sentAt + requestTimeoutMs);
}

/** Honour a cancellation that arrived before the request went out; once sent, a write runs to its end. */
export function throwIfCancelled(): void {
  const signal = Context.current().cancellationSignal;
  if (signal.aborted) throw new CancelledFailure('cancelled before the Kingdee request was sent');
}
