// Simulator contract §9.3–§9.9 over raw HTTP: status machine, numbers, base data, required fields, links,
// returnable quantity, IsAutoSubmitAndAudit, BatchSave.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { call, login, rawCall, returnModel, startSim, statusOf, type ResponseStatusShape } from './helpers';

let sim: KingdeeSimulator;
let sid: string;
before(async () => {
  sim = await startSim({ refunds: 60 });
  sid = await login(sim);
});
after(() => sim.stop());

const FORM = 'SAL_RETURNSTOCK';
let nextLine = 0;
/** A fresh outbound line for each test, so returned quantities do not interfere. */
const fresh = (billNo: string, overrides: Parameters<typeof returnModel>[3] = {}) => returnModel(sim, nextLine++, billNo, overrides);

async function save(model: Record<string, unknown>, extra: Record<string, unknown> = {}, op = 'Save'): Promise<{ status: ResponseStatusShape; body: Record<string, unknown> }> {
  const r = await call(sim, sid, op, { formid: FORM, data: { ...extra, Model: model } });
  const body = (r.json as { Result: Record<string, unknown> }).Result;
  return { status: statusOf(r.json), body };
}
async function op(name: string, numbers: string[]): Promise<ResponseStatusShape> {
  return statusOf((await call(sim, sid, name, { formid: FORM, data: { Numbers: numbers } })).json);
}
async function docStatus(billNo: string): Promise<string | undefined> {
  const rows = (await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: FORM, FieldKeys: 'FDocumentStatus', FilterString: `FBillNo='${billNo}'` } })).json as string[][];
  return rows[0]?.[0];
}
const onlyError = (s: ResponseStatusShape) => {
  assert.equal(s.IsSuccess, false);
  assert.equal(s.ErrorCode, 500);
  assert.equal(s.Errors.length, 1, JSON.stringify(s.Errors));
  return s.Errors[0]!;
};

test('status machine: Save→A, Submit→B, CancelAssign→A, Audit→C, UnAudit→D, Delete from D; violations are MsgCode 11 naming the bill', async () => {
  const { model } = fresh('SM-1');
  const saved = await save(model);
  assert.equal(saved.status.IsSuccess, true);
  assert.equal(saved.status.ErrorCode, undefined);
  assert.equal(saved.body.Number, 'SM-1');
  assert.equal(typeof saved.body.Id, 'number');
  assert.equal(await docStatus('SM-1'), 'A');

  const expectViolation = async (name: string, text: string) => {
    const s = await op(name, ['SM-1']);
    assert.equal(s.MsgCode, 11);
    assert.equal(onlyError(s).Message, `单据编号为“SM-1”的销售退货单，${text}`);
  };
  await expectViolation('CancelAssign', '单据不是审核中状态，不能撤销！');
  await expectViolation('Audit', '单据未提交，不能审核！');
  await expectViolation('UnAudit', '单据未审核，不能反审核！');

  const submitted = await op('Submit', ['SM-1']);
  assert.equal(submitted.IsSuccess, true);
  assert.deepEqual(submitted.SuccessEntitys, [{ Id: saved.body.Id, Number: 'SM-1', DIndex: 0 }]);
  assert.match(submitted.SuccessMessages[0]!.Message, /SM-1.*提交成功/);
  assert.equal(await docStatus('SM-1'), 'B');
  await expectViolation('Submit', '单据已经提交！');
  await expectViolation('Delete', '单据已提交或已审核，不能删除！');
  const update = await save({ ...model, FID: saved.body.Id, FHeadNote: 'changed' });
  assert.equal(update.status.MsgCode, 11);
  assert.match(onlyError(update.status).Message, /不允许修改/);

  assert.equal((await op('CancelAssign', ['SM-1'])).IsSuccess, true);
  assert.equal(await docStatus('SM-1'), 'A');
  assert.equal((await op('Submit', ['SM-1'])).IsSuccess, true);
  assert.equal((await op('Audit', ['SM-1'])).IsSuccess, true);
  assert.equal(await docStatus('SM-1'), 'C');
  await expectViolation('Audit', '单据已经审核！');
  await expectViolation('Submit', '单据已经审核！');
  await expectViolation('Delete', '单据已提交或已审核，不能删除！');

  assert.equal((await op('UnAudit', ['SM-1'])).IsSuccess, true);
  assert.equal(await docStatus('SM-1'), 'D');
  await expectViolation('Audit', '单据未提交，不能审核！');
  assert.equal((await op('Delete', ['SM-1'])).IsSuccess, true);
  assert.equal(await docStatus('SM-1'), undefined);
});

test('Draft makes a Z bill that cannot be submitted; a Save of it moves it to A; an unknown number is MsgCode 10', async () => {
  const { model } = fresh('DR-1');
  const drafted = await save({ ...model, FRetcustId: undefined }, {}, 'Draft');
  assert.equal(drafted.status.IsSuccess, true, 'Draft skips required-field checks');
  assert.equal(await docStatus('DR-1'), 'Z');
  const s = await op('Submit', ['DR-1']);
  assert.equal(onlyError(s).Message, '单据编号为“DR-1”的销售退货单，暂存单据不能提交！');
  const resaved = await save({ FID: drafted.body.Id, FRetcustId: model.FRetcustId }, { IsDeleteEntry: 'false' });
  assert.equal(resaved.status.IsSuccess, true, JSON.stringify(resaved.status.Errors));
  assert.equal(await docStatus('DR-1'), 'A');
  const missing = await op('Audit', ['NO-SUCH-BILL']);
  assert.equal(missing.MsgCode, 10);
});

test('multi-number calls are handled per bill; IsSuccess is false if any bill fails', async () => {
  await save(fresh('MN-1').model);
  await save(fresh('MN-2').model);
  await op('Submit', ['MN-2']);
  const s = await op('Submit', ['MN-1', 'MN-2']);
  assert.equal(s.IsSuccess, false);
  assert.deepEqual(s.SuccessEntitys.map((e) => [e.Number, e.DIndex]), [['MN-1', 0]]);
  assert.equal(onlyError(s).DIndex, 1);
  assert.equal(await docStatus('MN-1'), 'B');
});

test('FBillNo is unique per form (MsgCode 11, FieldName FBillNo); a blank number gets XSTHD + 6 digits', async () => {
  const { model } = fresh('UQ-1');
  assert.equal((await save(model)).status.IsSuccess, true);
  const dup = await save(fresh('UQ-1').model);
  const e = onlyError(dup.status);
  assert.equal(dup.status.MsgCode, 11);
  assert.equal(e.FieldName, 'FBillNo');
  assert.equal(e.Message, '违反字段唯一性要求：编码唯一。[UQ-1]在当前系统中已经被使用。');
  assert.equal(dup.body.Id, '');
  assert.equal(dup.body.Number, '');

  const auto = await save({ ...fresh('').model, FBillNo: '' });
  assert.match(String(auto.body.Number), /^XSTHD\d{6}$/);
});

test('IsVerifyBaseDataField: unknown or disabled numbers fail by field; without it they are dropped and the required check fires', async () => {
  const unknown = await save(fresh('BD-1', { header: { FRetcustId: { FNumber: 'CUST9999' } } }).model, { IsVerifyBaseDataField: 'true' });
  const e = onlyError(unknown.status);
  assert.equal(unknown.status.MsgCode, 11);
  assert.equal(e.FieldName, 'FRetcustId');
  assert.equal(e.Message, '字段“退货客户”的值“CUST9999”在系统中不存在或已禁用');

  const dropped = await save(fresh('BD-2', { header: { FRetcustId: { FNumber: 'CUST9999' } } }).model, { IsVerifyBaseDataField: false });
  assert.equal(onlyError(dropped.status).Message, '字段“退货客户”是必填项');
  assert.equal(onlyError(dropped.status).FieldName, 'FRetcustId');

  const stock = await save(fresh('BD-3', { entry: { FStockId: { fnumber: '不存在的仓' } } }).model, { IsVerifyBaseDataField: true });
  assert.equal(onlyError(stock.status).FieldName, 'FStockId');

  // Base-data objects accept FNumber in any case.
  const lower = await save(fresh('BD-4', { header: { FRetcustId: { FNUMBER: sim.world.shops[0]!.customerNumber } } }).model, { IsVerifyBaseDataField: true });
  assert.equal(lower.status.IsSuccess, true, JSON.stringify(lower.status.Errors));

  const customer = sim.world.shops[1]!.customerNumber;
  sim.store.upsertBaseData('BD_Customer', { FNumber: customer, FForbidStatus: 'B' });
  try {
    const disabled = await save(fresh('BD-5', { header: { FRetcustId: { FNumber: customer } } }).model, { IsVerifyBaseDataField: true });
    assert.equal(onlyError(disabled.status).FieldName, 'FRetcustId');
  } finally {
    sim.store.upsertBaseData('BD_Customer', { FNumber: customer, FForbidStatus: 'A' });
  }
});

test('a customer deleted through the admin API is unknown until restored', async () => {
  const customer = sim.world.shops[2]!.customerNumber;
  const del = await fetch(`${sim.adminUrl}forms/BD_Customer/records/${customer}`, { method: 'DELETE' });
  assert.equal(del.status, 200);
  const refused = await save(fresh('DEL-1', { header: { FRetcustId: { FNumber: customer } } }).model, { IsVerifyBaseDataField: true });
  assert.equal(onlyError(refused.status).FieldName, 'FRetcustId');
  const restore = await fetch(`${sim.adminUrl}forms/BD_Customer/records/${customer}/restore`, { method: 'POST' });
  assert.equal(restore.status, 200);
  const accepted = await save(fresh('DEL-2', { header: { FRetcustId: { FNumber: customer } } }).model, { IsVerifyBaseDataField: true });
  assert.equal(accepted.status.IsSuccess, true, JSON.stringify(accepted.status.Errors));
});

test('SAL_RETURNSTOCK required fields (§9.6): FieldName is the key, messages per header and entry', async () => {
  const header: Array<[string, string, string]> = [
    ['FBillTypeID', 'FBillTypeID', '字段“单据类型”是必填项'],
    ['FDate', 'FDate', '字段“日期”是必填项'],
    ['FSaleOrgId', 'FSaleOrgId', '字段“销售组织”是必填项'],
    ['FStockOrgId', 'FStockOrgId', '字段“库存组织”是必填项'],
    ['FRetcustId', 'FRetcustId', '字段“退货客户”是必填项'],
  ];
  for (const [key, fieldName, message] of header) {
    const { model } = fresh(`RQ-${key}`);
    delete model[key];
    const e = onlyError((await save(model)).status);
    assert.deepEqual([e.FieldName, e.Message], [fieldName, message], key);
  }
  const badDate = onlyError((await save(fresh('RQ-date', { header: { FDate: '2026-02-30' } }).model)).status);
  assert.deepEqual([badDate.FieldName, badDate.Message], ['FDate', '字段“日期”是必填项']);
  const noCurrency = onlyError((await save(fresh('RQ-cur', { header: { SubHeadEntity: {} } }).model)).status);
  assert.deepEqual([noCurrency.FieldName, noCurrency.Message], ['FSettleCurrId', '字段“结算币别”是必填项']);
  const noRows = onlyError((await save(fresh('RQ-rows', { header: { FEntity: [] } }).model)).status);
  assert.deepEqual([noRows.FieldName, noRows.Message], ['FEntity', '单据体【明细信息】至少需要一行分录']);

  const entry: Array<[Record<string, unknown>, string, string]> = [
    [{ FMaterialId: undefined }, 'FMaterialId', '单据体实体【明细信息】第【1】行分录，【物料编码】字段必录'],
    [{ FStockId: undefined }, 'FStockId', '单据体实体【明细信息】第【1】行分录，【仓库】字段必录'],
    [{ FRealQty: undefined }, 'FRealQty', '单据体实体【明细信息】第【1】行分录，【实退数量】字段必录'],
    [{ FRealQty: '0' }, 'FRealQty', '单据体实体【明细信息】第【1】行分录，【实退数量】必须大于0'],
  ];
  for (const [patch, fieldName, message] of entry) {
    const e = onlyError((await save(fresh(`RQ-E-${fieldName}-${String(patch.FRealQty)}`, { entry: patch }).model)).status);
    assert.deepEqual([e.FieldName, e.Message], [fieldName, message]);
  }
});

test('link rows must name an existing SAL_OUTSTOCK FID and an entry of that bill (§9.7)', async () => {
  const link = (patch: Record<string, unknown>) => ({
    FEntity_Link: [{ FEntity_Link_FRuleId: 'OutStock-SalReturnStock', FEntity_Link_FSTableName: 'T_SAL_OUTSTOCKENTRY', ...patch }],
  });
  const a = sim.world.outboundBills[40]!;
  const b = sim.world.outboundBills[41]!;
  const noBill = onlyError((await save(fresh('LK-1', { entry: link({ FEntity_Link_FSBillId: 1, FEntity_Link_FSId: a.entries[0]!.entryId }) }).model)).status);
  assert.equal(noBill.FieldName, 'FEntity_Link');
  assert.equal(noBill.Message, `第1行分录关联的源单（销售出库单 FID=1，分录 ${a.entries[0]!.entryId}）不存在`);
  const otherBillsEntry = onlyError((await save(fresh('LK-2', { entry: link({ FEntity_Link_FSBillId: a.fid, FEntity_Link_FSId: b.entries[0]!.entryId }) }).model)).status);
  assert.equal(otherBillsEntry.FieldName, 'FEntity_Link');
  const wrongRule = onlyError((await save(fresh('LK-3', { entry: link({ FEntity_Link_FRuleId: 'Nope', FEntity_Link_FSBillId: a.fid, FEntity_Link_FSId: a.entries[0]!.entryId }) }).model)).status);
  assert.equal(wrongRule.FieldName, 'FEntity_Link');
  const numeric = await save(fresh('LK-4', { qty: 1, entry: link({ FEntity_Link_FSBillId: a.fid, FEntity_Link_FSId: a.entries[0]!.entryId }) }).model);
  assert.equal(numeric.status.IsSuccess, true, 'ids may be numbers');
});

test('Audit refuses an over-return; UnAudit frees the quantity again', async () => {
  const index = sim.world.outboundBills.findIndex((b, i) => i >= 45 && b.entries[0]!.qty >= 2);
  assert.ok(index >= 0, 'the world has an outbound line with qty ≥ 2');
  const outbound = sim.world.outboundBills[index]!;
  const qty = outbound.entries[0]!.qty;
  const first = returnModel(sim, index, 'OR-1', { qty: qty - 1 }).model;
  const second = returnModel(sim, index, 'OR-2', { qty: 2 }).model;
  for (const m of [first, second]) assert.equal((await save(m)).status.IsSuccess, true);
  await op('Submit', ['OR-1', 'OR-2']);
  assert.equal((await op('Audit', ['OR-1'])).IsSuccess, true);
  const refused = await op('Audit', ['OR-2']);
  assert.equal(refused.MsgCode, 11);
  const message = onlyError(refused).Message;
  assert.ok(message.includes(`销售出库单“${outbound.billNo}”第1行：退货数量超出可退数量（可退 1，本次 2）`), message);
  assert.equal(await docStatus('OR-2'), 'B');

  assert.equal((await op('UnAudit', ['OR-1'])).IsSuccess, true);
  assert.equal((await op('Audit', ['OR-2'])).IsSuccess, true, 'a D bill does not count');
});

test('IsAutoSubmitAndAudit: one call to status C; a failing audit keeps nothing and consumes no number', async () => {
  const ok = await save(fresh('AA-1').model, { IsAutoSubmitAndAudit: 'true' });
  assert.equal(ok.status.IsSuccess, true);
  assert.equal(await docStatus('AA-1'), 'C');

  const index = nextLine - 1; // the line AA-1 fully returned
  const before = sim.store.peekAutoNumber(FORM);
  const over = returnModel(sim, index, '', { qty: 1 }).model;
  const failed = await save(over, { IsAutoSubmitAndAudit: true });
  assert.equal(failed.status.MsgCode, 11);
  assert.match(onlyError(failed.status).Message, /退货数量超出可退数量/);
  assert.deepEqual([failed.body.Id, failed.body.Number], ['', '']);
  assert.equal(sim.store.peekAutoNumber(FORM), before, 'no number consumed');
  const rows = (await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: FORM, FieldKeys: 'FBillNo', FilterString: `FBillNo='${before}'` } })).json as unknown[];
  assert.deepEqual(rows, []);
});

test('BatchSave: per-bill results by DIndex; duplicates inside one batch are caught; IsSuccess false if any failed', async () => {
  const bills = [fresh('BS-1').model, fresh('BS-2', { header: { FRetcustId: undefined } }).model, fresh('BS-3').model, fresh('BS-1').model];
  const r = await call(sim, sid, 'BatchSave', { formid: FORM, data: { BatchCount: 2, Model: bills } });
  const s = statusOf(r.json);
  assert.equal(s.IsSuccess, false);
  assert.equal(s.MsgCode, 11);
  assert.deepEqual(s.SuccessEntitys.map((e) => [e.Number, e.DIndex]), [['BS-1', 0], ['BS-3', 2]]);
  assert.deepEqual(s.Errors.map((e) => [e.DIndex, e.FieldName]), [[1, 'FRetcustId'], [3, 'FBillNo']]);
  assert.equal(await docStatus('BS-3'), 'A');
  assert.equal(await docStatus('BS-2'), undefined);
});

test('View returns the bill without F prefixes; NeedReturnData echoes requested fields', async () => {
  const { model, outbound } = fresh('VW-1');
  const saved = await save(model, { NeedReturnFields: ['FBillNo', 'FEntity.FEntryID'] });
  const echo = (saved.body.NeedReturnData as Array<{ FBillNo: string; FEntity: Array<{ FEntryID: number }> }>)[0]!;
  assert.equal(echo.FBillNo, 'VW-1');
  assert.equal(typeof echo.FEntity[0]!.FEntryID, 'number');
  const view = (await call(sim, sid, 'View', { formid: FORM, data: { Number: 'VW-1' } })).json as { Result: { ResponseStatus: null; Result: Record<string, unknown> } };
  assert.equal(view.Result.ResponseStatus, null);
  const bill = view.Result.Result;
  assert.equal(bill.BillNo, 'VW-1');
  assert.equal(bill.DocumentStatus, 'A');
  assert.equal((bill.RetcustId as { Number: string }).Number, outbound.customerNumber);
  assert.equal(typeof bill.RetcustId_Id, 'number');
  const entries = bill.SAL_RETURNSTOCKENTRY as Array<Record<string, unknown>>;
  assert.equal(entries[0]!.Id, echo.FEntity[0]!.FEntryID);
  const listed = (await (await fetch(`${sim.adminUrl}forms/${FORM}/records`)).json()) as Array<{ FBillNo: string }>;
  assert.ok(listed.some((b) => b.FBillNo === 'VW-1'));
  assert.deepEqual(sim.listRecords(FORM), listed, 'the same listing in-process');
  assert.equal((await rawCall(sim, 'DynamicFormService', 'View', { formid: 'NOPE', data: { Number: 'x' } }, { 'kdservice-sessionid': sid })).status, 200);
});
