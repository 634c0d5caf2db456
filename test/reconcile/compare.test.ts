// The reconciliation on plain data: each problem, each healthy outcome, totals that add up, and the
// ledger's decisions (the future state store) taking part.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billLine, lineDifference } from '../../src/reconcile/bill-lines';
import { isClean, reconcile } from '../../src/reconcile/compare';
import { reconcileJson, reconcileTable } from '../../src/reconcile/format';
import type { JstRecordView, KingdeeBillView, WorkflowView } from '../../src/reconcile/types';

const line = (material: string, qty: string, price = '10') => billLine({ FNumber: material }, qty, price);
const eligible = (asId: string, lines = [line('SKU-1', '2')]): JstRecordView => ({
  asId, shopId: '1', modified: '2026-01-20 10:00:00', verdict: { kind: 'eligible', expected: { ok: true, billNo: asId, lines } },
});
const ineligible = (asId: string): JstRecordView => ({ asId, shopId: '1', modified: '2026-01-20 10:00:00', verdict: { kind: 'ineligible', reason: 'status is Cancelled' } });
const bill = (billNo: string, opts: Partial<KingdeeBillView> = {}): KingdeeBillView => ({ id: `F${billNo}`, billNo, status: 'C', lines: [billLine('SKU-1', 2, 10)], ...opts });
const workflow = (asId: string, syncStatus: string, execution = 'COMPLETED', extra: Partial<WorkflowView> = {}): WorkflowView => ({
  asId, workflowId: `jst-refund-${asId}`, syncStatus, execution, startTime: '2026-01-20T02:00:00.000Z', ...extra,
});

test('a synced set is clean: one matching audited bill per eligible record, ineligible ones skipped', () => {
  const report = reconcile({
    records: [eligible('1'), eligible('2'), ineligible('3')],
    workflows: [workflow('1', 'Synced'), workflow('2', 'Synced')],
    bills: [bill('1'), bill('2', { lines: [billLine('SKU-1', '2.000', '10.00')] })],
  });
  assert.deepEqual(report.items, []);
  assert.equal(isClean(report), true);
  assert.deepEqual(
    { records: report.summary.records, eligible: report.summary.eligible, synced: report.summary.synced, skipped: report.summary.skipped },
    { records: 3, eligible: 2, synced: 2, skipped: 1 },
  );
});

test('each problem is found and named, and the totals add up to the records read', () => {
  const report = reconcile({
    records: [
      eligible('10'), // missing: no bill, workflow completed
      eligible('11'), // duplicate
      eligible('12', [line('SKU-1', '1')]), // mismatch: quantity corrected in Jushuitan
      ineligible('13'), // stray: a bill with our number, record not eligible
      eligible('14'), // parked
      eligible('15'), // running
      eligible('16'), // drifted
      eligible('17'), // missing: bill exists but never audited
      eligible('18'), // ok
    ],
    workflows: [
      workflow('10', 'Synced'),
      workflow('14', 'Parked', 'RUNNING', { failedStep: 'lookups', reason: 'FRetcustId: no customer 京东自营店' }),
      workflow('15', 'Running', 'RUNNING'),
      { ...workflow('16', 'Drifted', 'RUNNING'), workflowId: 'jst-drift-16', reason: 'quantity 2 → 1' },
      workflow('17', 'Synced', 'TERMINATED'),
    ],
    bills: [bill('11'), bill('11', { id: 'other' }), bill('12'), bill('13'), bill('16'), bill('17', { status: 'A' }), bill('18')],
  });
  const byId = Object.fromEntries(report.items.map((i) => [i.asId, i]));
  assert.equal(byId['10']?.problem, 'missing');
  assert.match(byId['10']!.detail, /no bill in Kingdee/);
  assert.equal(byId['11']?.problem, 'duplicate');
  assert.equal(byId['11']!.billNo, '11,11');
  assert.equal(byId['12']?.problem, 'mismatch');
  assert.match(byId['12']!.detail, /bill has SKU-1 ×2 @ 10; record maps to SKU-1 ×1 @ 10/);
  assert.equal(byId['13']?.problem, 'stray');
  assert.match(byId['13']!.detail, /not eligible: status is Cancelled/);
  assert.equal(byId['14']?.problem, 'parked');
  assert.match(byId['14']!.detail, /^lookups: FRetcustId: no customer/);
  assert.equal(byId['15']?.problem, 'running');
  assert.equal(byId['16']?.problem, 'drifted');
  assert.equal(byId['17']?.problem, 'missing');
  assert.match(byId['17']!.detail, /status A, not audited.*terminated/);
  assert.equal(byId['18'], undefined);
  assert.equal(isClean(report), false);

  const s = report.summary;
  assert.deepEqual([s.missing, s.duplicate, s.mismatch, s.stray, s.parked, s.running, s.drifted, s.synced], [2, 1, 1, 1, 1, 1, 1, 1]);
  const classified = s.synced + s.skipped + s.accepted + s.parked + s.running + s.drifted + s.missing + s.duplicate + s.mismatch + s.stray;
  assert.equal(classified, s.records, 'every record has exactly one classification');
});

test('an operator skip is a decision, not a gap; an invalid record with nobody holding it is missing', () => {
  const report = reconcile({
    records: [eligible('20'), { asId: '21', shopId: '1', modified: '', verdict: { kind: 'invalid', reason: 'items.0.qty: not a number' } }],
    workflows: [workflow('20', 'Skipped')],
    bills: [],
  });
  assert.deepEqual(report.items.map((i) => [i.asId, i.problem]), [['21', 'missing']]);
  assert.equal(report.summary.skipped, 1);
});

test('the ledger feeds decisions in: drift recorded after retention, drift accepted for the current version', () => {
  const report = reconcile({
    records: [ineligible('30'), eligible('31', [line('SKU-1', '1')]), eligible('32', [line('SKU-1', '1')])],
    workflows: [], // closed executions gone with retention
    bills: [bill('30'), bill('31'), bill('32')],
    ledger: [
      { asId: '30', decision: 'drifted', version: '2026-01-20 10:00:00', billNo: '30', reason: 'cancelled after audit' },
      { asId: '31', decision: 'accepted', version: '2026-01-20 10:00:00', reason: 'booked by hand' },
      { asId: '32', decision: 'accepted', version: '2026-01-19 09:00:00' }, // an older version: the new one differs again
    ],
  });
  assert.deepEqual(report.items.map((i) => [i.asId, i.problem]), [['30', 'drifted'], ['32', 'mismatch']]);
  assert.equal(report.summary.accepted, 1);
});

test('a record listed twice is refused rather than counted twice', () => {
  assert.throws(() => reconcile({ records: [eligible('40'), eligible('40')], workflows: [], bills: [] }), /as_id 40 is listed twice/);
});

test('lines compare as canonical decimals in any order', () => {
  assert.equal(lineDifference([billLine('A', 1, '2.50'), billLine('B', '3', 1)], [billLine({ FNumber: 'B' }, '3.0', '1'), billLine({ FNumber: 'A' }, '1', '2.5')]), undefined);
  assert.match(lineDifference([billLine('A', 1, 2)], [billLine('A', 1, 2), billLine('B', 1, 2)]) ?? '', /record maps to B ×1 @ 2/);
});

test('--json has the documented shape; the table shows totals and the problems', () => {
  const report = reconcile({ records: [eligible('50'), eligible('51')], workflows: [], bills: [bill('51')] });
  const json = JSON.parse(reconcileJson(report)) as { summary: Record<string, number>; items: Array<Record<string, string>> };
  assert.deepEqual(Object.keys(json), ['summary', 'items']);
  assert.deepEqual(json.items, [{ asId: '50', problem: 'missing', detail: 'eligible, no bill in Kingdee; no workflow for it', billNo: '' }]);
  assert.equal(json.summary.synced, 1);
  const table = reconcileTable(report, { from: new Date('2026-01-20T00:00:00Z'), to: new Date('2026-01-21T00:00:00Z') });
  assert.match(table, /eligible\s+2/);
  assert.match(table, /missing\s+1/);
  assert.match(table, /50\s+missing\s+-\s+eligible, no bill/);
});

test('a bill typed in by hand with another number but our external key counts as ours: a second one is a duplicate', () => {
  const report = reconcile({
    records: [eligible('60'), ineligible('61')],
    workflows: [workflow('60', 'Synced')],
    bills: [bill('60', { externalKey: '60' }), bill('XSTHD000009', { externalKey: '60' }), bill('XSTHD000010', { externalKey: '61' })],
  });
  assert.deepEqual(report.items.map((i) => [i.asId, i.problem, i.billNo]), [['60', 'duplicate', '60,XSTHD000009'], ['61', 'stray', 'XSTHD000010']]);
});
