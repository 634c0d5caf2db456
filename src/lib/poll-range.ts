// Which modified-time range a poll run covers (pure: used by the workflow, tested on its own).
import { SEVEN_DAYS_MS } from './time-slices';

export interface PollRangeInput {
  window?: { from: string; to: string };
  lookbackMs?: number;
  overlapMs?: number;
  lagMs?: number;
}

export const POLL_DEFAULTS = {
  /** First run, or a run without a previous result: how far back to look. */
  lookbackMs: 24 * 3600_000,
  /** Re-read this much before the watermark: absorbs clock skew and same-second ties. */
  overlapMs: 10 * 60_000,
  /** Stop this far before now, so records modified while we page fall into the next run. */
  lagMs: 60_000,
  maxSliceMs: SEVEN_DAYS_MS,
};

/**
 * An explicit window wins. Otherwise the run ends at its nominal time (never in the future) minus the lag,
 * and starts at the last successful run's watermark minus the overlap, or at the look-back on a first run.
 */
export function pollRange(input: PollRangeInput, now: Date, nominal: Date, lastWatermark?: string): { from: Date; to: Date } {
  if (input.window) return { from: new Date(input.window.from), to: new Date(input.window.to) };
  const lagMs = input.lagMs ?? POLL_DEFAULTS.lagMs;
  const to = new Date(Math.min(nominal.getTime(), now.getTime()) - lagMs);
  const from = lastWatermark
    ? new Date(new Date(lastWatermark).getTime() - (input.overlapMs ?? POLL_DEFAULTS.overlapMs))
    : new Date(to.getTime() - (input.lookbackMs ?? POLL_DEFAULTS.lookbackMs));
  return { from, to };
}


/**
 * Where a run that read its whole range leaves the scheme's watermark, or undefined to leave it be. A scheduled
 * run read from the watermark (minus the overlap) to its end. A backfill moves it only when its range starts at
 * or before the stored watermark, so everything up to its end is read; an older range never moves it (and with
 * no watermark stored, a backfill of some old range says nothing about what came after), nor does a late run
 * ending before it. A range ending after
 * the run started counts only up to its start minus the lag: records still being written then may be missed.
 */
export function watermarkAfterRun(input: PollRangeInput, range: { from: Date; to: Date }, stored: string | undefined, runStart: Date): Date | undefined {
  if (input.window && (stored === undefined || range.from.getTime() > new Date(stored).getTime())) return undefined;
  const readUpTo = Math.min(range.to.getTime(), runStart.getTime() - (input.lagMs ?? POLL_DEFAULTS.lagMs));
  // Not past the stored watermark (a late run, an old range): nothing to move.
  return stored !== undefined && readUpTo <= new Date(stored).getTime() ? undefined : new Date(readUpTo);
}
