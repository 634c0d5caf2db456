// Signals, updates, queries and the shapes that cross the workflow boundary. Imported by the workflows and by
// every client (CLI, tests), so names are defined once.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

/** A source record reduced to the fields the scheme reads: no buyer PII, no credentials. */
export type SourceRecord = Record<string, unknown>;
/** Lookup answers from the scheme engine: plain JSON, opaque to workflows. */
export type LookupAnswers = unknown;

export type SyncStatus = 'Running' | 'Synced' | 'Parked' | 'Skipped' | 'Failed' | 'Cancelled';
export type SyncStep = 'eligibility' | 'lookups' | 'mapping' | 'find' | 'save' | 'submit' | 'audit' | 'compensate';

export interface RefundSummary {
  asId: string;
  shopId: string;
  shopName: string;
  lines: number;
  modified: string;
}

export interface SyncRefundInput {
  schemeId: string;
  refund: RefundSummary;
  record: SourceRecord;
  /** Lookups prefetched for a whole page by the poller; absent on a reprocess or a direct start. */
  answers?: LookupAnswers;
  /** The record failed validation (or is too large): park at eligibility with this reason until a newer version comes. */
  invalidReason?: string;
  /** Carried over continue-as-new. */
  timeline?: TimelineEntry[];
  /** Set by `erp-bridge resync`: a closed refund run again, starting from Kingdee's state of its bill. */
  resync?: { reason: string };
  /** Automatic retries of a park that time can fix, carried over continue-as-new. */
  autoRetry?: { attempts: number; waitedMs: number };
}

export interface TimelineEntry {
  step: SyncStep | 'parked' | 'reprocess' | 'auto-retry' | 'skip' | 'record-updated' | 'synced' | 'cancelled' | 'resync' | 'queued';
  outcome: 'ok' | 'failed' | 'info';
  at: string;
  detail?: string;
  kingdeeId?: string;
  billNo?: string;
}

export interface SyncRefundResult {
  status: 'Synced' | 'Skipped';
  asId: string;
  billNo?: string;
  billId?: string;
  /** True when an existing bill with this number was adopted instead of written. */
  adopted?: boolean;
  reason?: string;
}

export interface SyncRefundStatus {
  asId: string;
  status: SyncStatus;
  failedStep?: SyncStep;
  reason?: string;
  billNo?: string;
  billId?: string;
  timeline: TimelineEntry[];
  /** Parked on something time can fix: when it retries by itself (ISO-8601). */
  nextRetryAt?: string;
}

export interface ReprocessRequest { reason?: string }
export interface SkipRequest { reason: string }

/** What an accepted operator update answers: when the action takes effect. */
export interface ActionAccepted { asId: string; action: 'reprocess' | 'skip'; applied: 'now' | 'when the current attempt ends' }

/** A newer version of the record, handed over by the poller of `schemeId` (absent in histories from before schemes were named). */
export interface RecordUpdate { record: SourceRecord; refund: RefundSummary; invalidReason?: string; schemeId?: string }

// Signals (kept for operators' scripts, batch `temporal workflow signal`, and old histories) and updates
// (validated: the caller learns at once whether the action was accepted) share names and one queue.
export const reprocessSignal = defineSignal<[ReprocessRequest?]>('reprocess');
export const skipSignal = defineSignal<[SkipRequest]>('skip');
/** The stock CLI may send no input at all: the handler treats a missing request as `{}`. */
export const reprocessUpdate = defineUpdate<ActionAccepted, [ReprocessRequest]>('reprocess');
export const skipUpdate = defineUpdate<ActionAccepted, [SkipRequest]>('skip');
/** The poller hands a newer version of the record to a child that is still running. */
export const recordUpdatedSignal = defineSignal<[RecordUpdate]>('recordUpdated');
export const statusQuery = defineQuery<SyncRefundStatus>('status');

/** A decided record (synced, skipped, accepted, reversed) whose newer version differs in what the scheme reads. */
export interface DriftedRecord {
  refund: RefundSummary;
  /** The new version's scheme fields. */
  record: SourceRecord;
  /** Field by field, what differs from what was decided on ("items[1].qty: 2 → 1", "no longer eligible: …"). */
  difference: string[];
  /** The scheme's Kingdee form, where our bill is. */
  formId: string;
  /** What the ledger holds: the decision, our bill (when synced), and the version decided on. */
  decided: { decision: 'synced' | 'skipped' | 'accepted' | 'reversed'; billNo?: string; billId?: string; modified?: string };
  /** The new version fails the scheme's filter (cancelled, say): a resync then only reverses. */
  ineligibleReason?: string;
}

export interface PollCounts {
  pages: number;
  fetched: number;
  started: number;
  /** Handed to a child that was still running (e.g. parked). */
  updated: number;
  /** Its child already completed: not synced again. */
  alreadyDone: number;
  skipped: Record<string, number>;
  restarts: number;
  /** Records that failed validation, handed to their workflow to park (also counted in started/updated/alreadyDone). */
  invalid: number;
  /** Records without a usable as_id, by reason: no workflow can hold them. */
  unidentified: Record<string, number>;
  /** Decided records whose newer version differs from what was synced or skipped: each has a drift workflow. */
  drifted?: number;
}

export interface PollRefundsInput {
  schemeId: string;
  /** Explicit range (ISO-8601); overrides the watermark, for backfills and tests. */
  window?: { from: string; to: string };
  /** Defaults used when the run computes its own range. */
  lookbackMs?: number;
  overlapMs?: number;
  lagMs?: number;
  maxSliceMs?: number;
  /** Pages per slice pass before the run fails (default 2,000; tests use a few). */
  maxPagesPerSlice?: number;
  /** Halvings of a slice that keeps shifting before the run fails (default 3). */
  maxSplits?: number;
  /** `noopRefund` measures the engine's own fan-out ceiling (benchmark only). */
  childWorkflow?: ChildWorkflowKind;
}

export type ChildWorkflowKind = 'syncRefund' | 'noopRefund';

export interface PollRefundsResult {
  /** The end of the range this run covered: the next scheduled run starts here, minus the overlap. */
  watermark: string;
  from: string;
  to: string;
  counts: PollCounts;
}

export interface PollWindowInput {
  schemeId: string;
  begin: string;
  end: string;
  pageIndex?: number;
  counts?: PollCounts;
  restartsLeft?: number;
  firstDataCount?: number;
  childWorkflow?: ChildWorkflowKind;
  /** Pages per pass before the run fails (default 2,000). */
  maxPages?: number;
  /** How many times this slice was halved already (a split poller's own input). */
  splitDepth?: number;
  /** How many times a slice that keeps shifting may be halved before the run fails (default 3). */
  maxSplits?: number;
}

export const pollProgressQuery = defineQuery<PollCounts & { window?: { from: string; to: string }; slice?: number; slices?: number }>('progress');

export function emptyCounts(): PollCounts {
  return { pages: 0, fetched: 0, started: 0, updated: 0, alreadyDone: 0, skipped: {}, restarts: 0, invalid: 0, unidentified: {} };
}

export function addCounts(a: PollCounts, b: PollCounts): PollCounts {
  const byReason = (x: Record<string, number> = {}, y: Record<string, number> = {}) => {
    const sum = { ...x };
    for (const [reason, n] of Object.entries(y)) sum[reason] = (sum[reason] ?? 0) + n;
    return sum;
  };
  return {
    pages: a.pages + b.pages, fetched: a.fetched + b.fetched, started: a.started + b.started, updated: a.updated + b.updated,
    alreadyDone: a.alreadyDone + b.alreadyDone, skipped: byReason(a.skipped, b.skipped), restarts: a.restarts + b.restarts,
    // `?? 0`: counts carried over continue-as-new from before these fields existed.
    invalid: (a.invalid ?? 0) + (b.invalid ?? 0), unidentified: byReason(a.unidentified, b.unidentified),
    // Only when drift was seen: results of runs from before drift keep their shape.
    ...(a.drifted || b.drifted ? { drifted: (a.drifted ?? 0) + (b.drifted ?? 0) } : {}),
  };
}

/** The flagship scheme's workflow id prefix (schemes declare theirs in `workflowIdPrefix`). */
export const FLAGSHIP_WORKFLOW_ID_PREFIX = 'jst-refund-';

/** One workflow per scheme and record: the scheme's prefix and the record's as_id. */
export const refundWorkflowId = (asId: string, prefix: string = FLAGSHIP_WORKFLOW_ID_PREFIX): string => `${prefix}${asId}`;

/** A poll run's slices are `<poll id>-slice-<n>`: the refunds a run started have one of them as parent. */
export const pollSliceIdPrefix = (pollWorkflowId: string): string => `${pollWorkflowId}-slice-`;
/**
 * The drift workflow of a record: its own id beside the refund's (`jst-refund-<as_id>-drift`), never the refund's.
 * The refund's id is closed for good (its reuse policy keeps a synced refund from being started again), and the
 * refund's history stays the record of the sync. One id per record, reused (ALLOW_DUPLICATE) once closed: at most
 * one drift is open per record, a later change starts a new run, and a poll that sees the drift again while it is
 * open hands it the newer version instead of starting a second one.
 */
export const driftWorkflowId = (asId: string, prefix: string = FLAGSHIP_WORKFLOW_ID_PREFIX): string => `${refundWorkflowId(asId, prefix)}-drift`;

// The drift workflow (drift-refund.ts): one per record whose version changed after its decision, closed by an operator.
export interface DriftRefundInput extends DriftedRecord {
  schemeId: string;
  /** The scheme's workflow id prefix: where the refund's own workflow lives (a resync starts it again). */
  workflowIdPrefix?: string;
}

export type DriftStatus = 'Drifted' | 'Accepted' | 'Reversed' | 'Resynced';
export type DriftAction = 'accept' | 'reverse' | 'resync';

export interface DriftActionRequest { reason: string }
export interface DriftActionAccepted { asId: string; action: DriftAction; applied: 'now' }

export interface DriftRefundState {
  asId: string;
  status: DriftStatus;
  difference: string[];
  billNo?: string;
  /** Kingdee refused a reverse: its reason (the drift stays open for another action). */
  parkedReason?: string;
  timeline: Array<{ at: string; step: string; detail?: string }>;
}

export interface DriftRefundResult { status: Exclude<DriftStatus, 'Drifted'>; asId: string; reason: string; billNo?: string }

/** accept: Kingdee stays as is for this version (recorded with the reason). */
export const acceptDriftUpdate = defineUpdate<DriftActionAccepted, [DriftActionRequest]>('accept');
/** reverse: un-audit and delete our bill; Kingdee refusing (downstream documents) parks with its reason. */
export const reverseDriftUpdate = defineUpdate<DriftActionAccepted, [DriftActionRequest]>('reverse');
/** resync: reverse, then sync the new version in the refund's own workflow. */
export const resyncDriftUpdate = defineUpdate<DriftActionAccepted, [DriftActionRequest]>('resync');
/** A later poll saw a newer drifted version while the drift was open. */
export const driftUpdatedSignal = defineSignal<[DriftRefundInput]>('driftUpdated');
/** Same name as the refund's status query: `temporal workflow query --name status` works on both. */
export const driftStatusQuery = defineQuery<DriftRefundState>('status');
