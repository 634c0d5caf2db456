import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jstRefundSchema, jstRefundWireSchema } from '../../src/connectors/jushuitan';
import { parseJsonKeepingLargeIds, refundPageDataSchema } from '../../src/connectors/jushuitan/schemas';

const wire = {
  as_id: 10001, o_id: 2001, so_id: 'SO123', shop_id: 1001, wh_id: 2, ts: 123456789,
  modified: '2024-05-03 08:00:00', status: 'Confirmed', refund: 99.0, payment: 0, freight: '0.00',
  items: [{ asi_id: 30001, sku_id: 'SKU-1', qty: 1, r_qty: 1, price: 99.0, amount: '99.00' }],
  batchs: [{ batch_no: 'B2024', sku_id: 'SKU-1', qty: 1 }],
  vendor_extra: { anything: true },
};

test('ids and ts become strings, money numbers, unknown fields pass through', () => {
  const r = jstRefundWireSchema.parse(wire);
  assert.equal(r.as_id, '10001');
  assert.equal(r.o_id, '2001');
  assert.equal(r.shop_id, '1001');
  assert.equal(r.wh_id, '2');
  assert.equal(r.ts, '123456789');
  assert.equal(r.refund, 99);
  assert.equal(r.freight, 0);
  assert.equal(r.items[0]!.amount, 99);
  assert.deepEqual(r.vendor_extra, { anything: true });
  assert.equal(r.so_id, 'SO123');
  assert.ok(jstRefundSchema.safeParse(r).success, 'the normalised record satisfies the exported schema');
});

test('numeric strings for ids and money, and times with milliseconds, are accepted', () => {
  const r = jstRefundWireSchema.parse({ ...wire, as_id: '10001', ts: '9223372036854775807', refund: '12.50', modified: '2024-05-03 08:00:00.487' });
  assert.equal(r.as_id, '10001');
  assert.equal(r.ts, '9223372036854775807');
  assert.equal(r.refund, 12.5);
  assert.equal(r.modified, '2024-05-03 08:00:00.487');
});

test('a rowversion beyond 2^53 sent as a JSON number stays exact', () => {
  const json = parseJsonKeepingLargeIds('{"datas":[{"as_id":1,"ts":9223372036854775807,"modified":"2024-05-03 08:00:00","remark":"\\"ts\\":12345678901234567890"}]}');
  const record = jstRefundWireSchema.parse(refundPageDataSchema.parse(json).datas![0]);
  assert.equal(record.ts, '9223372036854775807');
  assert.equal(record.remark, '"ts":12345678901234567890', 'text inside strings is untouched');
});

test('nested items[].batchs[] are flattened to record level, sku_id filled from the item', () => {
  const { batchs: _ignored, ...noRecordBatches } = wire;
  const r = jstRefundWireSchema.parse({
    ...noRecordBatches,
    items: [
      { sku_id: 'SKU-1', qty: 2, batchs: [{ batch_no: 'B1', qty: 1 }, { batch_no: 'B2', sku_id: 'SKU-1', qty: '1' }] },
      { sku_id: 'SKU-2', qty: 1, batchs: [{ batch_no: 'B3', qty: 1 }] },
      { sku_id: 'SKU-3', qty: 1 },
    ],
  });
  assert.deepEqual(r.batchs.map((b) => [b.batch_no, b.sku_id, b.qty]), [['B1', 'SKU-1', 1], ['B2', 'SKU-1', 1], ['B3', 'SKU-2', 1]]);
  assert.equal(r.items.length, 3, 'items are kept');
  assert.ok(r.items.every((item) => !('batchs' in item)), 'batches live at record level only');
});

test('record-level batchs win over nested ones when present and non-empty; empty ones fall back', () => {
  const nestedItems = [{ sku_id: 'SKU-9', batchs: [{ batch_no: 'NESTED', qty: 1 }] }];
  assert.deepEqual(jstRefundWireSchema.parse({ ...wire, items: nestedItems }).batchs.map((b) => b.batch_no), ['B2024']);
  assert.deepEqual(jstRefundWireSchema.parse({ ...wire, batchs: [], items: nestedItems }).batchs.map((b) => b.batch_no), ['NESTED']);
  assert.deepEqual(jstRefundWireSchema.parse({ ...wire, batchs: null, items: null }).batchs, []);
});

test('bad records are rejected with the offending field named', () => {
  for (const [bad, field] of [
    [{ ...wire, as_id: 'R-1' }, 'as_id'],
    [{ ...wire, modified: '2024-05-03T08:00:00Z' }, 'modified'],
    [{ ...wire, refund: 'lots' }, 'refund'],
    [{ ...wire, items: 'none' }, 'items'],
  ] as const) {
    const result = jstRefundWireSchema.safeParse(bad);
    assert.equal(result.success, false, `${field} must be rejected`);
    assert.ok(result.error!.issues.some((i) => i.path.includes(field)), `issue names ${field}`);
  }
});

test('page fields tolerate strings and missing counts', () => {
  const page = refundPageDataSchema.parse({ page_index: '2', has_next: 'false', datas: [], issuccess: true });
  assert.equal(page.page_index, 2);
  assert.equal(page.has_next, false);
  assert.equal(page.data_count, undefined);
});
