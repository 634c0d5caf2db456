import assert from 'node:assert/strict';
import { test } from 'node:test';
import { POLL_DEFAULTS, pollRange, watermarkAfterRun } from '../../src/lib/poll-range';
import { sliceRange, SEVEN_DAYS_MS } from '../../src/lib/time-slices';

const nominal = new Date('2026-03-01T12:00:00Z');

test('a first run looks back from its nominal time minus the lag', () => {
  const r = pollRange({ lookbackMs: 3600_000, lagMs: 60_000 }, new Date('2026-03-01T12:00:05Z'), nominal);
  assert.equal(r.to.toISOString(), '2026-03-01T11:59:00.000Z');
  assert.equal(r.from.toISOString(), '2026-03-01T10:59:00.000Z');
});

test('a later run starts at the previous watermark minus the overlap, however long ago', () => {
  const r = pollRange({}, nominal, nominal, '2026-02-20T00:00:00.000Z');
  assert.equal(r.from.getTime(), new Date('2026-02-20T00:00:00Z').getTime() - POLL_DEFAULTS.overlapMs);
  assert.equal(r.to.getTime(), nominal.getTime() - POLL_DEFAULTS.lagMs);
});

test('an explicit window wins, and a future nominal time is capped at now', () => {
  const w = { from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' };
  assert.deepEqual(pollRange({ window: w }, nominal, nominal, '2026-02-20T00:00:00Z'), { from: new Date(w.from), to: new Date(w.to) });
  const capped = pollRange({ lagMs: 0 }, new Date('2026-03-01T11:00:00Z'), nominal);
  assert.equal(capped.to.toISOString(), '2026-03-01T11:00:00.000Z');
});

test('a 20-day range becomes three slices of at most 7 days that share their boundaries', () => {
  const from = new Date('2026-01-01T00:00:00Z');
  const slices = sliceRange(from, new Date('2026-01-21T00:00:00Z'));
  assert.equal(slices.length, 3);
  for (const s of slices) assert.ok(s.to.getTime() - s.from.getTime() <= SEVEN_DAYS_MS);
  assert.equal(slices[0]!.to.getTime(), slices[1]!.from.getTime());
  assert.equal(slices[2]!.to.toISOString(), '2026-01-21T00:00:00.000Z');
  assert.deepEqual(sliceRange(new Date('2026-01-02T00:00:00Z'), from), []);
});

test('a scheduled run moves the watermark to its end; a backfill only when it starts at or before the watermark', () => {
  const runStart = new Date('2026-03-01T12:00:00Z');
  const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
  const stored = '2026-02-20T00:00:00.000Z';
  assert.equal(watermarkAfterRun({}, range('2026-02-19T23:50:00Z', '2026-03-01T11:59:00Z'), stored, runStart)?.toISOString(), '2026-03-01T11:59:00.000Z');
  assert.equal(watermarkAfterRun({}, range('2026-02-28T11:59:00Z', '2026-03-01T11:59:00Z'), undefined, runStart)?.toISOString(), '2026-03-01T11:59:00.000Z', 'a first run');
  const old = { window: { from: '2026-01-01T00:00:00Z', to: '2026-01-10T00:00:00Z' } };
  assert.equal(watermarkAfterRun(old, range(old.window.from, old.window.to), stored, runStart), undefined, 'an old range leaves it');
  assert.equal(watermarkAfterRun(old, range(old.window.from, old.window.to), undefined, runStart), undefined, 'no watermark: a backfill sets none');
  const across = { window: { from: '2026-02-19T00:00:00Z', to: '2026-02-25T00:00:00Z' } };
  assert.equal(watermarkAfterRun(across, range(across.window.from, across.window.to), stored, runStart)?.toISOString(), '2026-02-25T00:00:00.000Z');
  const gap = { window: { from: '2026-02-21T00:00:00Z', to: '2026-02-25T00:00:00Z' } };
  assert.equal(watermarkAfterRun(gap, range(gap.window.from, gap.window.to), stored, runStart), undefined, 'a gap after the watermark was not read');
  const future = { window: { from: '2026-02-19T00:00:00Z', to: '2026-03-02T00:00:00Z' }, lagMs: 60_000 };
  assert.equal(watermarkAfterRun(future, range(future.window.from, future.window.to), stored, runStart)?.toISOString(), '2026-03-01T11:59:00.000Z', 'never past what existed when it ran');
});
