// Where each refund's workflow stands, read from Temporal (describe: status and search attributes, no worker
// needed), and waiting until every one of a set has settled. Used by the chaos run and by tests.
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { FailedStepKey, KingdeeBillNoKey, SyncReasonKey, SyncStatusKey } from '../temporal/search-attributes';
import { refundWorkflowId, type SyncStatus } from '../workflows/messages';

export interface RefundOutcome {
  asId: string;
  /** RUNNING, COMPLETED, FAILED, TERMINATED, … of the latest run. */
  execution: string;
  status: SyncStatus | 'Unknown';
  failedStep?: string;
  reason?: string;
  billNo?: string;
}

/** The refund's workflow as Temporal sees it now, or undefined when it has none. */
export async function refundOutcome(client: Client, asId: string): Promise<RefundOutcome | undefined> {
  try {
    const d = await client.workflow.getHandle(refundWorkflowId(asId)).describe();
    const sa = d.typedSearchAttributes;
    return {
      asId,
      execution: d.status.name,
      status: (sa.get(SyncStatusKey) as SyncStatus | undefined) ?? 'Unknown',
      failedStep: sa.get(FailedStepKey),
      reason: sa.get(SyncReasonKey),
      billNo: sa.get(KingdeeBillNoKey),
    };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** Outcomes of many refunds, a few calls at a time. */
export async function refundOutcomes(client: Client, asIds: readonly string[], concurrency = 16): Promise<Map<string, RefundOutcome | undefined>> {
  const out = new Map<string, RefundOutcome | undefined>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, asIds.length) }, async () => {
      while (next < asIds.length) {
        const asId = asIds[next++]!;
        out.set(asId, await refundOutcome(client, asId));
      }
    }),
  );
  return out;
}

/** Settled: closed (synced, skipped, or failed), or parked and waiting for an operator. */
export function isSettled(outcome: RefundOutcome | undefined): boolean {
  return outcome !== undefined && (outcome.execution !== 'RUNNING' || outcome.status === 'Parked');
}

export interface WaitOptions {
  /** Give up (and return what is known) after this long. */
  timeoutMs: number;
  pollMs?: number;
  /** Called after each round with how many are still unsettled. */
  onRound?: (unsettled: number) => void;
}

/**
 * Waits until every one of these refunds has a settled workflow; returns the last outcomes either way (the
 * caller judges what is still unsettled). Temporal being briefly unreachable counts as "not yet".
 */
export async function waitUntilSettled(client: Client, asIds: readonly string[], options: WaitOptions): Promise<Map<string, RefundOutcome | undefined>> {
  const deadline = Date.now() + options.timeoutMs;
  const known = new Map<string, RefundOutcome | undefined>();
  let pending = [...asIds];
  for (;;) {
    try {
      const round = await refundOutcomes(client, pending);
      for (const [asId, outcome] of round) known.set(asId, outcome);
      pending = pending.filter((asId) => !isSettled(known.get(asId)));
    } catch {
      // The server may be restarting: try again next round.
    }
    options.onRound?.(pending.length);
    if (pending.length === 0 || Date.now() > deadline) return new Map(asIds.map((asId) => [asId, known.get(asId)]));
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
}
