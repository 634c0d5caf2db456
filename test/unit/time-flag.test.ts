// One date rule for every --from/--to, and report's default range.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportRange } from '../../src/cli/report';
import { parseTimeFlag } from '../../src/cli/time-flag';

const iso = (flag: string) => parseTimeFlag('--from', flag).toISOString();

test('dates and times without an offset are Beijing time, whatever the separator', () => {
  assert.equal(iso('2026-01-08'), '2026-01-07T16:00:00.000Z');
  assert.equal(iso('2026-01-08 14:30'), '2026-01-08T06:30:00.000Z');
  assert.equal(iso('2026-01-01 00:00:00'), '2025-12-31T16:00:00.000Z');
  assert.equal(iso('2026-01-01T00:00:00'), '2025-12-31T16:00:00.000Z', 'the T form is Beijing time too, not UTC');
});

test('an ISO-8601 offset is honoured', () => {
  assert.equal(iso('2026-01-01T00:00:00Z'), '2026-01-01T00:00:00.000Z');
  assert.equal(iso('2026-01-01T08:00:00+08:00'), '2026-01-01T00:00:00.000Z');
  assert.equal(iso('2026-01-01T00:00:00.500-05:00'), '2026-01-01T05:00:00.500Z');
});

test('anything else is refused with the rule and an example', () => {
  for (const bad of ['yesterday', '2026-02-30', '2026-01-01 25:00:00', '01/08/2026', '']) {
    assert.throws(() => parseTimeFlag('--from', bad), /--from must be "YYYY-MM-DD\[ HH:mm\[:ss\]\]" in Beijing time, or ISO-8601 with an offset .*for example --from "2026-01-08"/);
  }
});

test('report defaults to the last 24 hours; --from alone counts from it to now', () => {
  const now = new Date('2026-01-21T04:00:00Z');
  assert.deepEqual(reportRange({}, () => now), { from: new Date('2026-01-20T04:00:00Z'), to: now });
  assert.deepEqual(reportRange({ to: '2026-01-21' }, () => now), { from: new Date('2026-01-19T16:00:00Z'), to: new Date('2026-01-20T16:00:00Z') });
  assert.equal(reportRange({ from: '2026-01-20' }, () => now).to, now);
});
