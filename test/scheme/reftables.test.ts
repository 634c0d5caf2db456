// The reftables join (scheme-language.md §3): one row per returned lot, record-level or nested batches,
// one SKU on two lines sharing lots in order, lines without lots, zero received quantity.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mapRecord, type MappingResult } from '../../src/scheme';
import { makeScheme } from './support';

const scheme = makeScheme([
  { field: 'FDate', type: 'string', value: '{{batchs_receive_date}}' },
  { field: 'Total', type: 'number', value: '_function SUM({{reftables.batchs_qty}})' },
  { field: 'FirstName', type: 'string', value: '{{items_name}}' },
  { field: 'FEntity', type: 'array', value: 'reftables', required: true },
  { field: 'FEntity.Sku', type: 'string', value: '{{reftables.batchs_sku_id}}' },
  { field: 'FEntity.Qty', type: 'number', value: '{{reftables.batchs_qty}}' },
  { field: 'FEntity.Lot', type: 'string', value: '{{reftables.batchs_batch_no}}' },
  { field: 'FEntity.Line', type: 'string', value: '{{reftables.batchs_outer_oi_id}}' },
  { field: 'FEntity.ItemQty', type: 'number', value: '{{reftables.items_qty}}' },
  { field: 'FEntity.Amount', type: 'number', value: '{{reftables.batchs_amount}}' },
  { field: 'FEntity.Received', type: 'string', value: '{{reftables.batchs_receive_date}}' },
  { field: 'FEntity.Supplier', type: 'string', value: '{{reftables.batchs_supplier_name}}' },
  { field: 'FEntity.Warehouse', type: 'string', value: '{{reftables.warehouse}}' },
  { field: 'FEntity.SoId', type: 'string', value: '{{so_id}}' },
]);

type Entry = Record<string, unknown>;

function entries(record: Record<string, unknown>): { model: Record<string, unknown>; rows: Entry[]; warnings: string[] } {
  const result = mapRecord(scheme, { as_id: '1', so_id: 'SO1', warehouse: '主仓', ...record }, {});
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return { model: result.body.data.Model, rows: result.body.data.Model.FEntity as Entry[], warnings: result.warnings };
}

const pick = (rows: Entry[], ...keys: string[]): unknown[][] => rows.map((r) => keys.map((k) => r[k]));

const item = (sku: string, rQty: number | null | undefined, extra: Entry = {}): Entry => ({
  sku_id: sku, qty: rQty ?? 1, ...(rQty === undefined ? {} : { r_qty: rQty }), price: 19.9, outer_oi_id: `OI-${sku}`, receive_date: `2026-01-20 10:00:0${sku.length % 10}`, name: `name ${sku}`, ...extra,
});
const lot = (sku: string | undefined, no: string, qty: number): Entry => ({
  ...(sku ? { sku_id: sku } : {}), batch_no: no, qty, product_date: '2025-10-01', expiration_date: '2027-10-01', supplier_id: 7, supplier_name: '华东供应链',
});

describe('record-level batches', () => {
  test('a line with two lots gives one row per lot, with the lot quantity', () => {
    const { rows, warnings } = entries({ items: [item('A', 3)], batchs: [lot('A', 'L1', 1), lot('A', 'L2', 2)] });
    assert.deepEqual(pick(rows, 'Sku', 'Qty', 'Lot', 'Line', 'ItemQty', 'Supplier'), [
      ['A', 1, 'L1', 'OI-A', 3, '华东供应链'],
      ['A', 2, 'L2', 'OI-A', 3, '华东供应链'],
    ]);
    assert.deepEqual(warnings, []);
  });
  test('lots join lines by sku_id, in line order', () => {
    const { rows } = entries({ items: [item('A', 1), item('B', 2)], batchs: [lot('B', 'LB', 2), lot('A', 'LA', 1)] });
    assert.deepEqual(pick(rows, 'Sku', 'Qty', 'Lot'), [['A', 1, 'LA'], ['B', 2, 'LB']]);
  });
  test('item fields reach the row as batchs_<field> where the lot has none; header fields bare', () => {
    const { rows } = entries({ items: [item('A', 3)], batchs: [lot('A', 'L1', 3)] });
    assert.equal(rows[0]!.Received, '2026-01-20 10:00:01');
    assert.equal(rows[0]!.Warehouse, '主仓');
    assert.equal(rows[0]!.SoId, 'SO1');
  });
  test('batchs_amount is price × lot quantity in decimals', () => {
    const { rows } = entries({ items: [item('A', 3)], batchs: [lot('A', 'L1', 3)] });
    assert.equal(rows[0]!.Amount, 59.7);
  });
});

describe('nested items[].batchs[]', () => {
  test('are accepted, with a missing sku_id taken from the line', () => {
    const { rows } = entries({ items: [item('A', 3, { batchs: [lot(undefined, 'N1', 1), lot(undefined, 'N2', 2)] }), item('B', 1)] });
    assert.deepEqual(pick(rows, 'Sku', 'Qty', 'Lot'), [['A', 1, 'N1'], ['A', 2, 'N2'], ['B', 1, undefined]]);
  });
  test('record-level batches win when present and non-empty', () => {
    const { rows } = entries({ items: [item('A', 1, { batchs: [lot(undefined, 'NESTED', 1)] })], batchs: [lot('A', 'TOP', 1)] });
    assert.deepEqual(pick(rows, 'Lot'), [['TOP']]);
  });
  test('nested and record-level shapes of the same data map alike', () => {
    const flat = entries({ items: [item('A', 3), item('B', 1)], batchs: [lot('A', 'L1', 1), lot('A', 'L2', 2)] });
    const nested = entries({ items: [item('A', 3, { batchs: [lot('A', 'L1', 1), lot('A', 'L2', 2)] }), item('B', 1)], batchs: [] });
    assert.deepEqual(nested.rows, flat.rows);
  });
});

describe('one SKU on two lines', () => {
  test('lots are handed out in order, each line taking up to its returned quantity', () => {
    const { rows, warnings } = entries({
      items: [item('A', 2, { outer_oi_id: 'OI-1' }), item('A', 1, { outer_oi_id: 'OI-2' })],
      batchs: [lot('A', 'L1', 2), lot('A', 'L2', 1)],
    });
    assert.deepEqual(pick(rows, 'Line', 'Lot', 'Qty'), [['OI-1', 'L1', 2], ['OI-2', 'L2', 1]]);
    assert.deepEqual(warnings, []);
  });
  test('a lot is split across lines when one line needs only part of it', () => {
    const { rows } = entries({
      items: [item('A', 2, { outer_oi_id: 'OI-1' }), item('A', 3, { outer_oi_id: 'OI-2' })],
      batchs: [lot('A', 'L1', 4), lot('A', 'L2', 1)],
    });
    assert.deepEqual(pick(rows, 'Line', 'Lot', 'Qty'), [['OI-1', 'L1', 2], ['OI-2', 'L1', 2], ['OI-2', 'L2', 1]]);
  });
  test('lots that run short leave a line without a lot (its returned quantity) and the mismatch is a warning', () => {
    const { rows, warnings } = entries({
      items: [item('A', 2, { outer_oi_id: 'OI-1' }), item('A', 1, { outer_oi_id: 'OI-2' })],
      batchs: [lot('A', 'L1', 3)],
    });
    assert.deepEqual(pick(rows, 'Line', 'Lot', 'Qty'), [['OI-1', 'L1', 2], ['OI-2', 'L1', 1]]);
    assert.deepEqual(warnings, []);
    const short = entries({ items: [item('A', 2), item('A', 1)], batchs: [lot('A', 'L1', 1)] });
    assert.deepEqual(pick(short.rows, 'Lot', 'Qty'), [['L1', 1], [undefined, 1]]);
    assert.match(short.warnings.join('\n'), /items line 1 \(A\): lots total 1 but the line received 2/);
  });
  test('a received line skipped over (zero) does not take lots', () => {
    const { rows } = entries({ items: [item('A', 0, { outer_oi_id: 'OI-0' }), item('A', 2, { outer_oi_id: 'OI-1' })], batchs: [lot('A', 'L1', 2)] });
    assert.deepEqual(pick(rows, 'Line', 'Lot', 'Qty'), [['OI-1', 'L1', 2]]);
  });
});

describe('lines without lots and zero quantities', () => {
  test('a line without lots gives one row with its returned quantity and empty lot fields', () => {
    const { rows } = entries({ items: [item('A', 2)], batchs: [] });
    assert.deepEqual(rows, [{ Sku: 'A', Qty: 2, Line: 'OI-A', ItemQty: 2, Amount: 39.8, Received: '2026-01-20 10:00:01', Warehouse: '主仓', SoId: 'SO1' }]);
  });
  test('r_qty absent falls back to qty', () => {
    const { rows } = entries({ items: [item('A', undefined, { qty: 4 })], batchs: [] });
    assert.deepEqual(pick(rows, 'Qty'), [[4]]);
  });
  test('a line with zero received quantity gives no row, and zero lots give no row', () => {
    const { rows, warnings } = entries({ items: [item('A', 0), item('B', 1)], batchs: [lot('B', 'Z', 0), lot('B', 'LB', 1)] });
    assert.deepEqual(pick(rows, 'Sku', 'Lot'), [['B', 'LB']]);
    assert.deepEqual(warnings, []);
  });
  test('no received line at all: the required FEntity is a mapping error', () => {
    const result = mapRecord(scheme, { as_id: '1', items: [item('A', 0)], batchs: [] }, {});
    assert.equal(result.ok, false);
    assert.deepEqual((result as Extract<MappingResult, { ok: false }>).errors, [{ row: 'FEntity', message: 'FEntity: no rows in reftables' }]);
  });
  test('an unmatched lot is reported as a warning', () => {
    const { warnings } = entries({ items: [item('A', 1)], batchs: [lot('A', 'LA', 1), lot('X', 'LX', 2)] });
    assert.deepEqual(warnings, ['lot LX of X: 2 not matched to any received line']);
  });
});

describe('header level', () => {
  test('a flattened field is the first row’s value; aggregates run over all rows', () => {
    const { model } = entries({ items: [item('A', 0), item('BB', 2), item('C', 1)], batchs: [] });
    assert.equal(model.FDate, '2026-01-20 10:00:02');
    assert.equal(model.FirstName, 'name BB');
    assert.equal(model.Total, 3);
  });
});
