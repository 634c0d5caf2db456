import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from '../../src/connectors/jushuitan';
import { VirtualClock } from './support/helpers';

const LIMITS = { perSecond: 5, perMinute: 100, marginMs: 0 };

function maxInWindow(stamps: number[], windowMs: number): number {
  return Math.max(...stamps.map((t) => stamps.filter((s) => s > t - windowMs && s <= t).length));
}

test('sequential callers never exceed 5 per sliding second or 100 per sliding minute, and sleep only when needed', async () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  const granted: number[] = [];
  for (let i = 0; i < 230; i++) {
    await limiter.acquire('app', LIMITS);
    granted.push(clock.now());
  }
  assert.equal(maxInWindow(granted, 1_000), 5);
  assert.equal(maxInWindow(granted, 60_000), 100);
  // Sliding windows: the 101st call waits for the first to leave the minute, not for a fixed bucket.
  assert.equal(granted[100]! - granted[0]!, 60_000);
  assert.ok(clock.sleeps.length <= granted.length, `no polling: ${clock.sleeps.length} sleeps for ${granted.length} calls`);
});

test('concurrent callers share the windows of one key, FIFO', async () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  const order: number[] = [];
  const granted: number[] = [];
  await Promise.all(
    Array.from({ length: 23 }, (_, i) =>
      limiter.acquire('app', LIMITS).then(() => {
        order.push(i);
        granted.push(clock.now());
      }),
    ),
  );
  assert.deepEqual(order, Array.from({ length: 23 }, (_, i) => i));
  assert.ok(maxInWindow(granted, 1_000) <= 5);
});

test('keys are independent; holdOff delays every caller of its key', async () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  for (let i = 0; i < 5; i++) await limiter.acquire('a', LIMITS);
  await limiter.acquire('b', LIMITS);
  assert.equal(clock.now(), 0, 'key b is not slowed by key a');
  limiter.holdOff('b', 2_500);
  await limiter.acquire('b', LIMITS);
  assert.equal(clock.now(), 2_500);
});

test('the margin widens both windows', async () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  for (let i = 0; i < 3; i++) await limiter.acquire('app', { perSecond: 2, perMinute: 100, marginMs: 50 });
  assert.equal(clock.now(), 1_050);
});

test('a call counts from its completion once reported done, so slow answers cannot bunch up at the server', async () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter(clock);
  const limits = { perSecond: 1, perMinute: 100, marginMs: 0 };
  const done = await limiter.acquire('app', limits);
  clock.advance(400); // the answer took 400 ms
  done();
  await limiter.acquire('app', limits);
  assert.equal(clock.now(), 1_400);
});
