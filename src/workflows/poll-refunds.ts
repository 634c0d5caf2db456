// The scheduled workflow: works out the range since the last successful run (the watermark in the
// schedule's last completion result), splits it into ≤ 7-day slices and pages each slice in a child.
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { executeChild, setHandler, workflowInfo } from '@temporalio/workflow';
import { sliceRange, SEVEN_DAYS_MS } from '../lib/time-slices';
import { addCounts, emptyCounts, pollProgressQuery, type PollRefundsInput, type PollRefundsResult } from './messages';
import { pollWindow } from './poll-window';

export const POLL_DEFAULTS = {
  /** First run, or a run without a previous result: how far back to look. */
  lookbackMs: 24 * 3600_000,
  /** Re-read this much before the watermark: absorbs clock skew and same-second ties. */
  overlapMs: 10 * 60_000,
  /** Stop this far before now, so records modified while we page fall into the next run. */
  lagMs: 60_000,
  maxSliceMs: SEVEN_DAYS_MS,
};

const ScheduledStartKey = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

/** The schedule's nominal time for this run (buffered and backfilled runs keep their own), else the start time. */
function nominalTime(): Date {
  const info = workflowInfo();
  const typed = info.typedSearchAttributes.get(ScheduledStartKey);
  if (typed) return typed;
  const legacy = info.searchAttributes?.TemporalScheduledStartTime?.[0]; // some builds store it untyped
  return legacy ? new Date(legacy as unknown as string) : info.startTime;
}

export function pollRange(input: PollRefundsInput, now: Date, nominal: Date, lastWatermark?: string): { from: Date; to: Date } {
  if (input.window) return { from: new Date(input.window.from), to: new Date(input.window.to) };
  const lagMs = input.lagMs ?? POLL_DEFAULTS.lagMs;
  const to = new Date(Math.min(nominal.getTime(), now.getTime()) - lagMs);
  const from = lastWatermark
    ? new Date(new Date(lastWatermark).getTime() - (input.overlapMs ?? POLL_DEFAULTS.overlapMs))
    : new Date(to.getTime() - (input.lookbackMs ?? POLL_DEFAULTS.lookbackMs));
  return { from, to };
}

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
      args: [{ schemeId: input.schemeId, begin: slice.from.toISOString(), end: slice.to.toISOString() }],
      staticSummary: `Poll slice ${i + 1}/${slices.length}: ${slice.from.toISOString()} → ${slice.to.toISOString()}`,
    });
    counts = addCounts(counts, sliceCounts);
  }
  // The watermark only moves when every slice completed: a failed run is retried from the same point.
  return { watermark: to.toISOString(), from: from.toISOString(), to: to.toISOString(), counts };
}
