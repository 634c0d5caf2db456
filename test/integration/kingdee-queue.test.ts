// Kingdee activities on their own task queue, with as many slots as the session budget: a slow Kingdee makes
// refunds wait in Temporal's queue, never inside an activity's start-to-close; and SIGTERM lets an in-flight
// save finish and record its outcome.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { WorkerChild, workerEnvironment } from '../../src/chaos/processes';
import { statusOf } from '../../src/sim/kingdee/store';
import { startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { isEligibleRefund } from '../../src/sim/world';
import { runSetupCommand } from '../../src/setup/setup-command';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { refundWorkflowId, type SyncRefundResult } from '../../src/workflows/messages';
import { createTestDatabase } from '../support/postgres';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const TO = new Date('2026-01-21T00:00:00Z');
const FROM = new Date('2026-01-11T00:00:00Z');
const LOG_DIR = path.join(PROJECT_ROOT, '.tools', 'kingdee-queue');

let temporal: TestTemporal;
const cleanups: Array<() => Promise<unknown>> = [];
before(async () => {
  temporal = await connectTestTemporal();
});
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
  await temporal?.close();
});

async function stackWith(refunds: number, seed: number, kingdeeConcurrency: number) {
  const systems: SimulatedSystems = await startSimulatedSystems({
    refunds, seed, from: FROM, to: TO, asIdStart: 42_000_000 + (process.pid % 1000) * 1000 + seed * 100_000,
    jstRateLimits: { perSecond: 1000, perMinute: 60_000 }, jstClientLimits: { perSecond: 100, perMinute: 6000 },
  });
  cleanups.push(() => systems.stop());
  const taskQueue = temporal.taskQueue(`kq${seed}`);
  const env = workerEnvironment({
    jushuitan: systems.configs.jushuitan as never, kingdee: systems.configs.kingdee as never,
    temporal: { address: temporal.address, namespace: temporal.namespace },
    taskQueue, jstRate: { perSecond: 100, perMinute: 6000 }, kingdeeConcurrency, databaseUrl: await createTestDatabase(`kq${seed}`),
  });
  await runSetupCommand(env);
  const eligible = systems.world.refunds.filter(isEligibleRefund).map((r) => String(r.as_id));
  const backfill = () =>
    temporal.client.workflow.execute('pollRefunds', {
      taskQueue, workflowId: `kq-backfill-${taskQueue}`,
      args: [{ schemeId: 'jst-refund-to-sales-return', window: { from: FROM.toISOString(), to: TO.toISOString() } }],
    });
  const resultOf = (asId: string) => temporal.client.workflow.getHandle(refundWorkflowId(asId)).result() as Promise<SyncRefundResult>;
  const worker = (name: string) => {
    const w = new WorkerChild({ env: { ...env, KINGDEE_TIMEOUT_MS: '30000' }, logFile: path.join(LOG_DIR, `${name}-${process.pid}.log`) });
    cleanups.push(() => w.stop());
    return w;
  };
  return { systems, eligible, backfill, resultOf, worker };
}

test('with 15 s Kingdee queries, refunds queue in Temporal: no activity times out, no query is wasted', async () => {
  const stack = await stackWith(16, 51, 4);
  // Every query (lookups and the find-by-number of each refund) takes 15 s: with 4 sessions, the backlog is minutes.
  stack.systems.kingdee.faults.add({ fault: 'latency', op: 'ExecuteBillQuery', latencyMs: 15_000 });
  const billQueries = stack.systems.kingdee.faults.add({ fault: 'latency', op: 'ExecuteBillQuery', formId: 'SAL_RETURNSTOCK', latencyMs: 0 });
  await stack.worker('slow').start();
  await stack.backfill();
  const results = await Promise.all(stack.eligible.map(stack.resultOf));
  for (const r of results) assert.equal(r.status, 'Synced', JSON.stringify(r));

  for (const asId of stack.eligible) {
    const history = await temporal.client.workflow.getHandle(refundWorkflowId(asId)).fetchHistory();
    const timedOut = (history.events ?? []).filter((e) => e.activityTaskTimedOutEventAttributes);
    assert.equal(timedOut.length, 0, `refund ${asId}: no activity timed out`);
  }
  const served = stack.systems.kingdee.faults.list().find((r) => r.id === billQueries)!.matched;
  assert.ok(served <= stack.eligible.length, `bill queries ${served} ≤ refunds ${stack.eligible.length} (no failures were injected)`);
  assert.ok(stack.systems.kingdee.counters.snapshot().maxInFlight <= 4, 'never more calls in flight than the session budget');
});

test('SIGTERM during a Kingdee save: the save completes and is recorded; nothing is left unknown', async () => {
  const stack = await stackWith(6, 52, 4);
  // The first save is slow, so SIGTERM finds it in flight (a BatchSave when the worker batches, the default).
  for (const op of ['Save', 'BatchSave']) stack.systems.kingdee.faults.add({ fault: 'latency', op, latencyMs: 8_000, times: 1 });
  const saveCalls = () => stack.systems.kingdee.counters.get('Save').calls + stack.systems.kingdee.counters.get('BatchSave').calls;
  const first = stack.worker('sigterm-first');
  await first.start();
  const poll = stack.backfill();
  const deadline = Date.now() + 120_000;
  while (saveCalls() === 0) {
    if (Date.now() > deadline) throw new Error('no save started');
    await new Promise((r) => setTimeout(r, 50));
  }
  const savesInFlight = stack.systems.kingdee.counters.snapshot().inFlight;
  assert.ok(savesInFlight >= 1, 'a save is in flight when the signal comes');
  const firstPid = String(first.pid);
  await first.stop(60_000); // SIGTERM, and time enough for the grace period

  await stack.worker('sigterm-second').start();
  await poll;
  const results = await Promise.all(stack.eligible.map(stack.resultOf));
  for (const r of results) assert.equal(r.status, 'Synced', JSON.stringify(r));
  const bills = stack.systems.kingdee.store.records('SAL_RETURNSTOCK');
  assert.equal(bills.length, stack.eligible.length, 'one bill per refund');
  for (const b of bills) assert.equal(statusOf(b), 'C');

  let savesCompletedByFirstWorker = 0;
  for (const asId of stack.eligible) {
    const events = (await temporal.client.workflow.getHandle(refundWorkflowId(asId)).fetchHistory()).events ?? [];
    const saveScheduled = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'ensureBillSaved');
    if (!saveScheduled) continue;
    const outcome = events.find((e) =>
      [e.activityTaskCompletedEventAttributes, e.activityTaskFailedEventAttributes, e.activityTaskTimedOutEventAttributes]
        .some((a) => a && String(a.scheduledEventId) === String(saveScheduled.eventId)));
    assert.ok(outcome?.activityTaskCompletedEventAttributes, `refund ${asId}: its save completed, never timed out or failed`);
    if (String(outcome.activityTaskCompletedEventAttributes.identity ?? '').includes(firstPid)) savesCompletedByFirstWorker++;
  }
  assert.ok(savesCompletedByFirstWorker >= 1, 'the save in flight at SIGTERM completed on the stopping worker');
});
