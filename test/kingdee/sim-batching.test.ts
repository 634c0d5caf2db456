// The simulator's many-bill model (kingdee-batching.md §4–§5): latency per call and per bill, one call at a time
// per session, and the switches (a)–(g) over raw HTTP, with the bills counter.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { DEFAULT_LATENCY_MODEL, modelLatencyMs, numbersInFilter } from '../../src/sim/kingdee/latency-model';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { call, login, returnModel, startSim, statusOf } from './helpers';

const FORM = 'SAL_RETURNSTOCK';
const ALL_OFF = { dIndexPerGroup: false, overReturnAtSave: false, skipUnknownNumbers: false, resultsInLoadOrder: false, sourceLockConflicts: false, errorsWithoutDIndex: false, groupRollback: false };
let sim: KingdeeSimulator;
let sid: string;
let line = 0;
let serial = 0;
before(async () => {
  sim = await startSim({ refunds: 120 });
  sid = await login(sim);
});
after(() => sim.stop());
beforeEach(() => {
  sim.setBehaviours(ALL_OFF);
  sim.setLatencyModel(undefined);
  sim.setSerialiseSessions(false);
  sim.faults.clear();
  sim.counters.reset();
});

const model = (overrides: Parameters<typeof returnModel>[3] = {}) => returnModel(sim, line++, `S-${serial++}`, overrides).model;
const overReturn = () => {
  const { model: m, outbound } = returnModel(sim, line++, `S-${serial++}`);
  return { ...m, FEntity: [{ ...(m.FEntity as Array<Record<string, unknown>>)[0], FRealQty: outbound.entries[0]!.qty + 5 }] };
};
const batchSave = async (models: unknown[], extra: Record<string, unknown> = {}) => statusOf((await call(sim, sid, 'BatchSave', { formid: FORM, data: { ...extra, Model: models } })).json);
const numbersOp = async (op: string, numbers: string[], session = sid) => statusOf((await call(sim, session, op, { formid: FORM, data: { Numbers: numbers } })).json);

test('latency model: base per call plus a share per bill or per queried number (single bills cost as before)', () => {
  const m = DEFAULT_LATENCY_MODEL;
  assert.equal(numbersInFilter("(FBillNo in ('a','b''c',  'd'))"), 3);
  assert.equal(numbersInFilter("FBillNo='x'"), 0);
  assert.equal(modelLatencyMs(m, 'ExecuteBillQuery', { FilterString: "FBillNo in ('a','b')" }), 160);
  assert.equal(modelLatencyMs(m, 'ExecuteBillQuery', { FilterString: "FBillNo='a'" }), 150);
  assert.equal(modelLatencyMs(m, 'Save', { Model: {} }), 300);
  assert.equal(modelLatencyMs(m, 'BatchSave', { Model: [{}, {}, {}] }), 500);
  assert.equal(modelLatencyMs(m, 'Submit', { Numbers: ['a'] }), 250);
  assert.equal(modelLatencyMs(m, 'Audit', { Numbers: ['a', 'b', 'c', 'd'] }), 400);
  assert.equal(modelLatencyMs(m, 'ValidateUser', undefined), 0);
});

test('one call at a time per session when serialised; two sessions still run side by side; bills are counted', async () => {
  sim.setLatencyModel({ ...DEFAULT_LATENCY_MODEL, queryBaseMs: 40, queryPerNumberMs: 0 });
  const query = (session: string) => call(sim, session, 'ExecuteBillQuery', { data: { FormId: FORM, FieldKeys: 'FBillNo', FilterString: '' } });
  await Promise.all([query(sid), query(sid), query(sid)]);
  assert.equal(sim.counters.snapshot().maxInFlight, 3, 'without serialisation the calls overlap');
  sim.setSerialiseSessions(true);
  sim.counters.reset();
  await Promise.all([query(sid), query(sid), query(sid)]);
  assert.equal(sim.counters.snapshot().maxInFlight, 1, 'serialised: the rest queue');
  const other = await login(sim);
  sim.counters.reset();
  await Promise.all([query(sid), query(other)]);
  assert.equal(sim.counters.snapshot().maxInFlight, 2, 'another session is another line');
  sim.setLatencyModel(undefined);
  await batchSave([model(), model(), model()]);
  assert.equal(sim.counters.get('BatchSave').bills, 3);
});

test('(a) DIndex per server-side group when BatchCount > 1', async () => {
  sim.setBehaviours({ dIndexPerGroup: true });
  const s = await batchSave([model(), model(), model(), model()], { BatchCount: 2 });
  assert.deepEqual(s.SuccessEntitys.map((e) => e.DIndex), [0, 1, 0, 1]);
});

test('(b) over-return refused at Save with the switch, at Audit without it', async () => {
  const atAudit = overReturn();
  assert.equal((await batchSave([atAudit])).IsSuccess, true);
  sim.setBehaviours({ overReturnAtSave: true });
  const s = await batchSave([overReturn()]);
  assert.equal(s.IsSuccess, false);
  assert.match(s.Errors[0]!.Message, /超出可退数量/);
});

test('(c) unknown numbers in Submit: MsgCode 10 by default, skipped silently with the switch', async () => {
  const m = model();
  await batchSave([m]);
  const strict = await numbersOp('Submit', ['no-such-bill']);
  assert.equal(strict.MsgCode, 10);
  sim.setBehaviours({ skipUnknownNumbers: true });
  const lax = await numbersOp('CancelAssign', ['no-such-bill']);
  assert.equal(lax.IsSuccess, true);
  assert.deepEqual(lax.SuccessEntitys, []);
});

test('(d) results in load (Id) order, not request order; (f) errors without DIndex', async () => {
  const [a, b] = [model(), model()];
  await batchSave([a, b]);
  sim.setBehaviours({ resultsInLoadOrder: true, errorsWithoutDIndex: true });
  const s = await numbersOp('Submit', [String(b.FBillNo), String(a.FBillNo), 'missing']);
  assert.deepEqual(s.SuccessEntitys.map((e) => e.Number), [String(a.FBillNo), String(b.FBillNo)]);
  assert.equal(s.Errors.length, 1);
  assert.equal('DIndex' in s.Errors[0]!, false);
});

test('(e) two in-flight calls linking to one SAL_OUTSTOCK: the later one meets the write-back lock (MsgCode 13)', async () => {
  sim.setBehaviours({ sourceLockConflicts: true });
  sim.setLatencyModel({ ...DEFAULT_LATENCY_MODEL, saveBaseMs: 60 });
  const index = line++;
  const first = returnModel(sim, index, `S-${serial++}`, { qty: 1 }).model;
  const second = returnModel(sim, index, `S-${serial++}`, { qty: 1 }).model;
  const other = await login(sim);
  const [x, y] = await Promise.all([
    call(sim, sid, 'BatchSave', { formid: FORM, data: { Model: [first] } }),
    call(sim, other, 'BatchSave', { formid: FORM, data: { Model: [second] } }),
  ]);
  const codes = [statusOf(x.json).MsgCode, statusOf(y.json).MsgCode].sort();
  assert.deepEqual(codes, [0, 13]);
  // In one call, in order, both go through.
  const together = await batchSave([returnModel(sim, index, `S-${serial++}`, { qty: 1 }).model, returnModel(sim, index, `S-${serial++}`, { qty: 1 }).model]);
  assert.equal(together.IsSuccess, true);
});

test('(g) group rollback: one failing bill undoes the whole BatchSave with one DIndex 0 error', async () => {
  sim.setBehaviours({ groupRollback: true, overReturnAtSave: true });
  const good = model();
  const s = await batchSave([good, overReturn()]);
  assert.equal(s.IsSuccess, false);
  assert.equal(s.Errors.length, 1);
  assert.equal(s.Errors[0]!.DIndex, 0);
  assert.deepEqual(s.SuccessEntitys, []);
  assert.equal(sim.store.findByNumber(FORM, String(good.FBillNo)), undefined, 'rolled back');
});

test('commit then drop of a whole batch: every bill saved, no reply', async () => {
  sim.faults.add({ fault: 'commitThenDrop', op: 'BatchSave', nth: 1 });
  const models = [model(), model()];
  await assert.rejects(call(sim, sid, 'BatchSave', { formid: FORM, data: { Model: models } }));
  for (const m of models) assert.equal(sim.store.findByNumber(FORM, String(m.FBillNo))?.values.FDocumentStatus, 'A');
});

test('admin API: the switches, the latency model and serialisation can be set over HTTP; unknown switches are refused', async () => {
  const post = (p: string, body: unknown) => fetch(`${sim.adminUrl}${p}`, { method: 'POST', body: JSON.stringify(body) });
  const set = await post('behaviours', { groupRollback: true });
  assert.equal(set.status, 200);
  assert.equal(sim.behaviours.groupRollback, true);
  assert.equal((await post('behaviours', { noSuchSwitch: true })).status, 400);
  assert.equal((await post('latency-model', { saveBaseMs: 10 })).status, 200);
  assert.equal(sim.latencyModel?.saveBaseMs, 10);
  assert.equal(sim.latencyModel?.savePerBillMs, DEFAULT_LATENCY_MODEL.savePerBillMs);
  assert.equal((await fetch(`${sim.adminUrl}latency-model`, { method: 'DELETE' })).status, 200);
  assert.equal(sim.latencyModel, undefined);
  assert.equal((await post('serialise-sessions', { on: 'yes' })).status, 400);
});
