// The scheduled workflow: works out the range since the scheme's watermark (kept in the state store; in
// histories from before, the schedule's last completion result), splits it into ≤ 7-day slices and pages each
// slice in a child. A run that read its whole range moves the watermark forward; a failed run is alerted.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, patched, proxyActivities, setHandler, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { POLL_DEFAULTS, pollRange, watermarkAfterRun } from '../lib/poll-range';
import { sliceRange } from '../lib/time-slices';
import { addCounts, emptyCounts, pollProgressQuery, pollSliceIdPrefix, type PollRefundsInput, type PollRefundsResult } from './messages';
import { pollWindow } from './poll-window';
import { versioningBehavior } from './versioning-behavior';

/**
 * The watermark lives in the state store (forward-only, per scheme), read by an activity when the run starts and
 * advanced when it read its whole range; the run's health is checked and a failed run alerted. Histories
 * recorded before this patch take the watermark from the schedule's last completion result and issue none of
 * these activities; that branch can go once no pollRefunds started before it is open (one release: runs are short).
 */
export const WATERMARK_IN_STORE_PATCH = 'poll-watermark-in-store';

// The state store is the workflow queue's worker's own (no external system's budget is spent): the main queue.
// Bounded, so a store that stays down fails the run (alerted) instead of holding the schedule.
const pollRuns = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const ScheduledStartKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The schedule's nominal time for this run (buffered and backfilled runs keep their own), else the start time. */
function nominalTime(): Date {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(ScheduledStartKey);
  if (typed) return typed;
  const legacy = info.searchAttributes?.TemporalScheduledStartTime?.[0]; // some builds store it untyped
  return legacy ? new Date(legacy as unknown as string) : info.startTime;
}

// PINNED: a run lasts minutes and finishes on the build it started on (the next scheduled run starts on the
// current build), so a rollout never moves a poller half-way and the old build drains within minutes.
setWorkflowOptions(versioningBehavior('PINNED'), pollRefunds);
export async function pollRefunds(input: PollRefundsInput): Promise<PollRefundsResult> {
  const info = workflowInfo();
  const last = info.lastResult as PollRefundsResult | undefined;
  const storesWatermark = patched(WATERMARK_IN_STORE_PATCH);
  /** A failing poll is loud: alerted (at once, then hourly while runs keep failing); the watermark stays. */
  const alerted = async (err: unknown, range?: { from: Date; to: Date }): Promise<never> => {
    if (storesWatermark) {
      try {
        await pollRuns.failPollRun({ schemeId: input.schemeId, reason: failureReason(err), ...(range ? { from: range.from.toISOString(), to: range.to.toISOString() } : {}) });
      } catch {
        // The alert could not be raised (its activity timed out): the run's own failure is what it reports.
      }
    }
    throw err;
  };

  let stored: string | undefined;
  try {
    stored = storesWatermark ? (await pollRuns.beginPollRun({ schemeId: input.schemeId })).watermark : undefined;
  } catch (err) {
    return alerted(err); // the state store stayed unreachable
  }
  // Before the first complete run under this patch the store has none: the last completion result carries on.
  const { from, to } = pollRange(input, new Date(), nominalTime(), stored ?? last?.watermark);
  const slices = sliceRange(from, to, input.maxSliceMs ?? POLL_DEFAULTS.maxSliceMs);

  let counts = emptyCounts();
  let current = 0;
  setHandler(pollProgressQuery, () => ({ ...counts, window: { from: from.toISOString(), to: to.toISOString() }, slice: current, slices: slices.length }));

  try {
    for (const [i, slice] of slices.entries()) {
      current = i + 1;
      const sliceCounts = await executeChild(pollWindow, {
        workflowId: `${pollSliceIdPrefix(info.workflowId)}${i + 1}`,
        args: [{ schemeId: input.schemeId, begin: slice.from.toISOString(), end: slice.to.toISOString(), childWorkflow: input.childWorkflow, maxPages: input.maxPagesPerSlice, maxSplits: input.maxSplits }],
        staticSummary: `Poll slice ${i + 1}/${slices.length}: ${slice.from.toISOString()} → ${slice.to.toISOString()}`,
      });
      counts = addCounts(counts, sliceCounts);
    }
  } catch (err) {
    return alerted(err, { from, to });
  }
  // The watermark only moves when every slice completed: a failed run is retried from the same point.
  if (!storesWatermark) return { watermark: to.toISOString(), from: from.toISOString(), to: to.toISOString(), counts };
  const advanceTo = watermarkAfterRun(input, { from, to }, stored, info.runStartTime);
  let now: { watermark?: string };
  try {
    now = await pollRuns.completePollRun({ schemeId: input.schemeId, ...(advanceTo ? { advanceTo: advanceTo.toISOString() } : {}) });
  } catch (err) {
    return alerted(err, { from, to });
  }
  // A backfill reports the scheme's watermark, which it may have left where it was.
  return { watermark: now.watermark ?? to.toISOString(), from: from.toISOString(), to: to.toISOString(), counts };
}

/** The innermost cause's message (a slice's failure wraps its activity's), for the alert. */
function failureReason(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}
