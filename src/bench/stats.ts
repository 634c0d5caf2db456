// Pure statistics for the benchmark: percentiles, latency summaries, rates, ratios and the throughput series
// behind the chart. No I/O and no clock, so every number in a report can be checked by a unit test.

/** Nearest-rank percentile (p in [0, 100]) of values sorted ascending; undefined for no values. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${p}`);
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

export interface LatencySummary {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

export function summarizeLatencies(valuesMs: readonly number[]): LatencySummary {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: percentile(sorted, 50) ?? null,
    p95Ms: percentile(sorted, 95) ?? null,
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1]! : null,
  };
}

/** Items per second over a span; null when the span is empty (a rate cannot be measured over no time). */
export function perSecond(items: number, spanMs: number): number | null {
  return spanMs > 0 ? (items * 1000) / spanMs : null;
}

/** a / b, or null when either is unknown or b is zero. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return null;
  return a / b;
}

/** count / n for "calls per refund"; 0 for no calls, null when there were no refunds. */
export function perItem(count: number, n: number): number | null {
  return n > 0 ? count / n : null;
}

export interface ThroughputPoint {
  /** Seconds from the run's start to the end of the bucket. */
  atSeconds: number;
  /** Completions per second within the bucket. */
  perSecond: number;
}

/** Completions per second in consecutive buckets of `bucketMs` from `originMs`, up to the last completion. */
export function throughputSeries(completionsMs: readonly number[], originMs: number, bucketMs: number): ThroughputPoint[] {
  if (!(bucketMs > 0)) throw new RangeError(`bucket width must be positive, got ${bucketMs}`);
  if (completionsMs.length === 0) return [];
  const endMs = Math.max(...completionsMs);
  const buckets = Math.max(1, Math.ceil((endMs - originMs) / bucketMs));
  const counts = new Array<number>(buckets).fill(0);
  for (const t of completionsMs) counts[Math.min(buckets - 1, Math.max(0, Math.floor((t - originMs) / bucketMs)))]! += 1;
  return counts.map((count, i) => ({ atSeconds: ((i + 1) * bucketMs) / 1000, perSecond: (count * 1000) / bucketMs }));
}

/** A bucket width giving about `points` buckets over `spanMs`, rounded to whole seconds (at least 1 s). */
export function bucketFor(spanMs: number, points = 60): number {
  return Math.max(1000, Math.round(spanMs / points / 1000) * 1000);
}
