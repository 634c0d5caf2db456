// Pages one ≤ 7-day slice of the refund query and hands each eligible record to its own child workflow.
// Continues as new every few hundred children, so history and pending children stay far inside Temporal's limits.
import {
  ApplicationFailure,
  continueAsNew,
  executeChild,
  getExternalWorkflowHandle,
  patched,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  setWorkflowOptions,
  startChild,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../activities';
import { startSearchAttributes } from '../temporal/search-attributes';
import {
  addCounts,
  driftUpdatedSignal,
  driftWorkflowId,
  emptyCounts,
  FLAGSHIP_WORKFLOW_ID_PREFIX,
  pollProgressQuery,
  recordUpdatedSignal,
  refundWorkflowId,
  type ChildWorkflowKind,
  type DriftedRecord,
  type PollCounts,
  type PollWindowInput,
  type SyncRefundInput,
} from './messages';
import { onJushuitanQueue } from './activity-queues';
import { noopRefund } from './noop-refund';
import { syncRefund } from './sync-refund';
import { driftRefund } from './drift-refund';
import { versioningBehavior } from './versioning-behavior';

// On the Jushuitan task queue, whose server-side rate limit is the app key's budget across all workers.
const { fetchRefundPage } = proxyActivities<ReturnType<typeof createActivities>>(onJushuitanQueue({
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats every few seconds: a page lost with a dead worker is fetched again this soon.
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConfigError'] },
}));

/** Children started per run before continuing as new (Temporal allows 2,000 pending; stay far below). */
export const CHILDREN_PER_RUN = 500;
/** A shifted page restarts the slice this many times at most, then (with the patch below) the slice is split. */
const MAX_RESTARTS = 3;

/**
 * No unread windows: paging stops at an empty page or at the reported page count, a pass longer than the page
 * cap fails the run, and a slice still shifting after its restarts is split into halves read by child pollers
 * (at most MAX_SPLITS deep), or fails the run so its watermark stays. Histories recorded before this patch
 * keep the old paging (has_next only, carry on after the restarts); the old branch can go once no pollWindow
 * started before it is open (pollers are short-lived: after one release).
 */
export const READ_WHOLE_SLICE_PATCH = 'poll-window-reads-whole-slice';
/**
 * Decided records whose new version differs (the page's `drifted`) each get a drift workflow. Pages of histories
 * from before it carry no `drifted`; the branch can go with READ_WHOLE_SLICE_PATCH's.
 */
export const DRIFT_PATCH = 'poll-window-starts-drift';
/** Pages per pass of one slice before the run fails: 100,000 records in one ≤ 7-day slice. */
export const DEFAULT_MAX_PAGES_PER_SLICE = 2_000;
/** A slice that keeps shifting is halved at most this many times (a 7-day slice down to 21 hours). */
export const MAX_SPLITS = 3;

// PINNED like pollRefunds, whose child it is: a slice runs for minutes, and its continue-as-new runs stay on
// the build that started the slice (a slice is read by one version of the paging logic).
setWorkflowOptions(versioningBehavior('PINNED'), pollWindow);
export async function pollWindow(input: PollWindowInput): Promise<PollCounts> {
  const counts = input.counts ?? emptyCounts();
  let pageIndex = input.pageIndex ?? 1;
  let restartsLeft = input.restartsLeft ?? MAX_RESTARTS;
  let firstDataCount = input.firstDataCount;
  let startedThisRun = 0;
  const handedOver = new Map<string, string>(); // as_id → modified, so a restarted slice does not signal twice
  setHandler(pollProgressQuery, () => ({ ...counts, window: { from: input.begin, to: input.end } }));
  const readsWholeSlice = patched(READ_WHOLE_SLICE_PATCH);
  const maxPages = input.maxPages ?? DEFAULT_MAX_PAGES_PER_SLICE;

  for (;;) {
    const page = await fetchRefundPage({ schemeId: input.schemeId, begin: input.begin, end: input.end, pageIndex });
    if (pageIndex === 1 || firstDataCount === undefined) {
      firstDataCount = page.dataCount;
    } else if (page.dataCount !== undefined && page.dataCount !== firstDataCount && restartsLeft > 0) {
      // Records changed under us and pages shifted: a record may have slid onto a page already read.
      restartsLeft--;
      counts.restarts++;
      pageIndex = 1;
      firstDataCount = undefined;
      continue;
    } else if (readsWholeSlice && page.dataCount !== undefined && page.dataCount !== firstDataCount) {
      // Still shifting after every restart: a record may sit on a page already read. Never report it complete.
      return addCounts(counts, await readInHalves(input, counts.restarts));
    }
    counts.pages++;
    counts.fetched += page.fetched;
    for (const s of page.skipped) counts.skipped[s.reason] = (counts.skipped[s.reason] ?? 0) + 1;
    counts.unidentified ??= {};
    for (const u of page.unidentified ?? []) counts.unidentified[u.reason] = (counts.unidentified[u.reason] ?? 0) + 1;
    // Synced or skipped per the decisions ledger (the activity left them out): done, as a completed workflow is.
    counts.alreadyDone += page.decided?.length ?? 0;

    // A bad record parks in its own workflow with its reason; its neighbours go on as usual.
    const children: SyncRefundInput[] = [
      ...page.eligible.map((item) => ({ schemeId: input.schemeId, ...item })),
      ...(page.invalid ?? []).map((bad) => ({ schemeId: input.schemeId, refund: bad.refund, record: {}, invalidReason: bad.reason })),
    ];
    const fresh = children.filter((c) => handedOver.get(c.refund.asId) !== c.refund.modified);
    counts.invalid = (counts.invalid ?? 0) + fresh.filter((c) => c.invalidReason !== undefined).length;
    // Start the whole page at once: one workflow task issues every start command.
    // Histories from before schemes declared a prefix have none in the page: the flagship's.
    const prefix = page.workflowIdPrefix ?? FLAGSHIP_WORKFLOW_ID_PREFIX;
    await Promise.all(fresh.map((child) => handOver(child, counts, prefix, input.childWorkflow)));
    const drifted = (page.drifted ?? []).filter((d) => handedOver.get(d.refund.asId) !== d.refund.modified);
    if (drifted.length > 0 && patched(DRIFT_PATCH)) {
      await Promise.all(drifted.map((d) => handOverDrift(d, input.schemeId, counts, prefix)));
      for (const d of drifted) handedOver.set(d.refund.asId, d.refund.modified);
    }
    for (const c of fresh) handedOver.set(c.refund.asId, c.refund.modified);
    startedThisRun += fresh.length;

    if (readsWholeSlice ? isLastPage(page, pageIndex) : !page.hasNext) return counts;
    if (readsWholeSlice && pageIndex >= maxPages) {
      throw ApplicationFailure.nonRetryable(
        `slice ${input.begin} .. ${input.end}: ${pageIndex} pages read and Jushuitan still says has_next (page cap ${maxPages}); ` +
          'the run fails so its watermark stays where it was',
        'PageCapExceeded',
      );
    }
    pageIndex++;
    if (startedThisRun >= CHILDREN_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof pollWindow>({ ...input, pageIndex, counts, restartsLeft, firstDataCount });
    }
  }
}

/** The last page: has_next says so, the page came back empty, or it is the last of the reported page count. */
function isLastPage(page: { hasNext: boolean; fetched: number; pageCount?: number }, pageIndex: number): boolean {
  return !page.hasNext || page.fetched === 0 || (page.pageCount !== undefined && pageIndex >= page.pageCount);
}

/** Reads a slice that keeps shifting as two halves, each in its own poller; fails the run past MAX_SPLITS. */
async function readInHalves(input: PollWindowInput, restarts: number): Promise<PollCounts> {
  const depth = input.splitDepth ?? 0;
  const begin = new Date(input.begin).getTime();
  const end = new Date(input.end).getTime();
  // Jushuitan's window is whole seconds, inclusive at both ends.
  const middle = begin + Math.floor((end - begin) / 2_000) * 1_000;
  if (depth >= (input.maxSplits ?? MAX_SPLITS) || middle <= begin || middle + 1_000 > end) {
    throw ApplicationFailure.nonRetryable(
      `slice ${input.begin} .. ${input.end} kept shifting while it was paged (${restarts} restarts, ${depth} splits); ` +
        'the run fails so its watermark stays where it was, and a later run reads the range again',
      'SliceKeptShifting',
    );
  }
  const halves = [
    { begin: input.begin, end: new Date(middle).toISOString() },
    { begin: new Date(middle + 1_000).toISOString(), end: input.end },
  ];
  let counts = emptyCounts();
  for (const [i, half] of halves.entries()) {
    const part = await executeChild(pollWindow, {
      workflowId: `${workflowInfo().workflowId}-split-${i + 1}`,
      args: [{ schemeId: input.schemeId, ...half, childWorkflow: input.childWorkflow, maxPages: input.maxPages, maxSplits: input.maxSplits, splitDepth: depth + 1 }],
      staticSummary: `Poll split ${depth + 1}.${i + 1}: ${half.begin} → ${half.end}`,
    });
    counts = addCounts(counts, part);
  }
  return counts;
}

async function handOver(child: SyncRefundInput, counts: PollCounts, prefix: string, kind: ChildWorkflowKind = 'syncRefund'): Promise<void> {
  const { refund } = child;
  const workflowId = refundWorkflowId(refund.asId, prefix);
  try {
    await startChild(kind === 'noopRefund' ? noopRefund : syncRefund, {
      workflowId,
      args: [child],
      // The refund's workflow outlives this poller; a completed one is never started again (a failed one is).
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: startSearchAttributes({ asId: refund.asId, shopId: refund.shopId, schemeId: child.schemeId, status: 'Running' }),
      staticSummary: `退货 AS${refund.asId} · ${refund.shopName} · ${refund.lines} lines`,
    });
    counts.started++;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    try {
      // Still running (parked, say): give it the newer record. It ignores versions it already has.
      // The scheme travels with the record: a run of another scheme would ignore it.
      await getExternalWorkflowHandle(workflowId).signal(recordUpdatedSignal, { record: child.record, refund, invalidReason: child.invalidReason, schemeId: child.schemeId });
      counts.updated++;
    } catch {
      counts.alreadyDone++; // closed successfully: synced or skipped, never again
    }
  }
}

/** Starts the record's drift workflow, or hands the newer version to the one already open. */
async function handOverDrift(drift: DriftedRecord, schemeId: string, counts: PollCounts, prefix: string): Promise<void> {
  const { refund } = drift;
  const workflowId = driftWorkflowId(refund.asId, prefix);
  const input = { ...drift, schemeId, workflowIdPrefix: prefix };
  counts.drifted = (counts.drifted ?? 0) + 1;
  try {
    await startChild(driftRefund, {
      workflowId,
      args: [input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
      // One drift open per record; a later change after it closed starts the same id again (see driftWorkflowId).
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
      typedSearchAttributes: startSearchAttributes({ asId: refund.asId, shopId: refund.shopId, schemeId, status: 'Drifted' }),
      staticSummary: `退货 AS${refund.asId} · drifted after ${drift.decided.decision} · ${refund.shopName}`,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    // Still open: it takes the newer version (and ignores one it already has). Closed meanwhile: the next poll
    // compares with what the operator decided.
    try {
      await getExternalWorkflowHandle(workflowId).signal(driftUpdatedSignal, input);
    } catch {
      /* closed between the start and the signal */
    }
  }
}
