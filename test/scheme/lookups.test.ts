// requiredLookups and resolveLookups: grouped per collection, one Kingdee query per collection for a
// batch of records, every value escaped, fixed filters applied, answers cached with a bound and a TTL.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  createLookupCache,
  LookupSourceError,
  mapRecord,
  requiredLookups,
  resolveLookups,
  resolveLookupsForMany,
  whereKey,
  type BillQuery,
  type BillQueryClient,
} from '../../src/scheme';
import { loadSchemeFile } from '../../src/scheme/load-file';
import { CUSTOMERS_ID, makeScheme, MATERIALS_ID, OUTBOUND_ID } from './support';

const flagship = loadSchemeFile('schemes/jst-refund-to-sales-return.yaml');

/** A fake Kingdee that records every query and answers from in-memory rows keyed by Kingdee field key. */
class FakeKingdee implements BillQueryClient {
  readonly calls: BillQuery[] = [];
  constructor(private readonly forms: Record<string, Array<Record<string, unknown>>>) {}
  executeBillQuery(q: BillQuery): Promise<unknown[][]> {
    this.calls.push(q);
    const keys = q.FieldKeys.split(',');
    const rows = (this.forms[q.FormId] ?? []).slice(q.StartRow ?? 0, (q.StartRow ?? 0) + (q.Limit ?? 2000));
    return Promise.resolve(rows.map((r) => keys.map((k) => r[k] ?? null)));
  }
}

const KINGDEE_FORMS = {
  BD_Customer: [
    { FName: "a' or '1'='1", FNumber: 'CUST-Q', 'F_PSEH_OrgId.FNumber': '101' },
    { FName: '天猫旗舰店', FNumber: 'CUST0001', 'F_PSEH_OrgId.FNumber': '100' },
  ],
  SAL_OUTSTOCK: [
    { FBillNo: 'XSCKD1', FID: 1, FEntity_FEntryID: 11, F_PSEH_TEXT: 'SO1-1', 'FMaterialID.FNumber': 'SKU-1' },
    { FBillNo: 'XSCKD2', FID: 2, FEntity_FEntryID: 21, F_PSEH_TEXT: 'SO2-1', 'FMaterialID.FNumber': 'SKU-2' },
  ],
  BD_MATERIAL: [
    { FNumber: 'SKU-1', FIsBatchManage: 'True' },
    { FNumber: 'SKU-2', FIsBatchManage: false },
  ],
};

const refund = (asId: string, shop: string, so: string, sku: string): Record<string, unknown> => ({
  as_id: asId, status: 'Confirmed', good_status: 'SELLER_RECEIVED', type: '普通退货', shop_name: shop, so_id: so, warehouse: '主仓',
  items: [{ sku_id: sku, qty: 1, r_qty: 1, price: 10, outer_oi_id: `${so}-1`, receive_date: '2026-01-20 10:00:00' }],
  batchs: [{ sku_id: sku, batch_no: `B-${asId}`, qty: 1, product_date: '2025-01-01', expiration_date: '2027-01-01' }],
});

describe('requiredLookups', () => {
  test('groups what a record needs per collection, distinct conditions in first-use order', () => {
    const record = { ...refund('1', '天猫旗舰店', 'SO1', 'SKU-1'), items: [{ sku_id: 'SKU-1', r_qty: 1, outer_oi_id: 'SO1-1' }, { sku_id: 'SKU-2', r_qty: 2, outer_oi_id: 'SO1-2' }, { sku_id: 'SKU-1', r_qty: 1, outer_oi_id: 'SO1-1' }], batchs: [] };
    assert.deepEqual(requiredLookups(flagship, record), [
      { collection: CUSTOMERS_ID, name: 'customers', fields: ['FNumber', 'F_PSEH_OrgId'], where: [{ FName: '天猫旗舰店' }] },
      {
        collection: OUTBOUND_ID, name: 'outbound_lines', fields: ['FBillNo', 'FEntity_FENTRYID', 'FID'],
        where: [{ F_PSEH_TEXT: 'SO1-1', FMaterialID_FNumber: 'SKU-1' }, { F_PSEH_TEXT: 'SO1-2', FMaterialID_FNumber: 'SKU-2' }],
      },
      { collection: MATERIALS_ID, name: 'materials', fields: ['FIsBatchManage'], where: [{ FNumber: 'SKU-1' }, { FNumber: 'SKU-2' }] },
    ]);
  });
  test('lookups inside every CASE branch and aggregate are listed, empty conditions are not', () => {
    const scheme = makeScheme([
      { field: 'X', type: 'string', value: "_function CASE WHEN 1 = 0 THEN _findCollection find FNumber from customers where FName={{a}} endFind ELSE 'x' END" },
      { field: 'Y', type: 'number', value: '_function SUM(IF(_findCollection find FIsBatchManage from materials where FNumber={{items.sku_id}} endFind, 1, 0))' },
      { field: 'Z', type: 'string', value: 'findCollection find FNumber from customers where FName={{missing}}' },
    ]);
    assert.deepEqual(requiredLookups(scheme, { as_id: '1', a: ' A ', items: [{ sku_id: 'S1' }, { sku_id: 'S2' }] }), [
      { collection: CUSTOMERS_ID, name: 'customers', fields: ['FNumber'], where: [{ FName: 'A' }] },
      { collection: MATERIALS_ID, name: 'materials', fields: ['FIsBatchManage'], where: [{ FNumber: 'S1' }, { FNumber: 'S2' }] },
    ]);
  });
});

describe('Kingdee-backed collections', () => {
  test("a shop name like a' or '1'='1 is escaped, and a batch of records costs one query per collection", async () => {
    const kingdee = new FakeKingdee(KINGDEE_FORMS);
    const records = [refund('1', "a' or '1'='1", 'SO1', 'SKU-1'), refund('2', '天猫旗舰店', 'SO2', 'SKU-2'), refund('3', '天猫旗舰店', 'SO1', 'SKU-1')];
    const answers = await resolveLookupsForMany(flagship, records, { kingdee });
    assert.deepEqual(kingdee.calls.map((c) => c.FormId), ['BD_Customer', 'SAL_OUTSTOCK', 'BD_MATERIAL']);
    assert.deepEqual(kingdee.calls[0], {
      FormId: 'BD_Customer', FieldKeys: 'FName,FNumber,F_PSEH_OrgId.FNumber', FilterString: "FName in ('a'' or ''1''=''1','天猫旗舰店')", TopRowCount: 0, StartRow: 0, Limit: 2000,
    });
    assert.equal(
      kingdee.calls[1]!.FilterString,
      "((FMaterialID.FNumber in ('SKU-1','SKU-2')) and (F_PSEH_TEXT in ('SO1-1','SO2-1'))) and (FDocumentStatus='C')",
    );
    assert.equal(kingdee.calls[1]!.FieldKeys, 'FBillNo,FID,FEntity_FEntryID,F_PSEH_TEXT,FMaterialID.FNumber');
    assert.equal(kingdee.calls[2]!.FilterString, "FNumber in ('SKU-1','SKU-2')");

    const first = mapRecord(flagship, records[0]!, answers[0]!);
    assert.ok(first.ok, JSON.stringify(first));
    const model = first.body.data.Model;
    assert.deepEqual(model.FRetcustId, { FNumber: 'CUST-Q' });
    assert.deepEqual((model.FEntity as Array<Record<string, unknown>>)[0]!.FLot, { FNumber: 'B-1' }, '"True" counts as batch managed');
    const second = mapRecord(flagship, records[1]!, answers[1]!);
    assert.ok(second.ok);
    assert.equal((second.body.data.Model.FEntity as Array<Record<string, unknown>>)[0]!.FLot, undefined);
    // Each record's answers hold only what it needs.
    assert.deepEqual(Object.keys(answers[1]![CUSTOMERS_ID]!), [whereKey({ FName: '天猫旗舰店' })]);
  });

  test('the cache answers repeated lookups without a query; misses are not cached', async () => {
    let now = 0;
    const cache = createLookupCache({ now: () => now, ttlMs: 1000 });
    const kingdee = new FakeKingdee(KINGDEE_FORMS);
    const record = refund('1', '天猫旗舰店', 'SO1', 'SKU-1');
    const a = await resolveLookups(flagship, record, { kingdee, cache });
    assert.equal(kingdee.calls.length, 3);
    const b = await resolveLookups(flagship, refund('9', '天猫旗舰店', 'SO1', 'SKU-1'), { kingdee, cache });
    assert.equal(kingdee.calls.length, 3, 'all answers came from the cache');
    assert.deepEqual(b, a);

    const unknownShop = refund('2', '没有的店', 'SO1', 'SKU-1');
    await resolveLookups(flagship, unknownShop, { kingdee, cache });
    await resolveLookups(flagship, unknownShop, { kingdee, cache });
    assert.deepEqual(kingdee.calls.slice(3).map((c) => c.FormId), ['BD_Customer', 'BD_Customer'], 'a missing customer is asked for again');

    now = 1000;
    await resolveLookups(flagship, record, { kingdee, cache });
    assert.deepEqual(kingdee.calls.slice(5).map((c) => c.FormId), ['BD_Customer', 'SAL_OUTSTOCK', 'BD_MATERIAL'], 'entries expire after the TTL');
  });

  test('the cache is bounded: the least recently used entry goes first', () => {
    const cache = createLookupCache({ now: () => 0, maxEntries: 2 });
    const answer = { row: null, matches: 0 };
    cache.set('a', answer);
    cache.set('b', answer);
    assert.ok(cache.get('a'));
    cache.set('c', answer);
    assert.equal(cache.size, 2);
    assert.equal(cache.get('b'), undefined);
    assert.ok(cache.get('a') && cache.get('c'));
  });

  test('results are paged with StartRow/Limit until a short page', async () => {
    const many = Array.from({ length: 5 }, (_, i) => ({ FName: '天猫旗舰店', FNumber: `C${i}`, 'F_PSEH_OrgId.FNumber': '100' }));
    const kingdee = new FakeKingdee({ BD_Customer: many });
    const scheme = makeScheme([{ field: 'C', type: 'string', value: 'findCollection find FNumber from customers where FName={{shop_name}}' }]);
    const answers = await resolveLookups(scheme, { as_id: '1', shop_name: '天猫旗舰店' }, { kingdee, pageSize: 2 });
    assert.deepEqual(kingdee.calls.map((c) => [c.StartRow, c.Limit]), [[0, 2], [2, 2], [4, 2]]);
    assert.deepEqual(answers[CUSTOMERS_ID]![whereKey({ FName: '天猫旗舰店' })], { row: { FNumber: 'C0' }, matches: 5 });
  });

  test('condition sets of different shapes share one query (OR of IN groups)', async () => {
    const kingdee = new FakeKingdee(KINGDEE_FORMS);
    const scheme = makeScheme([
      { field: 'A', type: 'string', value: 'findCollection find FNumber from customers where FName={{shop_name}}' },
      { field: 'B', type: 'string', value: 'findCollection find FName from customers where FNumber={{cust}}' },
    ]);
    await resolveLookups(scheme, { as_id: '1', shop_name: 'x', cust: 'y' }, { kingdee });
    assert.equal(kingdee.calls.length, 1);
    assert.equal(kingdee.calls[0]!.FilterString, "(FName in ('x')) or (FNumber in ('y'))");
  });

  test('a reply that is not rows of values is refused', async () => {
    const broken: BillQueryClient = { executeBillQuery: () => Promise.resolve([{ Result: 'x' }] as unknown as unknown[][]) };
    await assert.rejects(resolveLookups(flagship, refund('1', 's', 'SO1', 'SKU-1'), { kingdee: broken }), LookupSourceError);
  });

  test('a collection with no source is a clear error', async () => {
    await assert.rejects(resolveLookups(flagship, refund('1', 's', 'SO1', 'SKU-1'), {}), /collection customers \(255f7565-c782-3985-9020-59aa6a647e61\) has no source/);
  });
});

describe('rows sources', () => {
  test('rows may be keyed by collection id or name, and win over Kingdee', async () => {
    const kingdee = new FakeKingdee(KINGDEE_FORMS);
    const answers = await resolveLookups(flagship, refund('1', 'S', 'SO1', 'SKU-1'), {
      kingdee,
      rows: { [CUSTOMERS_ID]: [{ FName: 'S', FNumber: 'C9', F_PSEH_OrgId: '102' }], materials: [{ FNumber: 'SKU-1', FIsBatchManage: 1 }] },
    });
    assert.deepEqual(kingdee.calls.map((c) => c.FormId), ['SAL_OUTSTOCK']);
    assert.deepEqual(answers[CUSTOMERS_ID], { [whereKey({ FName: 'S' })]: { row: { FNumber: 'C9', F_PSEH_OrgId: '102' }, matches: 1 } });
    assert.deepEqual(answers[MATERIALS_ID], { [whereKey({ FNumber: 'SKU-1' })]: { row: { FIsBatchManage: 1 }, matches: 1 } });
  });
  test('comparison is on trimmed text', async () => {
    const answers = await resolveLookups(flagship, refund('1', ' S ', 'SO1', 'SKU-1'), {
      rows: { customers: [{ FName: 'S  ', FNumber: 'C9', F_PSEH_OrgId: 102 }], outbound_lines: [], materials: [] },
    });
    assert.deepEqual(answers[CUSTOMERS_ID]![whereKey({ FName: 'S' })], { row: { FNumber: 'C9', F_PSEH_OrgId: 102 }, matches: 1 });
  });
});
