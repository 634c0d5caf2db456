// Pages one ≤ 7-day slice of the refund query and hands each eligible record to its own child workflow.
// Continues as new every few hundred children, so history and pending children stay far inside Temporal's limits.
import {
  continueAsNew,
  getExternalWorkflowHandle,
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
import { JstAsIdKey, JstShopIdKey, SchemeIdKey, SyncStatusKey } from '../temporal/search-attributes';
import {
  emptyCounts,
  pollProgressQuery,
  recordUpdatedSignal,
  refundWorkflowId,
  type ChildWorkflowKind,
  type PollCounts,
  type PollWindowInput,
  type SyncRefundInput,
} from './messages';
import { noopRefund } from './noop-refund';
import { syncRefund } from './sync-refund';
import { versioningBehavior } from './versioning-behavior';

const { fetchRefundPage } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '2 minutes',
  // The activity heartbeats every few seconds: a page lost with a dead worker is fetched again this soon.
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '30 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', nonRetryableErrorTypes: ['ConfigError'] },
});

/** Children started per run before continuing as new (Temporal allows 2,000 pending; stay far below). */
export const CHILDREN_PER_RUN = 500;
/** A shifted page restarts the slice this many times at most; the next run's overlap covers the rest. */
const MAX_RESTARTS = 3;

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
    }
    counts.pages++;
    counts.fetched += page.fetched;
    for (const s of page.skipped) counts.skipped[s.reason] = (counts.skipped[s.reason] ?? 0) + 1;
    counts.unidentified ??= {};
    for (const u of page.unidentified ?? []) counts.unidentified[u.reason] = (counts.unidentified[u.reason] ?? 0) + 1;

    // A bad record parks in its own workflow with its reason; its neighbours go on as usual.
    const children: SyncRefundInput[] = [
      ...page.eligible.map((item) => ({ schemeId: input.schemeId, ...item })),
      ...(page.invalid ?? []).map((bad) => ({ schemeId: input.schemeId, refund: bad.refund, record: {}, invalidReason: bad.reason })),
    ];
    const fresh = children.filter((c) => handedOver.get(c.refund.asId) !== c.refund.modified);
    counts.invalid = (counts.invalid ?? 0) + fresh.filter((c) => c.invalidReason !== undefined).length;
    // Start the whole page at once: one workflow task issues every start command.
    await Promise.all(fresh.map((child) => handOver(child, counts, input.childWorkflow)));
    for (const c of fresh) handedOver.set(c.refund.asId, c.refund.modified);
    startedThisRun += fresh.length;

    if (!page.hasNext) return counts;
    pageIndex++;
    if (startedThisRun >= CHILDREN_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof pollWindow>({ ...input, pageIndex, counts, restartsLeft, firstDataCount });
    }
  }
}

async function handOver(child: SyncRefundInput, counts: PollCounts, kind: ChildWorkflowKind = 'syncRefund'): Promise<void> {
  const { refund } = child;
  const workflowId = refundWorkflowId(refund.asId);
  try {
    await startChild(kind === 'noopRefund' ? noopRefund : syncRefund, {
      workflowId,
      args: [child],
      // The refund's workflow outlives this poller; a completed one is never started again (a failed one is).
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
      typedSearchAttributes: [
        { key: JstAsIdKey, value: refund.asId },
        { key: JstShopIdKey, value: refund.shopId },
        { key: SchemeIdKey, value: child.schemeId },
        { key: SyncStatusKey, value: 'Running' },
      ],
      staticSummary: `退货 AS${refund.asId} · ${refund.shopName} · ${refund.lines} lines`,
    });
    counts.started++;
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    try {
      // Still running (parked, say): give it the newer record. It ignores versions it already has.
      await getExternalWorkflowHandle(workflowId).signal(recordUpdatedSignal, { record: child.record, refund, invalidReason: child.invalidReason });
      counts.updated++;
    } catch {
      counts.alreadyDone++; // closed successfully: synced or skipped, never again
    }
  }
}
