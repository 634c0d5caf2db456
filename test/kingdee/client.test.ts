// The client against the simulator: one scenario in every auth mode, session renewal, lost replies,
// every error class, the concurrency limit and escaped filters.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, afterEach, before, test } from 'node:test';
import {
  KingdeeBusinessError,
  KingdeeClient,
  KingdeeLockConflictError,
  KingdeeLoginError,
  KingdeeSessionLostError,
  KingdeeTransientError,
  KingdeeUnknownOutcomeError,
  KingdeeValidationError,
  type KingdeeAuthMode,
} from '../../src/connectors/kingdee';
import { and, eq } from '../../src/connectors/kingdee/filter-string';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { clientFor, returnModel, startSim } from './helpers';

let sim: KingdeeSimulator;
let clock = Date.UTC(2026, 0, 20, 2, 0, 0);
const clients: KingdeeClient[] = [];
before(async () => {
  sim = await startSim({ refunds: 80, now: () => clock });
});
afterEach(async () => {
  sim.faults.clear();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
after(() => sim.stop());

function track(client: KingdeeClient): KingdeeClient {
  clients.push(client);
  return client;
}
const FORM = 'SAL_RETURNSTOCK';
let nextLine = 0;
const freshModel = (billNo: string) => returnModel(sim, nextLine++, billNo).model;
const count = (op: string) => sim.counters.get(op);
const billsNumbered = async (client: KingdeeClient, billNo: string) =>
  (await client.executeBillQuery({ FormId: FORM, FieldKeys: 'FID', FilterString: and(eq('FBillNo', billNo)) })).length;

/** The flagship write path as the product runs it: lookups, Save, Submit, Audit, status check. */
async function flagshipScenario(client: KingdeeClient, billNo: string): Promise<void> {
  const outbound = sim.world.outboundBills[nextLine++]!;
  const line = outbound.entries[0]!;
  const shop = sim.world.shops.find((s) => s.customerNumber === outbound.customerNumber)!;
  const [customer] = await client.executeBillQuery({ FormId: 'BD_Customer', FieldKeys: 'FNumber,F_PSEH_OrgId.FNumber', FilterString: and(eq('FName', shop.name)) });
  assert.deepEqual(customer, [shop.customerNumber, shop.orgNumber]);
  const [source] = await client.executeBillQuery({
    FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo,FID,FEntity_FEntryID', FilterString: and(eq('F_PSEH_TEXT', line.onlineLineId), eq('FMaterialID.FNumber', line.skuId), "FDocumentStatus='C'"),
  });
  assert.deepEqual(source, [outbound.billNo, outbound.fid, line.entryId]);
  const index = sim.world.outboundBills.indexOf(outbound);
  const saved = await client.save(FORM, returnModel(sim, index, billNo).model, { isVerifyBaseDataField: false, needReturnFields: ['FBillNo'] });
  assert.equal(saved.number, billNo);
  assert.deepEqual((await client.submit(FORM, [billNo])).map((e) => e.number), [billNo]);
  assert.deepEqual((await client.audit(FORM, [billNo])).map((e) => e.id), [saved.id]);
  assert.deepEqual(await client.findBill(FORM, billNo), { id: saved.id, number: billNo, status: 'C' });
  assert.equal((await client.view(FORM, { number: billNo })).DocumentStatus, 'C');
}

for (const mode of ['validate-user', 'app-secret', 'sign', 'signed-header'] as KingdeeAuthMode[]) {
  test(`the same client code runs the flagship path in ${mode} mode`, async () => {
    sim.counters.reset();
    await flagshipScenario(track(clientFor(sim, mode, {}, () => clock)), `MODE-${mode}`);
    const logins = ['ValidateUser', 'LoginByAppSecret', 'LoginBySign'].reduce((n, op) => n + count(op).calls, 0);
    assert.equal(logins, mode === 'signed-header' ? 0 : 1, 'one login for the whole run (none when signing headers)');
  });
}

test('a session expiring mid-run is renewed transparently with exactly one extra login, even under concurrency', async () => {
  const client = track(clientFor(sim));
  sim.counters.reset();
  assert.equal((await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' })).length, 3);
  clock += 21 * 60_000; // idle past the 20-minute sliding window
  const results = await Promise.all(Array.from({ length: 6 }, () => client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' })));
  assert.ok(results.every((r) => r.length === 3));
  assert.equal(count('ValidateUser').calls, 2);
  assert.equal(client.logins, 2);
  assert.ok(count('ExecuteBillQuery').businessFailures >= 1, 'the server really refused the stale session');
});

test('signed-header mode heals a dropped session without any login call', async () => {
  const client = track(clientFor(sim, 'signed-header', {}, () => clock));
  sim.counters.reset();
  sim.faults.add({ fault: 'sessionDrop', op: 'ExecuteBillQuery', nth: 2 });
  for (let i = 0; i < 3; i++) assert.equal((await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' })).length, 3);
  assert.equal(count('ExecuteBillQuery').faultsFired, 1);
  assert.equal(count('ValidateUser').calls, 0);
});

test('MsgCode 1 on a Save: re-login, look the bill up, save once — no duplicate', async () => {
  const client = track(clientFor(sim));
  await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' });
  sim.counters.reset();
  sim.faults.add({ fault: 'sessionDrop', op: 'Save', nth: 1 });
  const saved = await client.save(FORM, freshModel('S1-SAVE'));
  assert.equal(saved.number, 'S1-SAVE');
  assert.equal(await billsNumbered(client, 'S1-SAVE'), 1);
  assert.equal(count('ValidateUser').calls, 1);
  assert.equal(count('Save').calls, 2);

  // The same on Submit: the bill is checked, then submitted once.
  sim.faults.add({ fault: 'sessionDrop', op: 'Submit', nth: 1 });
  assert.deepEqual((await client.submit(FORM, ['S1-SAVE'])).map((e) => e.number), ['S1-SAVE']);
  assert.equal((await client.findBill(FORM, 'S1-SAVE'))?.status, 'B');

  // Without an FBillNo there is nothing to verify by: the write is not replayed.
  sim.faults.add({ fault: 'sessionDrop', op: 'Save', nth: 1 });
  const anonymous = { ...freshModel(''), FBillNo: '' };
  await assert.rejects(client.save(FORM, anonymous), (e: unknown) => e instanceof KingdeeSessionLostError && e.retryable);
});

test('commit-then-drop on Save surfaces KingdeeUnknownOutcomeError; findBill by FBillNo resolves it with no duplicate', async () => {
  const client = track(clientFor(sim));
  sim.counters.reset();
  sim.faults.add({ fault: 'commitThenDrop', op: 'Save', nth: 1 });
  const model = freshModel('CTD-1');
  await assert.rejects(client.save(FORM, model), (e: unknown) => {
    assert.ok(e instanceof KingdeeUnknownOutcomeError);
    assert.equal(e.verifyBeforeRetry, true);
    assert.match(e.message, /Kingdee Save SAL_RETURNSTOCK \[CTD-1\]/);
    return true;
  });
  assert.equal(count('Save').calls, 1, 'the client did not replay the write');
  const found = await client.findBill(FORM, 'CTD-1');
  assert.ok(found);
  assert.equal(found.status, 'A');
  assert.equal(await billsNumbered(client, 'CTD-1'), 1);
  // A blind replay would have been refused on the number (rule 3), proving the lookup was the right move.
  await assert.rejects(client.save(FORM, model), (e: unknown) => e instanceof KingdeeValidationError && e.fieldErrors[0]?.fieldName === 'FBillNo');
});

test('a write that times out is an unknown outcome; the bill appears once the server finishes', async () => {
  const client = track(clientFor(sim, 'validate-user', { requestTimeoutMs: 150 }));
  await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' });
  sim.faults.add({ fault: 'latency', op: 'Save', latencyMs: 600, times: 1 });
  await assert.rejects(client.save(FORM, freshModel('SLOW-1')), KingdeeUnknownOutcomeError);
  let found;
  for (let i = 0; i < 100 && !found; i++) {
    found = await client.findBill(FORM, 'SLOW-1');
    if (!found) await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.equal(found?.number, 'SLOW-1');
  sim.faults.add({ fault: 'latency', op: 'ExecuteBillQuery', latencyMs: 600, times: 1 });
  await assert.rejects(client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), KingdeeTransientError, 'a read that times out is merely transient');
  // Let the server finish the abandoned read, so later tests see an idle server.
  for (let i = 0; i < 100 && sim.counters.snapshot().inFlight > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
});

test('HTTP 5xx and response_error are transient; MsgCode 13 is a retryable lock conflict; nothing is saved', async () => {
  const client = track(clientFor(sim));
  sim.faults.add({ fault: 'http5xx', op: 'ExecuteBillQuery', times: 1 });
  await assert.rejects(client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), (e: unknown) => e instanceof KingdeeTransientError && e.httpStatus === 503 && e.retryable);
  sim.faults.add({ fault: 'responseError', op: 'Save', times: 1 });
  await assert.rejects(client.save(FORM, freshModel('RE-1')), (e: unknown) => e instanceof KingdeeTransientError && /response_error/.test(e.message));
  sim.faults.add({ fault: 'networkLock', op: 'Audit', times: 1 });
  await assert.rejects(client.audit(FORM, ['RE-1']), (e: unknown) => e instanceof KingdeeLockConflictError && e.retryable && e.msgCode === 13);
  assert.equal(await client.findBill(FORM, 'RE-1'), undefined);
});

test('validation failures carry field errors and are not retryable; other MsgCodes are business errors', async () => {
  const client = track(clientFor(sim));
  const model = freshModel('VAL-1');
  delete model.FRetcustId;
  await assert.rejects(client.save(FORM, model), (e: unknown) => {
    assert.ok(e instanceof KingdeeValidationError);
    assert.equal(e.retryable, false);
    assert.deepEqual(e.fieldErrors, [{ fieldName: 'FRetcustId', message: '字段“退货客户”是必填项', dIndex: 0 }]);
    assert.match(e.message, /\[VAL-1\]/);
    return true;
  });
  await assert.rejects(client.executeBillQuery({ FormId: 'NO_SUCH', FieldKeys: 'FID' }), (e: unknown) => e instanceof KingdeeBusinessError && e.msgCode === 4 && !e.retryable);
  await assert.rejects(client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNope' }), (e: unknown) => e instanceof KingdeeBusinessError && e.msgCode === 9);
  await assert.rejects(client.view(FORM, { number: 'NOT-THERE' }), (e: unknown) => e instanceof KingdeeBusinessError && e.msgCode === 10);
});

test('refused logins and rejected signatures are not retryable, and never show secrets', async () => {
  const secret = 'Wrong-Secret-Value-123';
  const bad = track(clientFor(sim, 'validate-user', { password: secret }));
  await assert.rejects(bad.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), (e: unknown) => {
    assert.ok(e instanceof KingdeeLoginError);
    assert.equal(e.retryable, false);
    assert.equal(e.loginResultType, 0);
    assert.ok(!e.message.includes(secret) && !e.message.includes(sim.credentials.password));
    return true;
  });
  await assert.rejects(track(clientFor(sim, 'app-secret', { appSecret: secret })).executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), KingdeeLoginError);
  await assert.rejects(track(clientFor(sim, 'signed-header', { appSecret: secret })).executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), (e: unknown) => {
    assert.ok(e instanceof KingdeeSessionLostError);
    assert.equal(e.retryable, false);
    assert.ok(!e.message.includes(secret));
    return true;
  });
  await assert.rejects(track(clientFor(sim, 'signed-header', { acctId: 'unknown-dc' })).executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' }), (e: unknown) => e instanceof KingdeeBusinessError && !e.retryable && /thirty passport/.test(e.message));
});

test('at most maxConcurrency calls are in flight per client', async () => {
  const client = track(clientFor(sim, 'validate-user', { maxConcurrency: 2 }));
  await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' });
  assert.equal(sim.counters.snapshot().inFlight, 0);
  sim.counters.reset();
  sim.faults.add({ fault: 'latency', op: 'ExecuteBillQuery', latencyMs: 25 });
  await Promise.all(Array.from({ length: 8 }, () => client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' })));
  assert.equal(count('ExecuteBillQuery').calls, 8);
  assert.equal(sim.counters.snapshot().maxInFlight, 2);
});

test("a shop name a' or '1'='1 used in a filter returns no rows instead of all rows; stored as a name it matches only itself", async () => {
  const client = track(clientFor(sim));
  const hostile = "a' or '1'='1";
  assert.deepEqual(await client.executeBillQuery({ FormId: 'BD_Customer', FieldKeys: 'FNumber', FilterString: and(eq('FName', hostile)) }), []);
  sim.store.upsertBaseData('BD_Customer', { FNumber: 'CUST-HOSTILE', FName: hostile, F_PSEH_OrgId: '100' });
  try {
    assert.deepEqual(await client.executeBillQuery({ FormId: 'BD_Customer', FieldKeys: 'FNumber,F_PSEH_OrgId.FNumber', FilterString: and(eq('FName', hostile)) }), [['CUST-HOSTILE', '100']]);
    assert.equal(await client.findBill(FORM, hostile), undefined);
  } finally {
    sim.store.removeRecord('BD_Customer', 'CUST-HOSTILE');
  }
});

test('batchSave reports saved and failed bills by model index; multi-number failures carry what succeeded', async () => {
  const client = track(clientFor(sim));
  const bad = freshModel('BAT-2');
  delete bad.FRetcustId;
  const result = await client.batchSave(FORM, [freshModel('BAT-1'), bad, freshModel('BAT-3')]);
  assert.deepEqual(result.saved.map((s) => [s.index, s.number]), [[0, 'BAT-1'], [2, 'BAT-3']]);
  assert.deepEqual(result.failed.map((f) => [f.index, f.number, f.errors[0]?.fieldName]), [[1, 'BAT-2', 'FRetcustId']]);
  await client.submit(FORM, ['BAT-3']);
  await assert.rejects(client.submit(FORM, ['BAT-1', 'BAT-3']), (e: unknown) => {
    assert.ok(e instanceof KingdeeValidationError);
    assert.deepEqual(e.succeeded.map((s) => s.number), ['BAT-1']);
    assert.deepEqual(e.fieldErrors.map((f) => f.dIndex), [1]);
    return true;
  });
});

test('save options reach the server in Kingdee spelling', async () => {
  const client = track(clientFor(sim));
  const audited = await client.save(FORM, freshModel('OPT-1'), { isAutoSubmitAndAudit: true, batchCount: 1 });
  assert.equal((await client.findBill(FORM, 'OPT-1'))?.status, 'C');
  assert.equal(audited.number, 'OPT-1');
  const unknownCustomer = { ...freshModel('OPT-2'), FRetcustId: { FNumber: 'CUST-NONE' } };
  await assert.rejects(client.save(FORM, unknownCustomer, { isVerifyBaseDataField: true }), (e: unknown) => e instanceof KingdeeValidationError && /不存在或已禁用/.test(e.fieldErrors[0]?.message ?? ''));
  await assert.rejects(client.save(FORM, unknownCustomer, { isVerifyBaseDataField: false }), (e: unknown) => e instanceof KingdeeValidationError && /必填项/.test(e.fieldErrors[0]?.message ?? ''));
});

test('queryAll pages until a short page', async () => {
  const client = track(clientFor(sim));
  sim.counters.reset();
  const rows = await client.queryAll({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo', OrderString: 'FID ASC' }, { pageSize: 7 });
  assert.deepEqual(rows.map((r) => r[0]), sim.world.outboundBills.map((b) => b.billNo));
  assert.equal(count('ExecuteBillQuery').calls, Math.floor(sim.world.outboundBills.length / 7) + 1);
});

test('a refused connection on a write is transient, not an unknown outcome; close() logs out', async () => {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const p = (probe.address() as { port: number }).port;
      probe.close(() => resolve(p));
    });
  });
  const c = sim.credentials;
  const dead = track(new KingdeeClient({ baseUrl: `http://127.0.0.1:${port}/k3cloud/`, acctId: c.acctId, username: c.username, authMode: 'signed-header', appId: c.appId, appSecret: c.appSecret }));
  await assert.rejects(dead.save(FORM, freshModel('DEAD-1')), (e: unknown) => e instanceof KingdeeTransientError && !(e instanceof KingdeeUnknownOutcomeError));

  const client = clientFor(sim);
  await client.executeBillQuery({ FormId: 'BD_STOCK', FieldKeys: 'FNumber' });
  const before = sim.sessions.size;
  sim.counters.reset();
  await client.close();
  assert.equal(count('Logout').successes, 1);
  assert.equal(sim.sessions.size, before - 1);
});
