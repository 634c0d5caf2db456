// Reading bills for reconcile: batched `FBillNo in (…)` with escaped values, entries grouped per bill,
// rows that are not what was asked for refused with where they came from.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalKeyField } from '../../src/reconcile/external-key';
import { BILL_NUMBERS_PER_QUERY, readBills } from '../../src/reconcile/kingdee-bills';
import { findScheme } from '../../src/scheme/load-file';

test('numbers are queried in batches, each value escaped; entries become lines of their bill', async () => {
  const filters: string[] = [];
  const reader = {
    async queryAll(q: { FilterString?: string }) {
      filters.push(q.FilterString ?? '');
      return filters.length === 1
        ? [
            [1, '100', 'C', 'SKU-1', 2, 10],
            [1, '100', 'C', 'SKU-2', 1, '5.5'],
            [2, "it's", 'A', null, null, null],
          ]
        : [];
    },
  };
  const numbers = ['100', "it's", ...Array.from({ length: BILL_NUMBERS_PER_QUERY }, (_, i) => String(1000 + i))];
  const bills = await readBills(reader, { formId: 'SAL_RETURNSTOCK', billNos: numbers });
  assert.equal(filters.length, 2, 'two batches');
  assert.match(filters[0]!, /^FBillNo in \('100','it''s','1000',/);
  assert.deepEqual(bills, [
    { id: '1', billNo: '100', status: 'C', lines: [{ material: 'SKU-1', qty: '2', price: '10' }, { material: 'SKU-2', qty: '1', price: '5.5' }] },
    { id: '2', billNo: "it's", status: 'A', lines: [] },
  ]);
});

test('a row of the wrong shape fails loudly, naming the form and the row', async () => {
  const reader = { queryAll: async () => [[1, '100']] };
  await assert.rejects(readBills(reader, { formId: 'SAL_RETURNSTOCK', billNos: ['100'] }), /SAL_RETURNSTOCK query row 0/);
});

test('with an external key field, bills are found by number or by key, and carry the key', async () => {
  const queries: Array<{ FieldKeys: string; FilterString?: string }> = [];
  const reader = {
    async queryAll(q: { FieldKeys: string; FilterString?: string }) {
      queries.push(q);
      return [[7, 'XSTHD000001', 'C', 'SKU-1', 1, 3, '100']];
    },
  };
  const bills = await readBills(reader, { formId: 'SAL_RETURNSTOCK', billNos: ['100'], keyField: 'FHeadNote' });
  assert.equal(queries[0]!.FilterString, "(FBillNo in ('100')) or (FHeadNote in ('100'))");
  assert.match(queries[0]!.FieldKeys, /,FHeadNote$/);
  assert.equal(bills[0]!.externalKey, '100');
});

test("the flagship scheme's external key is FHeadNote", () => {
  assert.equal(externalKeyField(findScheme('jst-refund-to-sales-return')), 'FHeadNote');
});
