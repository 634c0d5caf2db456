// One workflow per scheme and after-sales record (id <scheme prefix><as_id>, jst-refund-<as_id> for the
// flagship): lookups → mapping → find → save → submit → audit, each step a durable activity.
// - An existing bill is resumed from its status (draft → saved, A/D → submit, B → audit, C → done); a status
//   the product cannot move forward parks with that status.
// - A bill is ours to undo only when this attempt's own Save reply created it (`ownBill`); anything else is
//   left in place, and a failed audit on it parks.
// - Operator actions (updates with validators, or the old signals) and newer records are queued and applied
//   when the current attempt ends: skip over a newer record over reprocess. Each attempt works on one
//   snapshot of the record and its lookup answers.
// - Cancelling undoes what the current attempt created (non-cancellable), ends `Cancelled` and alerts.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  isCancellation,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { onKingdeeQueue } from './activity-queues';
import { BUSINESS_ERROR, CONFIG_ERROR } from '../temporal/failure-types';
import { KINGDEE_WRITE_START_TO_CLOSE_MS } from '../temporal/kingdee-timeouts';
import { FailedStepKey, KingdeeBillNoKey, SyncReasonKey, SyncStatusKey } from '../temporal/search-attributes';
import { legacySyncRefund } from './legacy-sync-refund';
import { escapeMarkdown, fencedCodeBlock } from '../lib/escape-markdown';
import {
  recordUpdatedSignal,
  reprocessSignal,
  reprocessUpdate,
  skipSignal,
  skipUpdate,
  statusQuery,
  type ActionAccepted,
  type LookupAnswers,
  type RecordUpdate,
  type RefundSummary,
  type SourceRecord,
  type SyncRefundInput,
  type SyncRefundResult,
  type SyncStatus,
  type SyncStep,
  type TimelineEntry,
} from './messages';
import { hasQueuedAction, nextAction, type ActionQueue } from './operator-queue';
import { billStatusLabel, nextMove, type EndState } from './bill-progress';
import { countSynced } from './outcome-metric';
import { versioningBehavior } from './versioning-behavior';
import { nextRetryDelay, timeCanFix, type AutoRetryState, type ParkRetryPolicy } from './park-retry';

type Activities = ReturnType<typeof createActivities>;

/**
 * Adopt by status, proof of ownership, queued operator actions (updates), cancellation as an outcome.
 * Histories recorded before it have no marker and run legacySyncRefund. The old branch can go once no
 * syncRefund started before this patch is open (check `temporal workflow list`) and test/histories holds
 * no history recorded before it; then replace patched() with deprecatePatch() for one release.
 */
export const SYNC_REFUND_INTEGRITY = 'sync-refund-integrity-v1';

/**
 * Terminal decisions are written to the state store's ledger before the workflow completes. Histories from
 * before it complete without that activity; the branch can go with the integrity patch's.
 */
export const DECISIONS_LEDGER = 'decisions-ledger-v1';

/**
 * A park that time can fix (missing reference, a system down through every retry) retries by itself with backoff
 * (park-retry.ts). Histories from before it wait for an operator; the branch can go with the integrity patch's.
 */
export const PARK_AUTO_RETRY = 'sync-refund-park-auto-retry-v1';

/**
 * The lean pipeline: one activity ensures the bill is saved (mapping, find, save), one advances it (submit,
 * audit, then the ledger write), a synced outcome is counted through the workflow meter, and the search
 * attributes change once at the end: 3 workflow tasks and 20 history events for a refund that syncs, instead
 * of 6 and 43. Compensation stays an explicit step. It implies the three patches above, which it does not ask
 * again (each asked costs a marker and a search-attribute event). Histories from before it run the per-step
 * pipeline; that branch can go with the integrity patch's.
 */
export const SYNC_REFUND_LEAN = 'sync-refund-lean-v1';

/** The ledger write: retried until the store answers, since a decision must outlive the workflow. */
const ledger = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

const retryUnlessBusiness = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '30 seconds',
  nonRetryableErrorTypes: [BUSINESS_ERROR, CONFIG_ERROR],
};

// Kingdee activities run on the Kingdee task queue, where a backlog waits in Temporal for a free session slot.
// Their budget is a number of attempts, not a schedule-to-close time: time spent queued must not count against
// a refund (a slow Kingdee would otherwise park refunds that never got to make their call).

/** Reads (lookups, find-by-number): transient errors retried over about 10 minutes of attempts, then parked. */
export const kingdeeReads = proxyActivities<Activities>(onKingdeeQueue({
  startToCloseTimeout: '3 minutes', // above the Kingdee request timeout (at most 120 s)
  heartbeatTimeout: '30 seconds',
  retry: { ...retryUnlessBusiness, maximumAttempts: 20 },
}));

/**
 * Writes: a retry first waits out the earlier request (one Kingdee request timeout), checks by FBillNo and
 * writes again, so the start-to-close holds three request timeouts (temporal/kingdee-timeouts.ts).
 */
export const kingdeeWrites = proxyActivities<Activities>(onKingdeeQueue({
  startToCloseTimeout: KINGDEE_WRITE_START_TO_CLOSE_MS,
  heartbeatTimeout: '30 seconds',
  retry: { ...retryUnlessBusiness, maximumAttempts: 30 },
}));

/**
 * The lean pipeline's steps (activities/bill-steps.ts). Each may run two Kingdee writes and a status check after
 * a lost reply, so it gets two write budgets.
 */
export const kingdeeSteps = proxyActivities<Activities>(onKingdeeQueue({
  startToCloseTimeout: 2 * KINGDEE_WRITE_START_TO_CLOSE_MS,
  heartbeatTimeout: '30 seconds',
  retry: { ...retryUnlessBusiness, maximumAttempts: 30 },
}));

/** Mapping (pure CPU) and outcome reporting (metrics, queued alerts): local activities, recorded as markers. */
export const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, nonRetryableErrorTypes: [BUSINESS_ERROR] },
});

/** Keeps the history bounded when a record parks and is reprocessed many times. */
const MAX_TIMELINE = 60;

class Parked extends Error {
  /** business: Kingdee or the data said no (vs. a system that stayed unavailable through every retry). */
  constructor(
    readonly step: SyncStep,
    readonly reason: string,
    readonly business = true,
    readonly configuration = false,
    /** The separate problems (mapping errors), each of which must be one time can fix for an automatic retry. */
    readonly reasons: readonly string[] = [reason],
  ) {
    super(reason);
  }
}

/** An operator's skip arrived before this attempt wrote anything: the attempt stops and the refund is skipped. */
class SkipBeforeWriting extends Error {}

/** The version of the record an attempt works on, with its lookup answers once resolved. */
interface RecordVersion {
  record: SourceRecord;
  refund: RefundSummary;
  answers?: LookupAnswers;
  invalidReason?: string;
}

// AUTO_UPGRADE: a refund can stay parked for days while base data is fixed; pinned, it would keep the old
// build's workers alive that long. It moves to the current build at its next workflow task (a reprocess, a
// skip, an activity result), so EVERY change to the commands it issues goes behind patched() with a named
// constant, and the committed histories (test/histories, npm run test:replay) prove old runs still replay.
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), syncRefund);
export async function syncRefund(input: SyncRefundInput): Promise<SyncRefundResult> {
  // Asked first: a new run records only this marker. A history from before it has none, so replay goes on below.
  if (patched(SYNC_REFUND_LEAN)) return syncRefundWithIntegrity(input, true);
  if (!patched(SYNC_REFUND_INTEGRITY)) return legacySyncRefund(input);
  return syncRefundWithIntegrity(input, false);
}

/** `lean`: the SYNC_REFUND_LEAN pipeline, with the ledger and automatic retries of a park it implies. */
async function syncRefundWithIntegrity(input: SyncRefundInput, lean: boolean): Promise<SyncRefundResult> {
  const { schemeId } = input;
  let current: RecordVersion = { record: input.record, refund: input.refund, answers: input.answers, invalidReason: input.invalidReason };
  const queue: ActionQueue<RecordVersion> = {};
  const timeline: TimelineEntry[] = input.timeline ?? [];
  let status: SyncStatus = 'Running';
  let failedStep: SyncStep | undefined;
  let reason: string | undefined;
  let bill: { id: string; number: string } | undefined;
  /** Proof that this attempt's own Save created `bill`: only then may it be undone. */
  let ownBill: { id: string; number: string; formId: string } | undefined;
  /** A write was interrupted by cancellation: its request may still be running in Kingdee. */
  let writeInterrupted = false;
  let attemptRunning = false;
  /** The mapped bill as the Web UI shows it (scheme fields only: no buyer data). */
  let preview = '';
  /** Parked on something time can fix: when the automatic retry comes. */
  let nextRetryAt: string | undefined;
  let autoRetry: AutoRetryState = input.autoRetry ?? { attempts: 0, waitedMs: 0 };
  let retryPolicy: ParkRetryPolicy | undefined;
  /** Parked at some point: its outcome then goes through reportOutcome, which refreshes the parked gauge. */
  let parkedBefore = timeline.some((e) => e.step === 'parked');
  const asId = () => current.refund.asId;

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
      // Lean: the bill number travels with the status, one event instead of two.
      ...(lean ? [{ key: KingdeeBillNoKey, value: bill?.number ?? null }] : []),
    ]);
  };
  const setBill = (next: { id: string; number: string } | undefined) => {
    bill = next;
    if (!lean) upsertSearchAttributes([{ key: KingdeeBillNoKey, value: next?.number ?? null }]);
  };
  const accepted = (action: ActionAccepted['action']): ActionAccepted => ({
    asId: asId(),
    action,
    applied: attemptRunning ? 'when the current attempt ends' : 'now',
  });
  const queueReprocess = (why: string) => {
    queue.reprocess = { reason: why };
    if (attemptRunning) note({ step: 'queued', outcome: 'info', detail: `reprocess: ${why}` });
  };
  const queueSkip = (why: string) => {
    queue.skip = { reason: why };
    if (attemptRunning) note({ step: 'queued', outcome: 'info', detail: `skip: ${why}` });
  };

  setHandler(statusQuery, () => ({ asId: asId(), status, failedStep, reason, billNo: bill?.number, billId: bill?.id, timeline, ...(nextRetryAt ? { nextRetryAt } : {}) }));
  setHandler(reprocessSignal, (req) => queueReprocess(req?.reason ?? 'operator'));
  setHandler(skipSignal, (req) => queueSkip(req?.reason || 'skipped by operator'));
  setHandler(reprocessUpdate, (req) => (queueReprocess(req?.reason ?? 'operator'), accepted('reprocess')), {
    description: 'Retry a parked refund from Kingdee\'s state of its bill, with fresh lookups',
    validator: (req) => {
      closedGuard();
      if (req !== undefined && (typeof req !== 'object' || (req.reason !== undefined && typeof req.reason !== 'string'))) {
        throw new Error('reprocess takes {"reason": "<text>"} (reason optional)');
      }
      const invalid = queue.newer?.invalidReason ?? (queue.newer ? undefined : current.invalidReason);
      if (invalid !== undefined) {
        throw new Error(`refund ${asId()} failed validation (${invalid}); reprocess cannot fix the record: fix it in Jushuitan (the poller hands the new version over) or use skip`);
      }
    },
  });
  setHandler(skipUpdate, (req) => (queueSkip(req.reason.trim()), accepted('skip')), {
    description: 'Close a refund as skipped (booked by hand, say), with the reason',
    validator: (req) => {
      closedGuard();
      if (typeof req !== 'object' || req === null || typeof req.reason !== 'string' || req.reason.trim() === '') {
        throw new Error('skip needs a reason: {"reason": "<why it is skipped>"}');
      }
    },
  });
  setHandler(recordUpdatedSignal, (update: RecordUpdate) => {
    // A record of another scheme is not ours (one workflow per scheme and record).
    if (update.schemeId !== undefined && update.schemeId !== schemeId) return;
    // Only a newer version counts: the poller's overlapping windows hand over the same version again.
    const latest = queue.newer?.refund.modified ?? current.refund.modified;
    if (update.refund.modified <= latest) return;
    queue.newer = { record: update.record, refund: update.refund, invalidReason: update.invalidReason };
    note({ step: 'record-updated', outcome: 'info', detail: `modified ${update.refund.modified}${attemptRunning ? ' (queued)' : ''}` });
  });

  /** Validators run before anything is written to history: a refund that is done cannot be acted on. */
  function closedGuard(): void {
    if (status === 'Synced') throw new Error(`refund ${asId()} is synced (bill ${bill?.number ?? '?'}); use \`erp-bridge resync ${asId()}\``);
    if (status === 'Skipped' || status === 'Cancelled' || status === 'Failed') {
      throw new Error(`refund ${asId()} is ${status.toLowerCase()}; use \`erp-bridge resync ${asId()}\``);
    }
  }

  /**
   * Runs one activity as a named step, turning any activity failure into a park at that step (or at the step
   * the failure names, for an activity that runs several). `describe` gives its timeline entries.
   */
  async function step<T>(name: SyncStep, run: () => Promise<T>, describe?: (value: T) => Partial<TimelineEntry> | Array<Partial<TimelineEntry>>): Promise<T> {
    setCurrentDetails(`**Running** ${name} · 退货 ${asId()} · ${escapeMarkdown(current.refund.shopName)}${preview}`);
    try {
      const value = await run();
      const entries = describe?.(value) ?? {};
      for (const entry of Array.isArray(entries) ? entries : [entries]) note({ step: name, outcome: 'ok', ...entry });
      return value;
    } catch (err) {
      if (err instanceof ActivityFailure && !isCancellation(err)) {
        const why = failureReason(err);
        const named = stepsOf(err);
        for (const done of named?.done ?? []) note({ step: done, outcome: 'ok' });
        const at = named?.step ?? name;
        note({ step: at, outcome: 'failed', detail: why });
        throw new Parked(at, why, isBusinessFailure(err), isConfigFailure(err));
      }
      throw err;
    }
  }

  /** A write step: while it runs, a cancellation must assume the request may still be applied. */
  async function write<T>(name: SyncStep, run: () => Promise<T>, describe?: (value: T) => Partial<TimelineEntry> | Array<Partial<TimelineEntry>>): Promise<T> {
    try {
      return await step(name, run, describe);
    } catch (err) {
      if (isCancellation(err)) writeInterrupted = true;
      throw err;
    }
  }

  /** An operator's skip that arrived before this attempt wrote anything wins. */
  function skipCheckpoint(): void {
    if (queue.skip) throw new SkipBeforeWriting();
  }

  /** One pass through the pipeline on one snapshot; Kingdee's current state of the bill decides where it resumes. */
  async function attempt(snapshot: RecordVersion): Promise<SyncRefundResult> {
    ownBill = undefined;
    // A record that failed validation parks until a newer (fixed) version arrives; reprocess alone cannot fix it.
    if (snapshot.invalidReason !== undefined) throw new Parked('eligibility', snapshot.invalidReason);
    if (snapshot.answers === undefined) {
      snapshot.answers = await step('lookups', () => kingdeeReads.resolveLookups({ schemeId, record: snapshot.record }));
    }
    const answers = snapshot.answers;
    if (lean) return leanPipeline(snapshot, answers);
    const prepared = await step('mapping', () => local.mapRefund({ schemeId, record: snapshot.record, answers }));
    if (prepared.kind === 'skip') return finishSkipped(prepared.reason);
    if (prepared.kind === 'errors') {
      const why = prepared.errors.join('; ');
      note({ step: 'mapping', outcome: 'failed', detail: why });
      throw new Parked('mapping', why, true, false, prepared.errors);
    }
    const { formId, billNo, body, endState } = prepared;
    const ref = { formId, billNo };
    preview = payloadPreview(body.model);

    skipCheckpoint();
    const existing = await step('find', () => kingdeeReads.findBill(ref), (b) => ({ detail: b ? `found in status ${billStatusLabel(b.status)}` : 'none', kingdeeId: b?.id }));
    skipCheckpoint();
    let billStatus: string;
    if (existing) {
      setBill({ id: existing.id, number: existing.number });
      billStatus = existing.status;
    } else {
      const saved = await write('save', () => kingdeeWrites.saveBill({ ...ref, body }), (b) => ({
        kingdeeId: b.id,
        billNo: b.number,
        detail: b.created ? 'created by this attempt' : `found after an unanswered save, in status ${billStatusLabel(b.status)}: not claimed`,
      }));
      setBill({ id: saved.id, number: saved.number });
      if (saved.created) ownBill = { id: saved.id, number: saved.number, formId };
      billStatus = saved.status;
    }
    const adopted = ownBill === undefined;

    for (;;) {
      const move = nextMove(billStatus, endState as EndState);
      if (move === 'done') return finishSynced(adopted);
      if (move === 'park') throw cannotMoveForward(billNo, billStatus);
      const id = bill!.id;
      if (move === 'save-draft') {
        billStatus = (await write('save', () => kingdeeWrites.completeDraft({ ...ref, id, body }), () => ({ detail: `draft ${billNo} saved` }))).status;
      } else if (move === 'submit') {
        await write('submit', () => kingdeeWrites.submitBill(ref));
        billStatus = 'B';
      } else {
        await auditOrUndo(ref, () => write('audit', () => kingdeeWrites.auditBill(ref)));
        billStatus = 'C';
      }
    }
  }

  /**
   * The lean pass (SYNC_REFUND_LEAN): one activity maps the record and ensures its bill is saved, one submits and
   * audits it and writes the synced decision. Same rules: adopt by status, undo only what our Save created.
   */
  async function leanPipeline(snapshot: RecordVersion, answers: LookupAnswers): Promise<SyncRefundResult> {
    skipCheckpoint();
    const saved = await write('save', () => kingdeeSteps.ensureBillSaved({ schemeId, record: snapshot.record, answers }), (r) =>
      r.kind !== 'ready' ? [{ step: 'mapping' }] : [
        { step: 'mapping' },
        { step: 'find', detail: r.found ? `found in status ${billStatusLabel(r.found.status)}` : 'none', kingdeeId: r.found?.id },
        ...(r.found && r.found.status === r.bill.status ? [] : [{
          kingdeeId: r.bill.id,
          billNo: r.bill.number,
          detail: r.found ? `draft ${r.bill.number} saved` : r.bill.created ? 'created by this attempt' : `found after an unanswered save, in status ${billStatusLabel(r.bill.status)}: not claimed`,
        }]),
      ]);
    if (saved.kind === 'skip') return finishSkipped(saved.reason);
    if (saved.kind === 'errors') {
      const why = saved.errors.join('; ');
      note({ step: 'mapping', outcome: 'failed', detail: why });
      throw new Parked('mapping', why, true, false, saved.errors);
    }
    const { formId, billNo, endState } = saved;
    preview = payloadPreview(saved.body.model);
    setBill({ id: saved.bill.id, number: saved.bill.number });
    if (saved.bill.created) ownBill = { id: saved.bill.id, number: saved.bill.number, formId };
    // Found as it was, nothing written: a skip queued meanwhile still comes before any write.
    if (saved.found?.status === saved.bill.status) skipCheckpoint();
    const adopted = ownBill === undefined;
    const from = saved.bill.status;
    const move = nextMove(from, endState);
    if (move === 'done') return finishSynced(adopted);
    if (move === 'park') throw cannotMoveForward(billNo, from);
    await auditOrUndo({ formId, billNo }, () =>
      write('submit', () => kingdeeSteps.advanceBill({ formId, billNo, status: from, endState, decision: syncedDecision(snapshot) }), (r) => [
        ...(move === 'submit' ? [{ step: 'submit' as const }] : []),
        ...(r.status === 'C' ? [{ step: 'audit' as const }] : []),
      ]),
    );
    return finishSynced(adopted, true);
  }

  function cannotMoveForward(billNo: string, status: string): Parked {
    return new Parked('find', `bill ${billNo} is in status ${billStatusLabel(status)}, which erp-bridge cannot move forward: ` +
      'finish or delete it in Kingdee, then reprocess (or skip if it was booked by hand)');
  }

  /** Runs the step that audits; when Kingdee refuses the audit, the bill goes only if this attempt created it, else it stays and the refund parks. */
  async function auditOrUndo<T>(ref: { formId: string; billNo: string }, audit: () => Promise<T>): Promise<T> {
    try {
      return await audit();
    } catch (err) {
      if (!(err instanceof Parked) || !err.business || err.step !== 'audit') throw err;
      if (!ownBill) {
        throw new Parked('audit', `${err.reason} — bill ${ref.billNo} was not created by this attempt, so it is left in place`);
      }
      await removeOwnBill(false);
      throw err;
    }
  }

  /** Undoes the bill this attempt created, from whatever status it reached. Non-cancellable. */
  async function removeOwnBill(writeInFlight: boolean): Promise<void> {
    const own = ownBill;
    if (!own) return;
    await CancellationScope.nonCancellable(async () => {
      try {
        await kingdeeWrites.removeOwnBill({ formId: own.formId, billNo: own.number, id: own.id, writeInFlight });
      } catch (err) {
        const why = `could not remove the bill this attempt created (${own.number}): ${err instanceof ActivityFailure ? failureReason(err) : String(err)}`;
        note({ step: 'compensate', outcome: 'failed', detail: why });
        throw new Parked('compensate', why);
      }
      note({ step: 'compensate', outcome: 'ok', detail: 'removed the bill this attempt created', billNo: own.number, kingdeeId: own.id });
      ownBill = undefined;
      setBill(undefined);
    });
  }

  /**
   * Every terminal decision (synced, skipped, cancelled) passes here before the workflow completes: it goes to the
   * state store's decisions ledger (an activity; on the lean pipeline advanceBill has already written a synced
   * one), then its outcome is reported (metric, alert, parked gauge).
   */
  async function recordDecision(e: { status: 'Synced' | 'Skipped' | 'Cancelled'; schemeId: string; asId: string; reason?: string }, alreadyRecorded = false): Promise<void> {
    if (!alreadyRecorded && (lean || patched(DECISIONS_LEDGER))) {
      await ledger.recordDecision(e.status === 'Synced' ? syncedDecision(current) : {
        schemeId: e.schemeId,
        asId: e.asId,
        decision: e.status === 'Skipped' ? 'skipped' : 'cancelled',
        // What was skipped, too: a later version that differs is drift (a record that failed validation has none).
        ...(e.status === 'Skipped' && current.invalidReason === undefined ? { record: current.record } : {}),
        recordModified: current.refund.modified,
        reason: e.reason,
      });
    }
    // Lean: a refund that synced without parking needs no alert and no gauge refresh, only its count.
    if (lean && e.status === 'Synced' && !parkedBefore) countSynced(e.schemeId);
    else await local.reportOutcome(e);
  }

  /** What the ledger keeps of a synced refund: its bill and the record version it was booked from. */
  function syncedDecision(version: RecordVersion): Parameters<Activities['recordDecision']>[0] {
    return {
      schemeId,
      asId: version.refund.asId,
      decision: 'synced',
      ...(bill ? { billId: bill.id, billNo: bill.number, record: version.record } : {}),
      recordModified: version.refund.modified,
    };
  }

  /** `recorded`: the lean advance step already wrote the decision to the ledger (or found no store to write to). */
  async function finishSynced(adopted: boolean, recorded = false): Promise<SyncRefundResult> {
    setStatus('Synced');
    await recordDecision({ status: 'Synced', schemeId, asId: asId() }, recorded);
    note({ step: 'synced', outcome: 'ok', billNo: bill?.number, kingdeeId: bill?.id, detail: adopted ? 'adopted existing bill' : undefined });
    setCurrentDetails(`**Synced** · 退货 ${asId()} → Kingdee bill ${bill?.number} (id ${bill?.id})${preview}`);
    return { status: 'Synced', asId: asId(), billNo: bill?.number, billId: bill?.id, adopted };
  }

  async function finishSkipped(why: string): Promise<SyncRefundResult> {
    setStatus('Skipped', undefined, why);
    await recordDecision({ status: 'Skipped', schemeId, asId: asId(), reason: why });
    note({ step: 'skip', outcome: 'info', detail: why });
    setCurrentDetails(`**Skipped** · 退货 ${asId()}: ${escapeMarkdown(why)}`);
    return { status: 'Skipped', asId: asId(), reason: why };
  }

  /** Cancelled by an operator (or a parent): undo this attempt's bill, end `Cancelled`, alert. */
  async function finishCancelled(cancellation: unknown): Promise<never> {
    const inFlight = writeInterrupted;
    let why = 'cancelled';
    await CancellationScope.nonCancellable(async () => {
      try {
        await removeOwnBill(inFlight);
      } catch (err) {
        why = `cancelled; ${err instanceof Parked ? err.reason : String(err)}`;
      }
      setStatus('Cancelled', undefined, bill ? `${why}; bill ${bill.number} (not created by this attempt) left in place` : why);
      note({ step: 'cancelled', outcome: 'info', detail: reason });
      setCurrentDetails(`**Cancelled** · 退货 ${asId()}: ${escapeMarkdown(reason ?? '')}`);
      await recordDecision({ status: 'Cancelled', schemeId, asId: asId(), reason });
    });
    throw cancellation;
  }

  /** The wait before the next automatic retry (the policy is asked once per run), or undefined once they are spent. */
  async function autoRetryDelay(): Promise<number | undefined> {
    retryPolicy ??= await local.parkRetryPolicy();
    return nextRetryDelay(retryPolicy, autoRetry);
  }

  if (input.resync) note({ step: 'resync', outcome: 'info', detail: input.resync.reason });
  for (;;) {
    try {
      attemptRunning = true;
      // The attempt's snapshot: a record handed over meanwhile waits in the queue for the next attempt.
      const snapshot = { ...current };
      try {
        return await attempt(snapshot);
      } finally {
        attemptRunning = false;
        current = snapshot; // keeps the answers it resolved; a newer record is still in the queue
      }
    } catch (err) {
      if (isCancellation(err)) return finishCancelled(err);
      if (err instanceof SkipBeforeWriting) return finishSkipped(queue.skip?.reason ?? 'skipped by operator');
      if (!(err instanceof Parked)) {
        setStatus('Failed', failedStep, err instanceof Error ? err.message : String(err));
        throw err;
      }
      setStatus('Parked', err.step, err.reason);
      note({ step: 'parked', outcome: 'info', detail: `${err.step}: ${err.reason}` });
      // Time can fix it: wait for an operator or a newer record, but at most until the next automatic retry.
      parkedBefore = true;
      const retryIn = timeCanFix(err.step, err.reasons, err) && (lean || patched(PARK_AUTO_RETRY)) ? await autoRetryDelay() : undefined;
      const gaveUp = retryIn === undefined && retryPolicy !== undefined && timeCanFix(err.step, err.reasons, err);
      nextRetryAt = retryIn !== undefined ? new Date(new Date().getTime() + retryIn).toISOString() : undefined;
      setCurrentDetails(
        `**Parked** at ${err.step} · 退货 ${asId()} · ${escapeMarkdown(current.refund.shopName)}\n\n${escapeMarkdown(err.reason)}\n\n` +
          (nextRetryAt ? `Next automatic retry at ${nextRetryAt} (retry ${autoRetry.attempts + 1}; the wait doubles up to 6 h, for up to 7 days).\n\n` : '') +
          (gaveUp ? 'Automatic retries gave up after 7 days.\n\n' : '') +
          `Fix the cause, then \`erp-bridge reprocess ${asId()}\` (or the \`reprocess\` update or signal), or \`skip\`.`,
      );
      log.warn('refund parked', { asId: asId(), step: err.step, reason: err.reason, nextRetryAt });
      await local.reportOutcome({
        status: 'Parked', schemeId, asId: asId(), step: err.step, configuration: err.configuration,
        reason: gaveUp ? `automatic retries gave up after 7 days: ${err.reason}` : err.reason,
        // Parked again on what time can fix after an automatic retry: the first park was alerted.
        ...(retryIn !== undefined && autoRetry.attempts > 0 ? { quiet: true } : {}),
      });
      let retryNow = false;
      try {
        if (retryIn === undefined) await condition(() => hasQueuedAction(queue));
        else retryNow = !(await condition(() => hasQueuedAction(queue), retryIn));
      } catch (waitErr) {
        if (isCancellation(waitErr)) return finishCancelled(waitErr);
        throw waitErr;
      }
      nextRetryAt = undefined;
      if (retryNow) {
        autoRetry = { attempts: autoRetry.attempts + 1, waitedMs: autoRetry.waitedMs + retryIn! };
        note({ step: 'auto-retry', outcome: 'info', detail: `automatic retry ${autoRetry.attempts}` });
        await local.reportAutoRetry({ schemeId, step: err.step, reason: err.reason });
        current = { ...current, answers: undefined };
        setStatus('Running');
        if (workflowInfo().continueAsNewSuggested) {
          // Seven days of retries stay in bounded history: the backoff goes on in the next run.
          await continueAsNew<typeof syncRefund>({ schemeId, refund: current.refund, record: current.record, timeline, invalidReason: current.invalidReason, autoRetry });
        }
        continue;
      }
      // An operator or a newer record: a new problem starts its own backoff.
      autoRetry = { attempts: 0, waitedMs: 0 };
      const next = nextAction(queue)!;
      if (next.kind === 'skip') return finishSkipped(next.reason);
      if (next.kind === 'newer') current = next.version;
      note({ step: 'reprocess', outcome: 'info', detail: next.kind === 'reprocess' ? next.reason : 'newer record' });
      current = { ...current, answers: undefined }; // reprocess with fresh lookups
      setStatus('Running');
      if (workflowInfo().continueAsNewSuggested) {
        await continueAsNew<typeof syncRefund>({ schemeId, refund: current.refund, record: current.record, timeline, invalidReason: current.invalidReason });
      }
    }
  }
}

/** A markdown block with the mapped Kingdee model, cut short so details stay readable. */
function payloadPreview(model: Record<string, unknown>): string {
  const json = JSON.stringify(model, null, 1);
  const shown = json.length > 1800 ? `${json.slice(0, 1800)}\n…` : json;
  // A fence longer than any backtick run in the values: a record cannot break out of the block.
  return `\n\nMapped model:\n${fencedCodeBlock(shown, 'json')}`;
}

function failureReason(err: ActivityFailure): string {
  const cause: Error | undefined = err.cause;
  if (isConfigFailure(err)) return `configuration: ${cause?.message ?? err.message} (fix the setting, check with \`erp-bridge check\`, then reprocess)`;
  if (isBusinessFailure(err)) return cause?.message ?? err.message;
  // An error its connector called final: not retried, so no "after retries".
  if (cause instanceof ApplicationFailure && cause.nonRetryable) return cause.message;
  // Retries ran out (schedule-to-close): say what the last attempt saw.
  const last = cause?.cause instanceof Error ? cause.cause : cause;
  return `gave up after retries: ${last?.message ?? err.message}`;
}

/** The step an activity that runs several names in its failure's details, and those it finished (activities/bill-steps.ts). */
function stepsOf(err: ActivityFailure): { step: SyncStep; done: SyncStep[] } | undefined {
  const details = err.cause instanceof ApplicationFailure ? err.cause.details : undefined;
  const named = details?.[0] as { step?: unknown; done?: unknown } | undefined;
  if (typeof named?.step !== 'string') return undefined;
  const done = Array.isArray(named.done) ? named.done.filter((d): d is SyncStep => typeof d === 'string') : [];
  return { step: named.step as SyncStep, done };
}

function isBusinessFailure(err: ActivityFailure): boolean {
  return err.cause instanceof ApplicationFailure && err.cause.type === BUSINESS_ERROR;
}

function isConfigFailure(err: ActivityFailure): boolean {
  return err.cause instanceof ApplicationFailure && err.cause.type === CONFIG_ERROR;
}
