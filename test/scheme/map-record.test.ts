// mapRecord constructs: constants, templates, lookups, types, base data, required rows, objects and arrays,
// output order, options; plus evaluateFilter, determinism and record projection.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  evaluateFilter,
  FilterEvaluationError,
  LookupAnswersMissingError,
  mapRecord,
  projectRecord,
  schemeFields,
  type MappingResult,
} from '../../src/scheme';
import { CUSTOMERS_ID, makeScheme, mapWith, OUTBOUND_ID } from './support';

const ok = (r: MappingResult): Extract<MappingResult, { ok: true }> => {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
  return r;
};
const errorsOf = (r: MappingResult): string[] => {
  assert.equal(r.ok, false, 'expected mapping errors');
  return (r as Extract<MappingResult, { ok: false }>).errors.map((e) => `${e.row} | ${e.message}`);
};

const RECORD = {
  as_id: '5000001', shop_name: '天猫旗舰店', qty_text: ' 2.50 ', big: 1e21, flag: 'TRUE', zero: 0, nothing: null, empty: '',
  items: [{ sku_id: 'A', r_qty: 1, qty: 1, outer_oi_id: 'OI-1', price: 10 }], batchs: [],
};

describe('values and types', () => {
  const scheme = makeScheme([
    { field: 'S', type: 'string', value: 'XSTHD01_SYS' },
    { field: 'N', type: 'number', value: '100' },
    { field: 'NS', type: 'string', value: '100' },
    { field: 'B', type: 'bool', value: 'False' },
    { field: 'B1', type: 'bool', value: '1' },
    { field: 'T', type: 'string', value: '{{as_id}}' },
    { field: 'TN', type: 'number', value: '{{as_id}}' },
    { field: 'TQ', type: 'number', value: '{{qty_text}}' },
    { field: 'TBig', type: 'string', value: '{{big}}' },
    { field: 'TB', type: 'bool', value: '{{flag}}' },
    { field: 'TZero', type: 'string', value: '{{zero}}' },
    { field: 'Mixed', type: 'string', value: 'AS-{{as_id}}/{{missing}}' },
    { field: 'Missing', type: 'string', value: '{{missing}}' },
    { field: 'Null', type: 'string', value: '{{nothing}}' },
    { field: 'Empty', type: 'string', value: '{{empty}}' },
    { field: 'Blank', type: 'string', value: '' },
  ]);
  test('constants and placeholders convert to the row type; empty values are left out', () => {
    const model = ok(mapRecord(scheme, RECORD, {})).body.data.Model;
    assert.deepEqual(model, {
      FBillNo: '5000001', S: 'XSTHD01_SYS', N: 100, NS: '100', B: false, B1: true, T: '5000001', TN: 5000001, TQ: 2.5,
      TBig: '1000000000000000000000', TB: true, TZero: '0', Mixed: 'AS-5000001/',
    });
  });
  test('a value that does not fit the row type is an error naming the row', () => {
    const bad = makeScheme([{ field: 'N', type: 'number', value: '{{shop_name}}' }, { field: 'B', type: 'bool', value: '{{shop_name}}' }]);
    assert.deepEqual(errorsOf(mapRecord(bad, RECORD, {})), [
      'N | N: {{shop_name}} is "天猫旗舰店", not a number',
      'B | B: {{shop_name}} is "天猫旗舰店", not a boolean (true/false/1/0)',
    ]);
  });
});

describe('base data, objects and arrays', () => {
  const scheme = makeScheme([
    { field: 'FStockOrgId', type: 'string', value: '100', basedata: 'FNumber' },
    { field: 'FCreator', type: 'string', value: '{{missing}}', basedata: 'FUserID' },
    { field: 'Sub', type: 'object' },
    { field: 'Sub.FSettleCurrId', type: 'string', value: 'PRE001', basedata: 'FNUMBER' },
    { field: 'Sub.Nothing', type: 'string', value: '{{missing}}' },
    { field: 'EmptyObject', type: 'object' },
    { field: 'EmptyObject.X', type: 'string', value: '{{missing}}' },
    { field: 'Head', type: 'array' },
    { field: 'Head.Note', type: 'string', value: '{{as_id}}' },
    { field: 'FEntity', type: 'array', value: 'items' },
    { field: 'FEntity.Sku', type: 'string', value: '{{items.sku_id}}', basedata: 'FNumber' },
    { field: 'FEntity.Bare', type: 'string', value: '{{outer_oi_id}}' },
    { field: 'FEntity.Prefixed', type: 'string', value: '{{items_outer_oi_id}}' },
    { field: 'FEntity.Header', type: 'string', value: '{{shop_name}}' },
    { field: 'FEntity.Link', type: 'array' },
    { field: 'FEntity.Link.Rule', type: 'string', value: 'OutStock-SalReturnStock' },
    { field: 'FEntity.Link.Line', type: 'string', value: '{{items.outer_oi_id}}' },
    { field: 'FEntity.NoLink', type: 'array' },
    { field: 'FEntity.NoLink.X', type: 'string', value: '{{missing}}' },
    { field: 'FEntity.Lots', type: 'array', value: 'batchs' },
    { field: 'FEntity.Lots.No', type: 'string', value: '{{batch_no}}' },
    { field: 'Last', type: 'string', value: 'end' },
  ]);
  test('wrapping, grouping, one element per source row, fields in mapping-row order', () => {
    const record = { ...RECORD, items: [...RECORD.items, { sku_id: 'B', r_qty: 2, outer_oi_id: 'OI-2' }], batchs: [{ sku_id: 'A', batch_no: 'L1', qty: 1 }] };
    const body = ok(mapRecord(scheme, record, {})).body;
    assert.equal(
      JSON.stringify(body),
      JSON.stringify({
        formid: 'SAL_RETURNSTOCK',
        data: {
          IsVerifyBaseDataField: false,
          IsAutoSubmitAndAudit: false,
          Model: {
            FBillNo: '5000001',
            FStockOrgId: { FNumber: '100' },
            Sub: { FSettleCurrId: { FNUMBER: 'PRE001' } },
            Head: [{ Note: '5000001' }],
            FEntity: [
              { Sku: { FNumber: 'A' }, Bare: 'OI-1', Prefixed: 'OI-1', Header: '天猫旗舰店', Link: [{ Rule: 'OutStock-SalReturnStock', Line: 'OI-1' }], Lots: [{ No: 'L1' }] },
              { Sku: { FNumber: 'B' }, Bare: 'OI-2', Prefixed: 'OI-2', Header: '天猫旗舰店', Link: [{ Rule: 'OutStock-SalReturnStock', Line: 'OI-2' }], Lots: [{ No: 'L1' }] },
            ],
            Last: 'end',
          },
        },
      }),
    );
  });
  test('target options and the one-call audit switch go beside Model', () => {
    const one = makeScheme([], {
      target: { system: 'kingdee', formId: 'X_FORM', operation: 'Save', numberField: 'FBillNo', options: { IsDeleteEntry: true, NeedReturnFields: ['FBillNo'] }, endState: 'audited', autoSubmitAndAudit: true },
    });
    assert.deepEqual(one.target, {
      system: 'kingdee', formId: 'X_FORM', operation: 'Save', numberField: 'FBillNo', options: { IsDeleteEntry: true, NeedReturnFields: ['FBillNo'] }, endState: 'audited', autoSubmitAndAudit: true,
    });
    const body = ok(mapRecord(one, RECORD, {})).body;
    assert.equal(JSON.stringify(body), '{"formid":"X_FORM","data":{"IsDeleteEntry":true,"NeedReturnFields":["FBillNo"],"IsAutoSubmitAndAudit":true,"Model":{"FBillNo":"5000001"}}}');
  });
});

describe('lookups and required rows', () => {
  const scheme = makeScheme([
    { field: 'FSaleOrgId', type: 'string', value: `findCollection find F_PSEH_OrgId from ${CUSTOMERS_ID} where FName={{shop_name}}`, basedata: 'FNumber', required: true },
    { field: 'FRetcustId', type: 'string', value: `_findCollection find FNumber from customers where FName={{shop_name}} _endFind`, basedata: 'FNumber', required: true },
    { field: 'Literal', type: 'string', value: "findCollection find FNumber from customers where FName='小红书 \"好物\" 店'" },
    { field: 'FEntity', type: 'array', value: 'reftables', required: true },
    { field: 'FEntity.FSrcBillNo', type: 'string', value: `findCollection find FBillNo from ${OUTBOUND_ID} where F_PSEH_TEXT={{reftables.batchs_outer_oi_id}} FMaterialID_FNumber={{reftables.batchs_sku_id}}` },
    { field: 'FEntity.FSId', type: 'number', value: `findCollection find FEntity_FENTRYID from outbound_lines where F_PSEH_TEXT={{reftables.batchs_outer_oi_id}} FMaterialID_FNumber={{reftables.batchs_sku_id}}`, required: true },
  ]);
  const customers = [
    { FName: '天猫旗舰店', FNumber: 'CUST0001', F_PSEH_OrgId: '101' },
    { FName: '小红书 "好物" 店', FNumber: 'CUST0006', F_PSEH_OrgId: '102' },
  ];
  const outbound = [{ FBillNo: 'XSCKD000001', FID: 100000, FEntity_FENTRYID: 200000, F_PSEH_TEXT: 'OI-1', FMaterialID_FNumber: 'A' }];

  test('found values are converted and wrapped', async () => {
    const { result } = await mapWith(scheme, RECORD, { customers, outbound_lines: outbound });
    assert.deepEqual(ok(result).body.data.Model, {
      FBillNo: '5000001', FSaleOrgId: { FNumber: '101' }, FRetcustId: { FNumber: 'CUST0001' }, Literal: 'CUST0006',
      FEntity: [{ FSrcBillNo: 'XSCKD000001', FSId: 200000 }],
    });
  });
  test('a missing customer names the row, the collection and the condition', async () => {
    const { result } = await mapWith(scheme, { ...RECORD, shop_name: '不存在的店' }, { customers, outbound_lines: outbound });
    assert.deepEqual(errorsOf(result), [
      `FSaleOrgId | FSaleOrgId: no customer in Kingdee BD_Customer (customers) where FName=不存在的店`,
      `FRetcustId | FRetcustId: no customer in Kingdee BD_Customer (customers) where FName=不存在的店`,
    ]);
  });
  test('entry rows name their line; an empty condition value says which', async () => {
    const record = { ...RECORD, items: [...RECORD.items, { sku_id: 'B', r_qty: 1 }, { sku_id: 'C', r_qty: 1, outer_oi_id: 'OI-3' }] };
    const { result } = await mapWith(scheme, record, { customers, outbound_lines: outbound });
    assert.deepEqual(errorsOf(result), [
      `FEntity.FSId | FEntity.FSId (line 2): no outbound line looked up in Kingdee SAL_OUTSTOCK (outbound_lines): F_PSEH_TEXT is empty ({{reftables.batchs_outer_oi_id}})`,
      `FEntity.FSId | FEntity.FSId (line 3): no outbound line in Kingdee SAL_OUTSTOCK (outbound_lines) where F_PSEH_TEXT=OI-3 FMaterialID_FNumber=C`,
    ]);
  });
  test('several matches: the first in a stable order, with a warning', async () => {
    const twice = [...outbound, { ...outbound[0]!, FBillNo: 'XSCKD000000', FEntity_FENTRYID: 199999 }];
    const { result } = await mapWith(scheme, RECORD, { customers, outbound_lines: twice });
    const r = ok(result);
    assert.deepEqual(r.body.data.Model.FEntity, [{ FSrcBillNo: 'XSCKD000000', FSId: 199999 }]);
    assert.deepEqual(r.warnings, [`2 outbound line rows in Kingdee SAL_OUTSTOCK (outbound_lines) where F_PSEH_TEXT=OI-1 FMaterialID_FNumber=A; took the first`]);
    const reversed = await mapWith(scheme, RECORD, { customers, outbound_lines: [...twice].reverse() });
    assert.deepEqual(reversed.result, result);
  });
  test('an expression that comes out empty on a required row says why', async () => {
    const s = makeScheme([
      { field: 'Org', type: 'string', value: "_function IFNULL(_findCollection find F_PSEH_OrgId from customers where FName={{shop_name}} endFind, NULL)", required: true },
    ]);
    const { result } = await mapWith(s, { ...RECORD, shop_name: 'nope' }, { customers });
    assert.deepEqual(errorsOf(result), [`Org | Org: the expression gave NULL (no customer in Kingdee BD_Customer (customers) where FName=nope)`]);
  });
  test('answers that do not cover the record are a programming error, not a business error', () => {
    assert.throws(() => mapRecord(scheme, RECORD, {}), LookupAnswersMissingError);
  });
  test('answers are plain JSON: a round trip maps to the same document', async () => {
    const { answers, result } = await mapWith(scheme, RECORD, { customers, outbound_lines: outbound });
    const again = mapRecord(scheme, RECORD, JSON.parse(JSON.stringify(answers)) as typeof answers);
    assert.equal(JSON.stringify(again), JSON.stringify(result));
    assert.ok(JSON.stringify(answers).length < 600, 'answers hold only what the record needs');
  });
});

describe('evaluateFilter', () => {
  const scheme = makeScheme([], {
    filter: [
      { rule: "_function {{status}} = 'Confirmed'", reason: 'status is {{status}}' },
      { rule: "{{type}} NOT IN ('仅退款', '补发')", reason: 'type {{type}} moves no goods' },
      { rule: '_function {{n}} + 1 > 0', reason: 'n' },
    ],
  });
  test('eligible when every rule is true', () => assert.deepEqual(evaluateFilter(scheme, { status: 'Confirmed', type: '普通退货', n: 1 }), { eligible: true }));
  test('the first failing rule gives the reason, with values filled in', () => {
    assert.deepEqual(evaluateFilter(scheme, { status: 'WaitConfirm', type: '普通退货', n: 1 }), { eligible: false, reason: 'status is WaitConfirm' });
    assert.deepEqual(evaluateFilter(scheme, { status: 'Confirmed', type: '仅退款', n: 1 }), { eligible: false, reason: 'type 仅退款 moves no goods' });
  });
  test('NULL is not true: a missing field fails the rule', () => {
    assert.deepEqual(evaluateFilter(scheme, { status: 'Confirmed', n: 1 }), { eligible: false, reason: 'type  moves no goods' });
  });
  test('a rule that cannot be evaluated throws a typed error instead of skipping silently', () => {
    assert.throws(() => evaluateFilter(scheme, { status: 'Confirmed', type: 'x', n: 'abc' }), (err: unknown) => err instanceof FilterEvaluationError && /filter rule 3: 'abc' is not a number/.test(err.message));
  });
});

describe('purity', () => {
  test('mapping the same record twice gives byte-identical output', async () => {
    const scheme = makeScheme([{ field: 'X', type: 'string', value: '_function {{a}} + {{b}}' }, { field: 'E', type: 'array', value: 'reftables' }, { field: 'E.Q', type: 'string', value: '{{reftables.batchs_qty}}' }]);
    const record = { ...RECORD, a: 0.1, b: 0.2 };
    const first = JSON.stringify(mapRecord(scheme, record, {}));
    const second = JSON.stringify(mapRecord(scheme, structuredClone(record), {}));
    assert.equal(first, second);
    assert.match(first, /"X":"0.3"/);
  });
  test('the record is not modified', () => {
    const scheme = makeScheme([{ field: 'E', type: 'array', value: 'reftables' }, { field: 'E.Q', type: 'string', value: '{{reftables.batchs_qty}}' }]);
    const record = structuredClone({ ...RECORD, batchs: [{ sku_id: 'A', batch_no: 'L', qty: 1 }] });
    const before = JSON.stringify(record);
    mapRecord(scheme, record, {});
    assert.equal(JSON.stringify(record), before);
  });
});

describe('projection', () => {
  const scheme = makeScheme(
    [
      { field: 'Name', type: 'string', value: '{{shop_name}}' },
      { field: 'FEntity', type: 'array', value: 'reftables' },
      { field: 'FEntity.Lot', type: 'string', value: '{{reftables.batchs_batch_no}}' },
      { field: 'FEntity.Line', type: 'string', value: '{{reftables.items_outer_oi_id}}' },
    ],
    { filter: [{ rule: "{{status}} = 'Confirmed'", reason: 'r' }] },
  );
  const record = {
    as_id: '1', modified: '2026-01-20 10:00:00', status: 'Confirmed', shop_name: 's', receiver_name: '张先生', receiver_mobile: '13800000000', shop_buyer_id: 'buyer_1',
    items: [{ sku_id: 'A', r_qty: 1, qty: 1, outer_oi_id: 'OI-1', pic: 'http://x', name: 'secret', batchs: [{ batch_no: 'N', qty: 1, supplier_name: 'x' }] }],
    batchs: [{ sku_id: 'A', batch_no: 'L', qty: 1, supplier_name: 'x' }],
  };
  test('keeps only the fields the scheme reads (plus key and version)', () => {
    const fields = schemeFields(scheme);
    for (const f of ['as_id', 'modified', 'status', 'shop_name', 'items[].outer_oi_id', 'batchs[].batch_no', 'items[].sku_id', 'items[].r_qty']) assert.ok(fields.includes(f), f);
    const projected = projectRecord(scheme, record);
    assert.deepEqual(projected, {
      as_id: '1', modified: '2026-01-20 10:00:00', status: 'Confirmed', shop_name: 's',
      items: [{ sku_id: 'A', r_qty: 1, qty: 1, outer_oi_id: 'OI-1', batchs: [{ batch_no: 'N', qty: 1 }] }],
      batchs: [{ sku_id: 'A', batch_no: 'L', qty: 1 }],
    });
  });
  test('the projected record maps to the same document', () => {
    assert.equal(JSON.stringify(mapRecord(scheme, projectRecord(scheme, record), {})), JSON.stringify(mapRecord(scheme, record, {})));
  });
});
