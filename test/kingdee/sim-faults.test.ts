// Simulator contract §9.11: fault kinds, rule selection, counters, and the admin API over HTTP.
import assert from 'node:assert/strict';
import { after, afterEach, before, test } from 'node:test';
import { request } from 'undici';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { call, login, returnModel, startSim, statusOf } from './helpers';

let sim: KingdeeSimulator;
let sid: string;
before(async () => {
  sim = await startSim();
  sid = await login(sim);
});
afterEach(() => sim.faults.clear());
after(() => sim.stop());

const query = { data: { FormId: 'BD_STOCK', FieldKeys: 'FNumber' } };
const billCount = async (billNo: string) =>
  ((await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: 'SAL_RETURNSTOCK', FieldKeys: 'FID', FilterString: `FBillNo='${billNo}'` } })).json as unknown[]).length;

test('http5xx and responseError answer without applying anything', async () => {
  sim.faults.add({ fault: 'http5xx', op: 'save', status: 502 });
  const { model } = returnModel(sim, 0, 'F-5XX');
  const r = await call(sim, sid, 'Save', { formid: 'SAL_RETURNSTOCK', data: { Model: model } });
  assert.equal(r.status, 502);
  assert.equal(r.json, undefined, 'the body is not JSON');
  sim.faults.clear();
  sim.faults.add({ fault: 'responseError', op: 'Save' });
  const e = await call(sim, sid, 'Save', { formid: 'SAL_RETURNSTOCK', data: { Model: model } });
  assert.equal(e.status, 200);
  assert.match(e.text, /^response_error:\{"Message":".+","InnerExWrapper":null,"InnerException":null\}$/);
  assert.equal(await billCount('F-5XX'), 0);
});

test('networkLock is MsgCode 13 naming the bill; nothing applied', async () => {
  const { model } = returnModel(sim, 1, 'F-LOCK');
  sim.faults.add({ fault: 'networkLock', op: 'Save', formId: 'SAL_RETURNSTOCK' });
  const s = statusOf((await call(sim, sid, 'Save', { formid: 'SAL_RETURNSTOCK', data: { Model: model } })).json);
  assert.equal(s.MsgCode, 13);
  assert.equal(s.Errors[0]!.Message, '网控冲突：单据“F-LOCK”正在被其他用户操作，请稍后再试');
  assert.equal(await billCount('F-LOCK'), 0);
});

test('sessionDrop invalidates the caller’s session first', async () => {
  const mine = await login(sim);
  sim.faults.add({ fault: 'sessionDrop', op: 'ExecuteBillQuery' });
  assert.equal(statusOf((await call(sim, mine, 'ExecuteBillQuery', query)).json).MsgCode, 1);
  sim.faults.clear();
  assert.equal(statusOf((await call(sim, mine, 'ExecuteBillQuery', query)).json).MsgCode, 1, 'the session stays gone');
});

test('commitThenDrop applies the write in full and destroys the connection', async () => {
  const { model } = returnModel(sim, 2, 'F-CTD');
  sim.faults.add({ fault: 'commitThenDrop', op: 'Save' });
  await assert.rejects(call(sim, sid, 'Save', { formid: 'SAL_RETURNSTOCK', data: { Model: model } }));
  assert.equal(await billCount('F-CTD'), 1);
});

test('latency delays the call and then handles it', async () => {
  sim.faults.add({ fault: 'latency', op: 'ExecuteBillQuery', latencyMs: [20, 30] });
  assert.equal(((await call(sim, sid, 'ExecuteBillQuery', query)).json as unknown[]).length, 3);
  assert.equal(sim.faults.list()[0]!.fired, 1);
});

test('rules fire on the nth call, every k calls, with seeded probability, up to N times, by op and FormId', async () => {
  /** Which of `count` queries hit the lock (an error row `[[{Result…}]]` instead of data rows). */
  const lockedCalls = async (count: number, body: unknown = query) => {
    const out: boolean[] = [];
    for (let i = 0; i < count; i++) {
      const json = (await call(sim, sid, 'ExecuteBillQuery', body)).json as unknown[][];
      out.push(typeof json[0]?.[0] === 'object' && json[0]?.[0] !== null);
    }
    return out;
  };
  sim.faults.add({ fault: 'networkLock', op: 'executebillquery', nth: 3 });
  assert.deepEqual(await lockedCalls(5), [false, false, true, false, false]);
  sim.faults.clear();

  sim.faults.add({ fault: 'networkLock', op: 'ExecuteBillQuery', every: 2, times: 2 });
  assert.deepEqual(await lockedCalls(7), [false, true, false, true, false, false, false]);
  sim.faults.clear();

  sim.faults.add({ fault: 'networkLock', op: 'ExecuteBillQuery', formId: 'BD_MATERIAL' });
  assert.deepEqual(await lockedCalls(2), [false, false], 'another form is untouched');
  assert.deepEqual(await lockedCalls(1, { data: { FormId: 'BD_MATERIAL', FieldKeys: 'FNumber' } }), [true]);
  sim.faults.clear();

  const pattern = async () => {
    sim.faults.clear(); // restarts the seeded sequence
    sim.faults.add({ fault: 'networkLock', op: 'ExecuteBillQuery', probability: 0.5 });
    return lockedCalls(16);
  };
  const a = await pattern();
  const b = await pattern();
  assert.deepEqual(a, b, 'the same seed gives the same faults');
  assert.ok(a.includes(true) && a.includes(false));
});

test('counters per operation: calls, successes, business failures, faults fired; reset', async () => {
  sim.counters.reset();
  await call(sim, sid, 'ExecuteBillQuery', query);
  await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: 'NOPE', FieldKeys: 'FID' } });
  sim.faults.add({ fault: 'http5xx', op: 'ExecuteBillQuery', times: 1 });
  await call(sim, sid, 'ExecuteBillQuery', query);
  assert.deepEqual(sim.counters.get('ExecuteBillQuery'), { calls: 3, bills: 3, successes: 1, businessFailures: 1, faultsFired: 1 });
  const overHttp = (await (await fetch(`${sim.adminUrl}counters`)).json()) as { operations: Record<string, unknown> };
  assert.deepEqual(overHttp.operations.ExecuteBillQuery, { calls: 3, bills: 3, successes: 1, businessFailures: 1, faultsFired: 1 });
  await fetch(`${sim.adminUrl}counters/reset`, { method: 'POST' });
  assert.deepEqual(sim.counters.get('ExecuteBillQuery'), { calls: 0, bills: 0, successes: 0, businessFailures: 0, faultsFired: 0 });
});

test('admin API: fault rules, sessions, base-data upsert, reseed', async () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await request(`${sim.adminUrl}${path}`, { method: method as 'GET', body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.statusCode, json: (await r.body.json()) as Record<string, unknown> };
  };
  const added = await admin('POST', 'faults', { fault: 'networkLock', op: 'Audit', nth: 2 });
  assert.equal(added.status, 200);
  assert.equal(((await admin('GET', 'faults')).json as unknown as unknown[]).length, 1);
  assert.equal((await admin('DELETE', `faults/${String(added.json.id)}`)).status, 200);
  assert.equal((await admin('POST', 'faults', { fault: 'explode', op: 'Save' })).status, 400);

  const upsert = await admin('POST', 'forms/BD_STOCK/records', { FNumber: '新仓', FName: '新仓库' });
  assert.equal(upsert.status, 200);
  assert.deepEqual(await (await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: 'BD_STOCK', FieldKeys: 'FName', FilterString: "FNumber='新仓'" } })).json, [['新仓库']]);

  const mine = await login(sim);
  assert.ok(((await admin('POST', 'sessions/expire')).json.expired as number) >= 1);
  assert.equal(statusOf((await call(sim, mine, 'ExecuteBillQuery', query)).json).MsgCode, 1);
  sid = await login(sim);

  const seeded = await admin('POST', 'seed', { seed: 11, refunds: 5 });
  assert.deepEqual(seeded.json, { seed: 11, outboundBills: 5, refunds: 5 });
  assert.equal(sim.world.seed, 11);
  const bills = (await call(sim, sid, 'ExecuteBillQuery', { data: { FormId: 'SAL_OUTSTOCK', FieldKeys: 'FBillNo' } })).json as unknown[];
  assert.equal(bills.length, 5, 'one row per reseeded outbound bill');
  assert.equal((await admin('GET', 'nowhere')).status, 404);
});
