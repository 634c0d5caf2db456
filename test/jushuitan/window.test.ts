import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_WINDOW_MS, splitWindow } from '../../src/connectors/jushuitan/window';
import { parseBeijing } from '../../src/lib/beijing-time';

const at = (text: string) => parseBeijing(text)!;
const seconds = (text: string) => at(text).getTime() / 1000;

test('a 20-day range becomes three slices of at most 7 days, contiguous to the second', () => {
  const slices = splitWindow(at('2026-01-01 08:00:00'), at('2026-01-21 08:00:00'));
  assert.deepEqual(slices, [
    { begin: '2026-01-01 08:00:00', end: '2026-01-08 08:00:00' },
    { begin: '2026-01-08 08:00:01', end: '2026-01-15 08:00:01' },
    { begin: '2026-01-15 08:00:02', end: '2026-01-21 08:00:00' },
  ]);
  for (const [i, s] of slices.entries()) {
    assert.ok(seconds(s.end) - seconds(s.begin) <= MAX_WINDOW_MS / 1000, `slice ${i} within 7 days`);
    if (i > 0) assert.equal(seconds(s.begin), seconds(slices[i - 1]!.end) + 1, 'next begin = previous end + 1 s');
  }
});

test('a range of one second, an empty range and a sub-second remainder', () => {
  assert.deepEqual(splitWindow(at('2026-01-01 00:00:00'), at('2026-01-01 00:00:00')), [{ begin: '2026-01-01 00:00:00', end: '2026-01-01 00:00:00' }]);
  assert.deepEqual(splitWindow(at('2026-01-02 00:00:00'), at('2026-01-01 00:00:00')), []);
  // Milliseconds are truncated: the API has one-second precision.
  assert.deepEqual(splitWindow(new Date(at('2026-01-01 00:00:00').getTime() + 999), new Date(at('2026-01-01 00:00:01').getTime() + 500)), [
    { begin: '2026-01-01 00:00:00', end: '2026-01-01 00:00:01' },
  ]);
});

test('small slices cover every second exactly once', () => {
  const from = at('2026-03-01 10:00:00');
  const to = at('2026-03-01 10:00:09');
  const slices = splitWindow(from, to, 3_000);
  const covered = slices.flatMap((s) => {
    const out: number[] = [];
    for (let t = seconds(s.begin); t <= seconds(s.end); t++) out.push(t);
    return out;
  });
  assert.deepEqual(covered, Array.from({ length: 10 }, (_, i) => seconds('2026-03-01 10:00:00') + i));
});

test('UTC instants are written in Beijing time', () => {
  assert.deepEqual(splitWindow(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')), [
    { begin: '2026-01-01 08:00:00', end: '2026-01-01 08:00:00' },
  ]);
});
