// Issue 14's production shape: three worker processes against one server, one PostgreSQL and the simulators,
// Jushuitan at 2 calls/s and 20/min (simulator and configuration alike), two backfills at once over different
// ranges, the access token expired mid-run, one worker SIGKILLed and replaced by one started with the environment's
// original (by then dead) tokens. The app key's limits hold across processes, one refresh serves them all, and
// every eligible refund ends with exactly one audited bill.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { JST_PATHS } from '../../src/connectors/jushuitan';
import { WorkerChild, workerEnvironment } from '../../src/chaos/processes';
import { startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { statusOf } from '../../src/sim/kingdee/store';
import { isEligibleRefund } from '../../src/sim/world';
import { runSetupCommand } from '../../src/setup/setup-command';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { refundWorkflowId, type PollRefundsResult, type SyncRefundResult } from '../../src/workflows/messages';
import { createTestDatabase } from '../support/postgres';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const RATE = { perSecond: 2, perMinute: 20 };
const TO = new Date('2026-01-21T00:00:00Z');
const MID = new Date('2026-01-11T00:00:00Z');
const FROM = new Date('2026-01-01T00:00:00Z');

let temporal: TestTemporal;
let systems: SimulatedSystems;
const workers: WorkerChild[] = [];

before(async () => {
  temporal = await connectTestTemporal();
  systems = await startSimulatedSystems({
    refunds: 60, seed: 1414, from: FROM, to: TO, asIdStart: 41_000_000 + (process.pid % 1000) * 1000,
    jstRateLimits: RATE, jstClientLimits: RATE,
  });
});
after(async () => {
  for (const w of workers) await w.stop().catch(() => {});
  await systems?.stop();
  await temporal?.close();
});

test('three workers share the app key\'s limits and one token refresh; a killed worker\'s replacement with dead tokens keeps working', async () => {
  const taskQueue = temporal.taskQueue('many');
  const env = workerEnvironment({
    jushuitan: systems.configs.jushuitan as never, kingdee: systems.configs.kingdee as never,
    temporal: { address: temporal.address, namespace: temporal.namespace },
    taskQueue, jstRate: RATE, kingdeeConcurrency: 4, databaseUrl: await createTestDatabase('many_workers'),
  });
  await runSetupCommand(env); // migrates this test's own store (the namespace is already set up)
  const logDir = path.join(PROJECT_ROOT, '.tools', 'many-workers');
  for (let i = 1; i <= 3; i++) workers.push(new WorkerChild({ env, logFile: path.join(logDir, `worker-${i}-${process.pid}.log`) }));
  await Promise.all(workers.map((w) => w.start()));

  const backfill = (from: Date, to: Date, id: string) =>
    temporal.client.workflow.execute('pollRefunds', {
      taskQueue, workflowId: `many-${id}-${taskQueue}`,
      args: [{ schemeId: 'jst-refund-to-sales-return', window: { from: from.toISOString(), to: to.toISOString() } }],
    }) as Promise<PollRefundsResult>;
  const polls = Promise.all([backfill(FROM, MID, 'first-half'), backfill(MID, TO, 'second-half')]);

  // The token dies once the first page has been read; a worker dies a little later.
  const jst = systems.jushuitan;
  await waitFor(() => jst.counters.calls(JST_PATHS.refundQuery) >= 1, 'a first page');
  jst.tokens.expire();
  await waitFor(() => jst.counters.calls(JST_PATHS.refreshToken) >= 1, 'the refresh');
  await workers[0]!.kill();
  const replacement = new WorkerChild({ env, logFile: path.join(logDir, `worker-4-${process.pid}.log`) });
  workers.push(replacement);
  await replacement.start();

  const [first, second] = await polls;
  const eligible = systems.world.refunds.filter(isEligibleRefund).map((r) => String(r.as_id));
  assert.equal(first.counts.fetched + second.counts.fetched, systems.world.refunds.length, 'every record read once');
  const results = await Promise.all(eligible.map((asId) => temporal.client.workflow.getHandle(refundWorkflowId(asId)).result() as Promise<SyncRefundResult>));
  for (const r of results) assert.equal(r.status, 'Synced', JSON.stringify(r));

  const bills = systems.kingdee.store.records('SAL_RETURNSTOCK');
  const numbers = bills.map((b) => String(b.values.FBillNo));
  assert.equal(new Set(numbers).size, numbers.length, 'no FBillNo twice');
  assert.deepEqual([...numbers].sort(), [...eligible].sort(), 'exactly the eligible refunds have bills');
  for (const b of bills) assert.equal(statusOf(b), 'C', `bill ${String(b.values.FBillNo)} audited`);

  assert.equal(jst.counters.count(199) + jst.counters.count(200), 0, 'the simulator rejected no call for rate limits');
  assert.equal(jst.counters.calls(JST_PATHS.refreshToken), 1, 'exactly one refresh across every worker');
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
