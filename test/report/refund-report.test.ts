import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRefundReport, effectiveStatus, formatRefundReport } from '../../src/report/refund-report';
import type { RefundListing } from '../../src/temporal/refund-ops';

const FROM = new Date('2026-01-20T16:00:00Z'); // 2026-01-21 00:00:00 Beijing
const TO = new Date('2026-01-21T16:00:00Z');
let n = 0;

function row(status: RefundListing['status'], over: Partial<RefundListing> = {}): RefundListing {
  n += 1;
  const asId = over.asId ?? String(5_000_000 + n);
  return {
    asId,
    workflowId: `jst-refund-${asId}`,
    status,
    execution: status === 'Parked' || status === 'Running' ? 'RUNNING' : 'COMPLETED',
    startTime: new Date(FROM.getTime() + n * 60_000),
    ...over,
  };
}

const rows = (): RefundListing[] => [
  row('Synced', { billNo: 'AS1' }),
  row('Synced'),
  row('Synced'),
  row('Parked', { asId: '700', failedStep: 'save', reason: 'customer not found in Kingdee', startTime: new Date('2026-01-21T03:00:00Z') }),
  row('Parked', { asId: '600', failedStep: 'lookups', reason: 'material SKU-9 not found', startTime: new Date('2026-01-21T02:00:00Z') }),
  row('Parked', { asId: '800', failedStep: 'save', reason: 'customer not found in Kingdee', startTime: new Date('2026-01-21T04:00:00Z') }),
  row('Skipped', { reason: 'returned offline, booked by hand' }),
  row('Running'),
];

test('counts by status, by status and reason, and the parked list in start order', () => {
  const report = buildRefundReport(rows(), { from: FROM, to: TO, schemeId: 'jst-refund-to-sales-return' });
  assert.equal(report.total, 8);
  assert.deepEqual(report.byStatus, { Synced: 3, Parked: 3, Skipped: 1, Cancelled: 0, Failed: 0, Running: 1, Unknown: 0 });
  assert.deepEqual(report.byReason, [
    { status: 'Parked', reason: 'customer not found in Kingdee', count: 2 },
    { status: 'Parked', reason: 'material SKU-9 not found', count: 1 },
    { status: 'Skipped', reason: 'returned offline, booked by hand', count: 1 },
  ]);
  assert.deepEqual(report.parked.map((p) => [p.asId, p.failedStep, p.reason]), [
    ['600', 'lookups', 'material SKU-9 not found'],
    ['700', 'save', 'customer not found in Kingdee'],
    ['800', 'save', 'customer not found in Kingdee'],
  ]);
  assert.deepEqual(report.range, { from: FROM.toISOString(), to: TO.toISOString() });
  assert.equal(report.schemeId, 'jst-refund-to-sales-return');
  assert.equal(report.truncated, false);
});

test('a workflow with several runs (continue-as-new) counts once, as its latest run', () => {
  const old = row('Parked', { asId: '900', reason: 'customer not found', execution: 'CONTINUED_AS_NEW', startTime: new Date('2026-01-21T01:00:00Z') });
  const latest = row('Synced', { asId: '900', execution: 'COMPLETED', startTime: new Date('2026-01-21T05:00:00Z') });
  const report = buildRefundReport([latest, old], { from: FROM, to: TO });
  assert.equal(report.total, 1);
  assert.equal(report.byStatus.Synced, 1);
  assert.equal(report.byStatus.Parked, 0);
  assert.deepEqual(report.parked, []);
});

test('a parked or running workflow that was terminated counts as Failed, not parked', () => {
  assert.equal(effectiveStatus({ status: 'Parked', execution: 'TERMINATED' }), 'Failed');
  assert.equal(effectiveStatus({ status: 'Running', execution: 'TIMED_OUT' }), 'Failed');
  assert.equal(effectiveStatus({ status: 'Parked', execution: 'RUNNING' }), 'Parked');
  assert.equal(effectiveStatus({ status: 'Synced', execution: 'TERMINATED' }), 'Synced');
  const report = buildRefundReport(
    [row('Parked', { reason: 'customer not found', execution: 'TERMINATED' }), row('Running', { execution: 'TERMINATED' })],
    { from: FROM, to: TO },
  );
  assert.deepEqual(report.byStatus, { Synced: 0, Parked: 0, Skipped: 0, Cancelled: 0, Failed: 2, Running: 0, Unknown: 0 });
  assert.deepEqual(report.byReason, [
    { status: 'Failed', reason: 'customer not found', count: 1 },
    { status: 'Failed', reason: 'workflow terminated', count: 1 },
  ]);
});

test('the table shows the range in Beijing time, the counts, the reasons and the parked list', () => {
  const text = formatRefundReport(buildRefundReport(rows(), { from: FROM, to: TO, schemeId: 'jst-refund-to-sales-return' }));
  const lines = text.split('\n');
  assert.equal(lines[0], 'Refunds started 2026-01-21 00:00:00 → 2026-01-22 00:00:00 (Beijing time), scheme jst-refund-to-sales-return: 8');
  assert.ok(lines.includes('Synced       3'), text);
  assert.ok(lines.includes('Parked       3'), text);
  assert.ok(!lines.some((l) => l.startsWith('Unknown')), 'Unknown only shows when non-zero');
  assert.ok(lines.some((l) => /^Parked\s+2\s+customer not found in Kingdee$/.test(l)), text);
  assert.ok(lines.includes('Parked (3)'));
  assert.ok(lines.some((l) => /^600\s+lookups\s+2026-01-21 10:00:00\s+material SKU-9 not found$/.test(l)), text);
});

test('an empty range says so; a truncated listing says so', () => {
  const empty = formatRefundReport(buildRefundReport([], { from: FROM, to: TO }));
  assert.match(empty, /: 0\n/);
  assert.match(empty, /Parked \(0\)\n {2}none/);
  const truncated = formatRefundReport(buildRefundReport(rows(), { from: FROM, to: TO, truncated: true }));
  assert.match(truncated, /listing stopped at its limit/);
});

test('the JSON form round-trips', () => {
  const report = buildRefundReport(rows(), { from: FROM, to: TO });
  assert.deepEqual(JSON.parse(JSON.stringify(report)), report);
});
