// Simulator contract §9.10 over raw HTTP: ExecuteBillQuery and BillQuery semantics, paging and errors.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { and, eq } from '../../src/connectors/kingdee/filter-string';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { call, login, startSim, statusOf } from './helpers';

let sim: KingdeeSimulator;
let sid: string;
before(async () => {
  sim = await startSim({ refunds: 40, maxQueryLimit: 25 });
  sid = await login(sim);
});
after(() => sim.stop());

async function rows(data: Record<string, unknown>, op = 'ExecuteBillQuery'): Promise<unknown> {
  return (await call(sim, sid, op, { data })).json;
}

test('entry fields give one row per entry, header values repeated; header-only keys give one row per bill', async () => {
  const bill = sim.world.outboundBills.find((b) => b.entries.length >= 2)!;
  const perEntry = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID,FBillNo,FEntity_FEntryID,FMaterialID.FNumber,FRealQty,F_PSEH_TEXT,FDocumentStatus', FilterString: `FBillNo='${bill.billNo}'` })) as unknown[][];
  assert.deepEqual(perEntry, bill.entries.map((e) => [bill.fid, bill.billNo, e.entryId, e.skuId, e.qty, e.onlineLineId, 'C']));
  const perBill = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID,FBillNo', FilterString: `FBillNo='${bill.billNo}'` })) as unknown[][];
  assert.deepEqual(perBill, [[bill.fid, bill.billNo]]);
  // A filter on an entry field alone also switches to entry rows.
  const line = bill.entries[1]!;
  const byLine = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', FilterString: `F_PSEH_TEXT='${line.onlineLineId}'` })) as unknown[][];
  assert.deepEqual(byLine, [[bill.billNo]]);
});

test('the flagship lookups: customer by shop name with its org, outbound line by online line id and material, material batch flag', async () => {
  const shop = sim.world.shops.find((s) => s.name.includes("'"))!;
  const customer = await rows({ FormId: 'BD_Customer', FieldKeys: 'FNumber,F_PSEH_OrgId.FNumber,FName', FilterString: and(eq('FName', shop.name)) });
  assert.deepEqual(customer, [[shop.customerNumber, shop.orgNumber, shop.name]]);
  const bill = sim.world.outboundBills[3]!;
  const e = bill.entries[0]!;
  const line = await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FID,FEntity_FENTRYID', FilterString: and(eq('F_PSEH_TEXT', e.onlineLineId), eq('FMaterialID.FNumber', e.skuId)) });
  assert.deepEqual(line, [[bill.billNo, bill.fid, e.entryId]]);
  const sku = sim.world.skus.find((s) => s.batchManaged)!;
  assert.deepEqual(await rows({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber,FIsBatchManage', FilterString: and(eq('FNumber', sku.skuId)) }), [[sku.skuId, true]]);
});

test("a shop name like a' or '1'='1 in an escaped filter returns no rows, not all rows", async () => {
  const hostile = "a' or '1'='1";
  assert.deepEqual(await rows({ FormId: 'BD_Customer', FieldKeys: 'FNumber', FilterString: and(eq('FName', hostile)) }), []);
  const unescaped = (await rows({ FormId: 'BD_Customer', FieldKeys: 'FNumber', FilterString: `FName='${hostile}'` })) as unknown[];
  assert.equal(unescaped.length, sim.world.shops.length, 'the parser really evaluates OR: unescaped input would leak every row');
});

test('a bare base-data key returns the internal id; keys are case-insensitive; BillQuery keys objects by the FieldKeys as given', async () => {
  const [[id, number]] = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FCustomerID,fcustomerid.fnumber', FilterString: "fbillno = 'XSCKD000001'" })) as [[number, string]];
  assert.equal(typeof id, 'number');
  const [[internal]] = (await rows({ FormId: 'BD_Customer', FieldKeys: 'FCUSTID', FilterString: and(eq('FNumber', number)) })) as [[number]];
  assert.equal(internal, id);
  const objects = await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo, FMaterialID.FNumber', FilterString: "FBillNo='XSCKD000001'" }, 'BillQuery');
  assert.deepEqual(objects, sim.world.outboundBills[0]!.entries.map((e) => ({ FBillNo: 'XSCKD000001', 'FMaterialID.FNumber': e.skuId })));
});

test('dates and numbers: literals are coerced, dates come back as yyyy-MM-ddTHH:mm:ss', async () => {
  const bill = sim.world.outboundBills[5]!;
  const got = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FDate', FilterString: `FBillNo='${bill.billNo}' and FDate >= '${bill.date}' and FDate <= '${bill.date} 23:59:59'` })) as string[][];
  assert.deepEqual(got, [[`${bill.date}T00:00:00`]]);
  const big = (await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FEntity_FEntryID', FilterString: "FRealQty >= '4'", Limit: 25 })) as unknown[];
  const expected = sim.world.outboundBills.flatMap((b) => b.entries).filter((e) => e.qty >= 4).length;
  assert.equal(big.length, Math.min(expected, 25));
});

test('paging: StartRow/Limit windows, TopRowCount is an absolute end row, Limit is capped', async () => {
  const all = sim.world.outboundBills.map((b) => b.billNo);
  const page = async (StartRow: number, Limit: number, TopRowCount = 0) =>
    ((await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', OrderString: 'FID ASC', StartRow, Limit, TopRowCount })) as string[][]).map((r) => r[0]);
  assert.deepEqual(await page(0, 10), all.slice(0, 10));
  assert.deepEqual(await page(10, 10), all.slice(10, 20));
  assert.deepEqual(await page(0, 0, 5), all.slice(0, 5));
  assert.deepEqual(await page(10, 10, 15), all.slice(10, 15), 'TopRowCount ends the window');
  assert.deepEqual(await page(20, 10, 15), [], 'TopRowCount below StartRow gives an empty page');
  assert.equal((await page(0, 1000)).length, 25, 'Limit capped at the configured maximum');
  const desc = ((await rows({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', OrderString: 'FID desc', Limit: 3 })) as string[][]).map((r) => r[0]);
  assert.deepEqual(desc, all.slice(-3).reverse());
});

test('errors: unknown form 4, bad filter 4, unknown key 9, empty FieldKeys 8; [[…]] for ExecuteBillQuery, plain for BillQuery', async () => {
  const cases: Array<[Record<string, unknown>, number, RegExp]> = [
    [{ FormId: 'NO_SUCH_FORM', FieldKeys: 'FID' }, 4, /标识为“NO_SUCH_FORM”的业务对象不存在/],
    [{ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID', FilterString: "FBillNo = 'open" }, 4, /^GetRealExpress error/],
    [{ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID,FNoSuchField' }, 9, /^元数据中标识为FNoSuchField的字段不存在$/],
    [{ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID', FilterString: 'FNope = 1' }, 9, /FNope/],
    [{ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FMaterialID.FNope' }, 9, /FMaterialID\.FNope/],
    [{ FormId: 'SAL_OUTSTOCK', FieldKeys: ' ' }, 8, /FieldKeys的值不能为空/],
  ];
  for (const [data, code, message] of cases) {
    const wrapped = await rows(data);
    assert.ok(Array.isArray(wrapped) && Array.isArray(wrapped[0]), 'ExecuteBillQuery error is [[…]]');
    const s = statusOf(wrapped);
    assert.equal(s.IsSuccess, false);
    assert.equal(s.MsgCode, code, JSON.stringify(data));
    assert.match(s.Errors[0]!.Message, message);
    const plain = await rows(data, 'BillQuery');
    assert.ok(!Array.isArray(plain), 'BillQuery error is a plain object');
    assert.equal(statusOf(plain).MsgCode, code);
  }
  assert.equal(((await rows({ FormId: 'BD_STOCK', FieldKeys: 'FNumber', FilterString: [] })) as unknown[]).length, 3, '[] means no filter');
});
