// The Kingdee batcher against the simulator (kingdee-batching.md §3): per-bill results keyed by FBillNo,
// call-level failures reconciled by one query and bisected, lost replies adopted not claimed, skipped numbers,
// and returns against one SAL_OUTSTOCK never in two concurrent calls.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { KingdeeBusinessError, KingdeeTransientError, KingdeeValidationError, type KingdeeClient } from '../../src/connectors/kingdee';
import { KingdeeBatcher, batchingConfigFromEnv, BatchingConfigError } from '../../src/kingdee-batching';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { clientFor, returnModel, startSim } from './helpers';

const FORM = 'SAL_RETURNSTOCK';
let sim: KingdeeSimulator;
let client: KingdeeClient;
/** A second session (its own login): two write calls may be in flight, one on each. */
let second: KingdeeClient;
let line = 0;
let prefix = 0;
before(async () => {
  sim = await startSim({ refunds: 200, serialiseSessions: true });
  client = clientFor(sim, 'validate-user', { requestTimeoutMs: 5_000 });
  second = clientFor(sim, 'validate-user', { requestTimeoutMs: 5_000 });
});
after(async () => {
  await client.close();
  await second.close();
  await sim.stop();
});
beforeEach(() => {
  sim.faults.clear();
  sim.setBehaviours({ dIndexPerGroup: false, overReturnAtSave: false, skipUnknownNumbers: false, resultsInLoadOrder: false, sourceLockConflicts: false, errorsWithoutDIndex: false, groupRollback: false });
  sim.counters.reset();
  prefix++;
});

/** Waits recorded instead of slept, so a lost reply costs no wall time. */
function batcherWith(size = 20, sessions = 1): { batcher: KingdeeBatcher; waits: number[] } {
  const waits: number[] = [];
  const batcher = new KingdeeBatcher(sessions === 1 ? client : [client, second], { batchSize: size, lingerMs: 20, sessions }, async (ms) => {
    waits.push(ms);
  });
  return { batcher, waits };
}
let serial = 0;
const good = (n: number) => Array.from({ length: n }, () => returnModel(sim, line++, `B${prefix}-${serial++}`).model);
/** Over-returns its line: refused at Save when overReturnAtSave is on, at Audit otherwise. */
const overReturn = (billNo: string): Record<string, unknown> => {
  const { model, outbound } = returnModel(sim, line++, billNo);
  return { ...model, FEntity: [{ ...(model.FEntity as Array<Record<string, unknown>>)[0], FRealQty: outbound.entries[0]!.qty + 5 }] };
};
const settle = <T>(ps: Array<Promise<T>>) => Promise.allSettled(ps);

test('batching config: defaults 20 bills and a short linger; out-of-range values name their variable', () => {
  assert.deepEqual(batchingConfigFromEnv({}), { batchSize: 20, lingerMs: 100, sessions: 1 });
  assert.deepEqual(batchingConfigFromEnv({ KINGDEE_BATCH_SIZE: '50', KINGDEE_BATCH_LINGER_MS: '0', KINGDEE_BATCH_SESSIONS: '3' }), { batchSize: 50, lingerMs: 0, sessions: 3 });
  assert.throws(() => batchingConfigFromEnv({ KINGDEE_BATCH_SIZE: '51' }), (e: unknown) => e instanceof BatchingConfigError && /KINGDEE_BATCH_SIZE/.test(e.message));
  assert.throws(() => batchingConfigFromEnv({ KINGDEE_BATCH_LINGER_MS: '900' }), /KINGDEE_BATCH_LINGER_MS/);
});

test('concurrent finds, saves, submits and audits go out as one call each', async () => {
  const { batcher } = batcherWith();
  const models = good(6);
  const numbers = models.map((m) => String(m.FBillNo));
  const found = await Promise.all(numbers.map((n) => batcher.findBill(FORM, n)));
  assert.deepEqual(found, numbers.map(() => undefined));
  const saved = await Promise.all(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(saved.map((s) => [s.number, s.adopted]), numbers.map((n) => [n, undefined]), 'each save proven by the reply, by number');
  await Promise.all(numbers.map((n) => batcher.submit(FORM, [n])));
  await Promise.all(numbers.map((n) => batcher.audit(FORM, [n])));
  const ops = sim.counters.snapshot().operations;
  const stats = JSON.stringify(batcher.stats());
  // The six saves share one call; on a loaded machine a dropped connection may add one reconciled resend.
  assert.ok(ops.BatchSave!.calls <= 2 && ops.BatchSave!.bills >= 6 && ops.BatchSave!.bills / ops.BatchSave!.calls >= 3, stats);
  assert.deepEqual([ops.Submit?.calls, ops.Submit?.bills, ops.Audit?.calls, ops.Audit?.bills], [1, 6, 1, 6], stats);
  assert.equal(ops.ExecuteBillQuery?.calls, 1, 'one FBillNo in (…) query for the six finds');
  assert.ok(numbers.every((n) => sim.store.findByNumber(FORM, n)?.values.FDocumentStatus === 'C'));
});

test('per-bill partial success: the bad bill gets its own error, the others save (results read by number, in load order)', async () => {
  sim.setBehaviours({ overReturnAtSave: true, resultsInLoadOrder: true });
  const { batcher } = batcherWith();
  const models = [...good(2), overReturn(`B${prefix}-bad`), ...good(2)];
  const results = await settle(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(results.map((r) => r.status), ["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled"], JSON.stringify(results.map((r) => r.status === "rejected" && String(r.reason))));
  const bad = results[2] as PromiseRejectedResult;
  assert.ok(bad.reason instanceof KingdeeValidationError && /超出可退数量/.test(bad.reason.message), String(bad.reason));
  results.forEach((r, i) => {
    if (r.status === 'fulfilled') assert.equal(r.value.number, models[i]!.FBillNo);
  });
  assert.equal(sim.counters.get('BatchSave').calls, 1);
});

test('errors without DIndex are call-level: reconciled by one query, only the missing bills resent, the bad one isolated', async () => {
  sim.setBehaviours({ overReturnAtSave: true, errorsWithoutDIndex: true });
  const { batcher } = batcherWith();
  const models = [...good(3), overReturn(`B${prefix}-bad`)];
  const results = await settle(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
  // The three good bills were named in the first reply: proven ours, not adopted.
  assert.ok(results.slice(0, 3).every((r) => r.status === 'fulfilled' && r.value.adopted === undefined));
  assert.ok((results[3] as PromiseRejectedResult).reason instanceof KingdeeValidationError);
  assert.equal(sim.store.records(FORM).filter((r) => r.values.FBillNo === `B${prefix}-bad`).length, 0);
});

test('Submit/Audit: a number the server skips silently is re-queried and reported, never assumed done', async () => {
  sim.setBehaviours({ skipUnknownNumbers: true });
  const { batcher } = batcherWith();
  const models = good(2);
  await Promise.all(models.map((m) => batcher.save(FORM, m)));
  const results = await settle([...models.map((m) => batcher.submit(FORM, [String(m.FBillNo)])), batcher.submit(FORM, [`B${prefix}-ghost`])]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'rejected']);
  const ghost = (results[2] as PromiseRejectedResult).reason;
  assert.ok(ghost instanceof KingdeeBusinessError && !ghost.retryable && /not found/.test(ghost.message), String(ghost));
  assert.equal(sim.counters.get('Submit').calls, 1, 'the skipped number is not resent');
});

test('group rollback: a failing batch is bisected down to the bill that breaks it; every other bill saves once', async () => {
  sim.setBehaviours({ overReturnAtSave: true, groupRollback: true });
  const { batcher } = batcherWith();
  const models = [...good(5), overReturn(`B${prefix}-bad`), ...good(2)];
  const results = await settle(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  assert.match(String((results[5] as PromiseRejectedResult).reason), /超出可退数量/);
  const calls = sim.counters.get('BatchSave').calls;
  assert.ok(calls >= 3 && calls <= 2 + 2 * Math.ceil(Math.log2(8)), `bisected in ${calls} calls`);
  for (const m of models.filter((_, i) => i !== 5)) assert.equal(sim.store.records(FORM).filter((r) => r.values.FBillNo === m.FBillNo).length, 1, 'no FBillNo twice');
});

test('lost reply (commit then drop of a whole batch): waited out, reconciled by one query, adopted not claimed, nothing resent', async () => {
  sim.faults.add({ fault: 'commitThenDrop', op: 'BatchSave', nth: 1 });
  const { batcher, waits } = batcherWith();
  const models = good(4);
  const saved = await Promise.all(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(waits, [5_000], 'one request timeout waited before looking');
  assert.ok(saved.every((s) => s.adopted?.status === 'A'), 'found by query: proof of existence, not of creation');
  assert.equal(sim.counters.get('BatchSave').calls, 1, 'no blind resend');
  assert.equal(sim.counters.get('ExecuteBillQuery').calls, 1, 'one reconciliation query');
});

test('a call-level failure (HTTP 503) resends only what the query did not find, under the same numbers', async () => {
  sim.faults.add({ fault: 'http5xx', op: 'BatchSave', nth: 1 });
  const { batcher } = batcherWith();
  const models = good(3);
  const saved = await Promise.all(models.map((m) => batcher.save(FORM, m)));
  assert.deepEqual(saved.map((s) => s.number), models.map((m) => m.FBillNo));
  assert.ok(saved.every((s) => s.adopted === undefined));
  assert.equal(sim.counters.get('BatchSave').calls, 2);
});

test('two sessions write side by side, but returns against the same SAL_OUTSTOCK never in two concurrent calls (write-back lock on)', async () => {
  sim.setBehaviours({ sourceLockConflicts: true });
  sim.setLatencyModel({ queryBaseMs: 0, queryPerNumberMs: 0, saveBaseMs: 30, savePerBillMs: 0, operationBaseMs: 30, operationPerBillMs: 0 });
  try {
    const { batcher } = batcherWith(2, 2);
    // An outbound line with four units to return (indexes below `line` are taken by other tests).
    const shared = sim.world.outboundBills.findIndex((b, i) => i >= line && b.entries[0]!.qty >= 4);
    assert.ok(shared >= 0, 'the world has an outbound line of four units');
    line = shared + 1;
    // Four one-unit returns of one outbound line, and four returns of other lines: batches of two on two sessions.
    const same = [0, 1, 2, 3].map((i) => returnModel(sim, shared, `B${prefix}-same-${i}`, { qty: 1 }).model);
    const models = [same[0]!, ...good(2), same[1]!, same[2]!, ...good(2), same[3]!];
    const results = await settle(models.map((m) => batcher.save(FORM, m)));
    assert.deepEqual(results.map((r) => r.status), models.map(() => 'fulfilled'), JSON.stringify(results.map((r) => r.status === 'rejected' && String(r.reason))));
    const numbers = models.map((m) => String(m.FBillNo));
    const audits = await settle(numbers.map((n) => batcher.submit(FORM, [n]).then(() => batcher.audit(FORM, [n]))));
    assert.deepEqual(audits.map((r) => r.status), numbers.map(() => 'fulfilled'), JSON.stringify(audits.map((r) => r.status === 'rejected' && String(r.reason))));
    const ops = sim.counters.snapshot();
    assert.equal(ops.maxInFlight, 2, 'two write calls did overlap');
    for (const op of ['BatchSave', 'Submit', 'Audit']) assert.equal(sim.counters.get(op).businessFailures, 0, `no 网控 conflict on ${op}`);
  } finally {
    sim.setLatencyModel(undefined);
  }
});

test('one write at a time per bill: a second write on a bill waits for the first', async () => {
  const { batcher } = batcherWith();
  const [model] = good(1);
  const no = String(model!.FBillNo);
  await batcher.save(FORM, model!);
  const order: string[] = [];
  await Promise.all([batcher.submit(FORM, [no]).then(() => order.push('submit')), batcher.audit(FORM, [no]).then(() => order.push('audit'))]);
  assert.deepEqual(order, ['submit', 'audit']);
  assert.equal(sim.store.findByNumber(FORM, no)?.values.FDocumentStatus, 'C');
});

test('a write that waited half a request timeout for its batch is not sent: it fails as transient, nothing written', async () => {
  const quick = clientFor(sim, 'validate-user', { requestTimeoutMs: 300 });
  try {
    // The first batch's reply is lost: its session waits one request timeout (300 ms) before reconciling.
    sim.faults.add({ fault: 'commitThenDrop', op: 'BatchSave', nth: 1 });
    const batcher = new KingdeeBatcher(quick, { batchSize: 1, lingerMs: 0 });
    const [first, late] = good(2);
    const results = await settle([batcher.save(FORM, first!), batcher.save(FORM, late!)]);
    assert.equal(results[0]!.status, 'fulfilled');
    const reason = (results[1] as PromiseRejectedResult).reason;
    assert.ok(reason instanceof KingdeeTransientError && /not sent/.test(reason.message), String(reason));
    assert.equal(sim.store.findByNumber(FORM, String(late!.FBillNo)), undefined);
    assert.equal(sim.counters.get('BatchSave').calls, 1);
  } finally {
    await quick.close();
  }
});
