// One workflow per after-sales record (id jst-refund-<as_id>): lookups → mapping → find → save → submit → audit,
// each step a durable activity. Business failures park the workflow until an operator signals reprocess or
// skip (or the poller hands over a newer record); a failed audit first undoes what this attempt did in Kingdee.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { BUSINESS_ERROR } from '../temporal/failure-types';
import { FailedStepKey, KingdeeBillNoKey, SyncReasonKey, SyncStatusKey } from '../temporal/search-attributes';
import {
  recordUpdatedSignal,
  reprocessSignal,
  skipSignal,
  statusQuery,
  type LookupAnswers,
  type RefundSummary,
  type SourceRecord,
  type SyncRefundInput,
  type SyncRefundResult,
  type SyncStatus,
  type SyncStep,
  type TimelineEntry,
} from './messages';
import { versioningBehavior } from './versioning-behavior';

type Activities = ReturnType<typeof createActivities>;

const retryUnlessBusiness = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  nonRetryableErrorTypes: [BUSINESS_ERROR],
};

/** Reads (lookups, find-by-number): retried on transient errors for up to 10 minutes, then parked. */
const kingdeeReads = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '10 minutes',
  retry: retryUnlessBusiness,
});

/** Writes: generous per-call timeout (cutting a request does not stop the write); each retry checks by FBillNo first. */
const kingdeeWrites = proxyActivities<Activities>({
  startToCloseTimeout: '3 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '15 minutes',
  retry: retryUnlessBusiness,
});

/** Mapping (pure CPU) and outcome reporting (metrics, queued alerts): local activities, recorded as markers. */
const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [BUSINESS_ERROR] },
});

/** Keeps the history bounded when a record parks and is reprocessed many times. */
const MAX_TIMELINE = 60;

class Parked extends Error {
  /** business: Kingdee or the data said no (vs. a system that stayed unavailable through every retry). */
  constructor(readonly step: SyncStep, readonly reason: string, readonly business = true) {
    super(reason);
  }
}

type OperatorAction = { kind: 'reprocess'; reason?: string } | { kind: 'skip'; reason: string } | { kind: 'record-updated' };

// AUTO_UPGRADE: a refund can stay parked for days while base data is fixed; pinned, it would keep the old
// build's workers alive that long. It moves to the current build at its next workflow task (a reprocess, a
// skip, an activity result), so EVERY change to the commands it issues goes behind patched() with a named
// constant, and the committed histories (test/histories, npm run test:replay) prove old runs still replay.
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), syncRefund);
export async function syncRefund(input: SyncRefundInput): Promise<SyncRefundResult> {
  const { schemeId } = input;
  let record: SourceRecord = input.record;
  let refund: RefundSummary = input.refund;
  let answers: LookupAnswers | undefined = input.answers;
  let invalidReason: string | undefined = input.invalidReason;
  const timeline: TimelineEntry[] = input.timeline ?? [];
  let status: SyncStatus = 'Running';
  let failedStep: SyncStep | undefined;
  let reason: string | undefined;
  let bill: { id: string; number: string } | undefined;
  let action: OperatorAction | undefined;
  /** The mapped bill as the Web UI shows it (scheme fields only: no buyer data). */
  let preview = '';

  const note = (entry: Omit<TimelineEntry, 'at'>) => {
    timeline.push({ ...entry, at: new Date().toISOString() });
    if (timeline.length > MAX_TIMELINE) timeline.splice(0, timeline.length - MAX_TIMELINE);
  };
  const setStatus = (next: SyncStatus, step?: SyncStep, why?: string) => {
    status = next;
    failedStep = step;
    reason = why;
    upsertSearchAttributes([
      { key: SyncStatusKey, value: next },
      { key: FailedStepKey, value: step ?? null },
      { key: SyncReasonKey, value: why ? why.slice(0, 500) : null },
    ]);
  };

  setHandler(statusQuery, () => ({ asId: refund.asId, status, failedStep, reason, billNo: bill?.number, billId: bill?.id, timeline }));
  setHandler(reprocessSignal, (req) => {
    action = { kind: 'reprocess', reason: req?.reason };
  });
  setHandler(skipSignal, (req) => {
    action = { kind: 'skip', reason: req?.reason || 'skipped by operator' };
  });
  setHandler(recordUpdatedSignal, (update) => {
    // Only a newer version counts: the poller's overlapping windows hand over the same version again.
    if (update.refund.modified <= refund.modified) return;
    record = update.record;
    refund = update.refund;
    answers = undefined;
    invalidReason = update.invalidReason;
    note({ step: 'record-updated', outcome: 'info', detail: `modified ${refund.modified}` });
    if (status === 'Parked') action = { kind: 'record-updated' };
  });

  /** Runs one activity as a named step, turning any activity failure into a park at that step. */
  async function step<T>(name: SyncStep, run: () => Promise<T>, describe?: (value: T) => Partial<TimelineEntry>): Promise<T> {
    setCurrentDetails(`**Running** ${name} · 退货 ${refund.asId} · ${refund.shopName}${preview}`);
    try {
      const value = await run();
      note({ step: name, outcome: 'ok', ...describe?.(value) });
      return value;
    } catch (err) {
      if (err instanceof ActivityFailure) {
        const why = failureReason(err);
        note({ step: name, outcome: 'failed', detail: why });
        throw new Parked(name, why, isBusinessFailure(err));
      }
      throw err;
    }
  }

  /** One pass through the pipeline; Kingdee's current state of the bill decides where it resumes. */
  async function attempt(): Promise<SyncRefundResult> {
    // A record that failed validation parks until a newer (fixed) version arrives; reprocess alone cannot fix it.
    if (invalidReason !== undefined) throw new Parked('eligibility', invalidReason);
    if (answers === undefined) {
      const record_ = record;
      answers = await step('lookups', () => kingdeeReads.resolveLookups({ schemeId, record: record_ }));
    }
    const lookupAnswers = answers;
    const prepared = await step('mapping', () => local.mapRefund({ schemeId, record, answers: lookupAnswers }));
    if (prepared.kind === 'skip') return finishSkipped(prepared.reason);
    if (prepared.kind === 'errors') {
      const why = prepared.errors.join('; ');
      note({ step: 'mapping', outcome: 'failed', detail: why });
      throw new Parked('mapping', why);
    }
    const { formId, billNo, body, endState } = prepared;
    const ref = { formId, billNo };
    preview = payloadPreview(body.model);

    const existing = await step('find', () => kingdeeReads.findBill(ref), (b) => ({ detail: b ? `found in status ${b.status}` : 'none', kingdeeId: b?.id }));
    // Undo steps of this attempt, newest first: never touch what an earlier attempt or a person made.
    const compensations: Array<{ what: string; run: () => Promise<unknown> }> = [];
    let billStatus = existing?.status ?? 'none';
    if (existing) {
      bill = { id: existing.id, number: existing.number };
    } else {
      const saved = await step('save', () => kingdeeWrites.saveBill({ ...ref, body }), (b) => ({ kingdeeId: b.id, billNo: b.number }));
      bill = { id: saved.id, number: saved.number };
      billStatus = saved.status;
      if (saved.created) compensations.unshift({ what: 'delete the saved bill', run: () => kingdeeWrites.deleteBill(ref) });
    }
    upsertSearchAttributes([{ key: KingdeeBillNoKey, value: bill.number }]);
    if (endState === 'saved') return finishSynced(!!existing);

    if (billStatus === 'A' || billStatus === 'D') {
      await step('submit', () => kingdeeWrites.submitBill(ref));
      billStatus = 'B';
      compensations.unshift({ what: 'cancel the submit', run: () => kingdeeWrites.cancelSubmit(ref) });
    }
    if (endState === 'submitted') return finishSynced(!!existing);

    if (billStatus === 'B') {
      try {
        await step('audit', () => kingdeeWrites.auditBill(ref));
      } catch (err) {
        if (err instanceof Parked && err.business && compensations.length > 0) {
          await compensate(compensations);
          bill = undefined;
          upsertSearchAttributes([{ key: KingdeeBillNoKey, value: null }]);
        }
        throw err;
      }
    }
    return finishSynced(!!existing);
  }

  async function compensate(compensations: Array<{ what: string; run: () => Promise<unknown> }>): Promise<void> {
    // Non-cancellable: cancelling the workflow must not also cancel its clean-up.
    await CancellationScope.nonCancellable(async () => {
      for (const c of compensations) {
        try {
          await c.run();
          note({ step: 'compensate', outcome: 'ok', detail: c.what });
        } catch (err) {
          const why = `could not ${c.what}: ${err instanceof ActivityFailure ? failureReason(err) : String(err)}`;
          note({ step: 'compensate', outcome: 'failed', detail: why });
          throw new Parked('compensate', why);
        }
      }
    });
  }

  async function finishSynced(adopted: boolean): Promise<SyncRefundResult> {
    setStatus('Synced');
    await local.reportOutcome({ status: 'Synced', schemeId, asId: refund.asId });
    note({ step: 'synced', outcome: 'ok', billNo: bill?.number, kingdeeId: bill?.id, detail: adopted ? 'adopted existing bill' : undefined });
    setCurrentDetails(`**Synced** · 退货 ${refund.asId} → Kingdee bill ${bill?.number} (id ${bill?.id})${preview}`);
    return { status: 'Synced', asId: refund.asId, billNo: bill?.number, billId: bill?.id, adopted };
  }

  async function finishSkipped(why: string): Promise<SyncRefundResult> {
    setStatus('Skipped', undefined, why);
    await local.reportOutcome({ status: 'Skipped', schemeId, asId: refund.asId, reason: why });
    note({ step: 'skip', outcome: 'info', detail: why });
    setCurrentDetails(`**Skipped** · 退货 ${refund.asId}: ${why}`);
    return { status: 'Skipped', asId: refund.asId, reason: why };
  }

  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (!(err instanceof Parked)) {
        setStatus('Failed', failedStep, err instanceof Error ? err.message : String(err));
        throw err;
      }
      setStatus('Parked', err.step, err.reason);
      note({ step: 'parked', outcome: 'info', detail: `${err.step}: ${err.reason}` });
      setCurrentDetails(
        `**Parked** at ${err.step} · 退货 ${refund.asId} · ${refund.shopName}\n\n${err.reason}\n\n` +
          `Fix the cause, then signal \`reprocess\` (erp-bridge reprocess ${refund.asId}) or \`skip\`.`,
      );
      log.warn('refund parked', { asId: refund.asId, step: err.step, reason: err.reason });
      await local.reportOutcome({ status: 'Parked', schemeId, asId: refund.asId, step: err.step, reason: err.reason });
      action = undefined;
      await condition(() => action !== undefined);
      const next = action as OperatorAction | undefined;
      if (next?.kind === 'skip') return finishSkipped(next.reason);
      note({ step: 'reprocess', outcome: 'info', detail: next?.kind === 'reprocess' ? next.reason ?? 'operator' : 'newer record' });
      answers = undefined; // reprocess with fresh lookups
      setStatus('Running');
      if (workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof syncRefund>({ schemeId, refund, record, timeline, invalidReason });
      }
    }
  }
}

/** A markdown block with the mapped Kingdee model, cut short so details stay readable. */
function payloadPreview(model: Record<string, unknown>): string {
  const fence = '```';
  const json = JSON.stringify(model, null, 1);
  const shown = json.length > 1800 ? `${json.slice(0, 1800)}\n…` : json;
  return `\n\nMapped model:\n${fence}json\n${shown}\n${fence}`;
}

function failureReason(err: ActivityFailure): string {
  const cause: Error | undefined = err.cause;
  if (isBusinessFailure(err)) return cause?.message ?? err.message;
  // Retries ran out (schedule-to-close): say what the last attempt saw.
  const last = cause?.cause instanceof Error ? cause.cause : cause;
  return `gave up after retries: ${last?.message ?? err.message}`;
}

function isBusinessFailure(err: ActivityFailure): boolean {
  return err.cause instanceof ApplicationFailure && err.cause.type === BUSINESS_ERROR;
}
