// The scheduled workflow: works out the range since the last successful run (the watermark in the
// schedule's last completion result), splits it into ≤ 7-day slices and pages each slice in a child.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, setHandler, setWorkflowOptions, workflowInfo } from '@temporalio/workflow';
import { POLL_DEFAULTS, pollRange } from '../lib/poll-range';
import { sliceRange } from '../lib/time-slices';
import { addCounts, emptyCounts, pollProgressQuery, type PollRefundsInput, type PollRefundsResult } from './messages';
import { pollWindow } from './poll-window';
import { versioningBehavior } from './versioning-behavior';

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
  const { from, to } = pollRange(input, new Date(), nominalTime(), last?.watermark);
  const slices = sliceRange(from, to, input.maxSliceMs ?? POLL_DEFAULTS.maxSliceMs);

  let counts = emptyCounts();
  let current = 0;
  setHandler(pollProgressQuery, () => ({ ...counts, window: { from: from.toISOString(), to: to.toISOString() }, slice: current, slices: slices.length }));

  for (const [i, slice] of slices.entries()) {
    current = i + 1;
    const sliceCounts = await executeChild(pollWindow, {
      workflowId: `${info.workflowId}-slice-${i + 1}`,
      args: [{ schemeId: input.schemeId, begin: slice.from.toISOString(), end: slice.to.toISOString(), childWorkflow: input.childWorkflow, maxPages: input.maxPagesPerSlice, maxSplits: input.maxSplits }],
      staticSummary: `Poll slice ${i + 1}/${slices.length}: ${slice.from.toISOString()} → ${slice.to.toISOString()}`,
    });
    counts = addCounts(counts, sliceCounts);
  }
  // The watermark only moves when every slice completed: a failed run is retried from the same point.
  return { watermark: to.toISOString(), from: from.toISOString(), to: to.toISOString(), counts };
}
