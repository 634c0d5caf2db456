import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jushuitanActivitiesPerSecond } from '../../src/runtime/queue-limits';

/** The most calls a token bucket of this rate (burst ⌈rate⌉) lets through in a window of `seconds`. */
const worstCase = (rate: number, seconds: number) => Math.max(1, Math.ceil(rate)) + rate * seconds;

for (const limits of [{ perSecond: 5, perMinute: 100 }, { perSecond: 2, perMinute: 20 }, { perSecond: 10, perMinute: 1000 }, { perSecond: 3, perMinute: 50 }, { perSecond: 8, perMinute: 480 }, { perSecond: 2, perMinute: 120 }]) {
  test(`the Jushuitan queue rate keeps any burst inside ${limits.perSecond}/s and ${limits.perMinute}/min`, () => {
    const rate = jushuitanActivitiesPerSecond(limits);
    assert.ok(rate > 0, 'a positive rate');
    assert.ok(worstCase(rate, 1) <= limits.perSecond, `per second: ${worstCase(rate, 1)} <= ${limits.perSecond}`);
    assert.ok(worstCase(rate, 60) <= limits.perMinute - 1, `per minute, one call kept for a token refresh: ${worstCase(rate, 60)}`);
  });
}

test('the default budget (5/s, 100/min) is mostly used, not wasted', () => {
  assert.ok(jushuitanActivitiesPerSecond({ perSecond: 5, perMinute: 100 }) > 1.5);
});

test('a per-minute budget as large as the per-second one allows is used too, not cut to the 0.1/s floor', () => {
  // 8/s and 480/min: a burst of 4 leaves 4/s inside both windows (the chaos run's client budget).
  assert.equal(jushuitanActivitiesPerSecond({ perSecond: 8, perMinute: 480 }), 4);
  assert.equal(jushuitanActivitiesPerSecond({ perSecond: 2, perMinute: 120 }), 1);
});
