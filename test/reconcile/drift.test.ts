// Drift detection without a server: the pure comparison, and the paging activity against a ledger held in memory.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { contentDigest } from '../../src/activities/decisions';
import { createJushuitanActivities, type FetchedRefundPage } from '../../src/activities/jushuitan';
import type { RefundSource } from '../../src/activities/ports';
import { parseRefundRecords } from '../../src/connectors/jushuitan/schemas';
import { describeDrift } from '../../src/reconcile/drift';
import { createSchemes } from '../../src/runtime/schemes';
import { generateWorld, isEligibleRefund } from '../../src/sim/world';
import type { DecisionsLedger, RefundDecision } from '../../src/store/decisions';

const SCHEME = 'jst-refund-to-sales-return';

test('describeDrift names each field that differs, ignores the version field and number-as-text, and caps the list', () => {
  const synced = { as_id: 1, modified: '2026-01-02 10:00:00', status: 'Confirmed', items: [{ sku_id: 'A', r_qty: 2 }, { sku_id: 'B', r_qty: 1 }] };
  assert.deepEqual(describeDrift(synced, { ...synced, modified: '2026-01-03 10:00:00' }, 'modified'), []);
  assert.deepEqual(describeDrift(synced, { ...synced, items: [{ sku_id: 'A', r_qty: '2' }, { sku_id: 'B', r_qty: 1 }] }, 'modified'), []);
  assert.deepEqual(describeDrift(synced, { ...synced, status: 'Cancelled', items: [{ sku_id: 'A', r_qty: 1 }] }, 'modified'), [
    'items: 2 lines → 1 lines',
    'items[1].r_qty: 2 → 1',
    'status: Confirmed → Cancelled',
  ]);
  const many = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`f${i}`, i]));
  const out = describeDrift(many, Object.fromEntries(Object.keys(many).map((k) => [k, 'x'])), 'modified');
  assert.equal(out.length, 9);
  assert.equal(out[8], 'and 4 more');
});

function memoryLedger(rows: RefundDecision[]): DecisionsLedger {
  return {
    record: async () => {},
    find: async (_scheme, asIds) => new Map(rows.filter((r) => asIds.includes(r.asId)).map((r) => [r.asId, r])),
  };
}

test('the paging activity tells drift from a new version that changes nothing the scheme reads, and finds cancelled ones', async () => {
  const world = generateWorld({ seed: 23, refunds: 30, asIdStart: 100 });
  const schemes = createSchemes({ kingdee: { executeBillQuery: async () => [] }, preload: [SCHEME] });
  const wire = JSON.parse(JSON.stringify(world.refunds.filter(isEligibleRefund))) as Array<Record<string, unknown> & { items: Array<Record<string, unknown>> }>;
  const [unread, quantity, cancelled, noSnapshot, fresh] = wire;
  assert.ok(unread && quantity && cancelled && noSnapshot && fresh);
  const synced = (r: Record<string, unknown>, extra: Partial<RefundDecision> = {}): RefundDecision => {
    const projected = schemes.project(SCHEME, r);
    return { schemeId: SCHEME, asId: String(r.as_id), decision: 'synced', billNo: String(r.as_id), billId: '7', recordModified: String(r.modified), snapshot: projected, contentDigest: contentDigest(projected, 'modified'), ...extra };
  };
  const ledger = memoryLedger([synced(unread), synced(quantity), synced(cancelled), { schemeId: SCHEME, asId: String(noSnapshot.as_id), decision: 'skipped' }]);
  const later = '2026-02-01 00:00:00';
  const page = [
    { ...unread, modified: later, receiver_mobile: '13900000000', remark: 'changed' },
    { ...quantity, modified: later, items: quantity.items.map((i, n) => (n === 0 ? { ...i, r_qty: Number(i.r_qty) + 1 } : i)) },
    { ...cancelled, modified: later, status: 'Cancelled' },
    { ...noSnapshot, modified: later, remark: 'x' },
    fresh,
  ];
  const source: RefundSource = {
    async queryRefundPage() {
      const { records, invalid } = parseRefundRecords(page);
      return { records, invalid, hasNext: false, dataCount: page.length };
    },
  };
  const activities = createJushuitanActivities({ refunds: source, schemes, decisions: ledger });
  const result: FetchedRefundPage = await new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(activities.fetchRefundPage, {
    schemeId: SCHEME, begin: '2026-01-01T00:00:00Z', end: '2026-02-02T00:00:00Z', pageIndex: 1,
  });

  assert.deepEqual(result.eligible.map((e) => e.refund.asId), [String(fresh.as_id)], 'only the record never decided is handed on to sync');
  assert.deepEqual(result.decided?.sort(), [String(unread.as_id), String(noSnapshot.as_id)].sort(), 'unchanged in what the scheme reads, or nothing known to compare');
  const drifted = new Map(result.drifted?.map((d) => [d.refund.asId, d]));
  assert.equal(drifted.size, 2);
  const q = drifted.get(String(quantity.as_id))!;
  assert.deepEqual(q.difference, [`items[1].r_qty: ${quantity.items[0]!.r_qty} → ${Number(quantity.items[0]!.r_qty) + 1}`]);
  assert.deepEqual(q.decided, { decision: 'synced', billNo: String(quantity.as_id), billId: '7', modified: String(quantity.modified) });
  assert.equal(q.formId, 'SAL_RETURNSTOCK');
  assert.equal(q.refund.modified, later);
  assert.equal(q.record.receiver_mobile, undefined, 'the drifted record carries scheme fields only');
  const c = drifted.get(String(cancelled.as_id))!;
  assert.match(c.ineligibleReason ?? '', /status is Cancelled/);
  assert.deepEqual(c.difference, ['no longer eligible: status is Cancelled: only Confirmed after-sales records become return bills', 'status: Confirmed → Cancelled']);
});
