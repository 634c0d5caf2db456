import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketFor, percentile, perItem, perSecond, ratio, summarizeLatencies, throughputSeries } from '../../src/bench/stats';

test('percentile is nearest-rank over sorted values', () => {
  const values = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 100);
  assert.equal(percentile(values, 90), 90);
  assert.equal(percentile(values, 0), 10, 'p0 is the smallest value');
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile([7], 50), 7);
  assert.equal(percentile([], 50), undefined);
  assert.throws(() => percentile(values, 101), RangeError);
});

test('a latency summary sorts its input and reports p50, p95 and max', () => {
  const s = summarizeLatencies([900, 100, 500, 300, 700]);
  assert.deepEqual(s, { count: 5, p50Ms: 500, p95Ms: 900, maxMs: 900 });
  assert.deepEqual(summarizeLatencies([]), { count: 0, p50Ms: null, p95Ms: null, maxMs: null });
});

test('rates, ratios and per-item counts refuse to divide by nothing', () => {
  assert.equal(perSecond(2000, 40_000), 50);
  assert.equal(perSecond(10, 0), null);
  assert.equal(ratio(12, 24), 0.5);
  assert.equal(ratio(12, 0), null);
  assert.equal(ratio(null, 3), null);
  assert.equal(perItem(8000, 2000), 4);
  assert.equal(perItem(0, 2000), 0);
  assert.equal(perItem(5, 0), null);
});

test('the throughput series counts completions per bucket from the origin', () => {
  const origin = 1_000_000;
  // 2 completions in the first second, none in the second, 3 in the third.
  const series = throughputSeries([origin + 100, origin + 900, origin + 2100, origin + 2500, origin + 2999], origin, 1000);
  assert.deepEqual(series, [
    { atSeconds: 1, perSecond: 2 },
    { atSeconds: 2, perSecond: 0 },
    { atSeconds: 3, perSecond: 3 },
  ]);
  const total = series.reduce((sum, p) => sum + p.perSecond, 0);
  assert.equal(total, 5, 'every completion lands in exactly one bucket');
  assert.deepEqual(throughputSeries([], origin, 1000), []);
  assert.deepEqual(throughputSeries([origin + 4000], origin, 2000), [{ atSeconds: 2, perSecond: 0 }, { atSeconds: 4, perSecond: 0.5 }]);
});

test('bucket widths are whole seconds, about 60 buckets a run, never below one second', () => {
  assert.equal(bucketFor(600_000), 10_000);
  assert.equal(bucketFor(20_000), 1000);
  assert.equal(bucketFor(0), 1000);
});
