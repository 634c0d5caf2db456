// Issue 14's first promise: on a Temporal server erp-bridge did not prepare (a plain `temporal server start-dev`,
// as a team's own cluster would be), `check` and the worker name what is missing and the fix; `setup` fixes it,
// twice is harmless, and then a refund syncs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { WorkerChild } from '../../src/chaos/processes';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { isEligibleRefund } from '../../src/sim/world';
import { freePort, startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { refundWorkflowId } from '../../src/workflows/messages';
import { createTestDatabase } from '../support/postgres';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from '../../src/store/migrations';

const BIN = path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js');
let server: RunningDevServer;
let systems: SimulatedSystems;
let env: NodeJS.ProcessEnv;
const TO = new Date('2026-01-21T00:00:00Z');
const FROM = new Date(TO.getTime() - 5 * 86_400_000);

before(async () => {
  server = await startDevServer({ uiPort: false });
  systems = await startSimulatedSystems({ refunds: 6, seed: 14, from: FROM, to: TO, asIdStart: 14_000_000 + (process.pid % 1000) * 100 });
  env = {
    PATH: process.env.PATH,
    TEMPORAL_ADDRESS: server.address,
    ...connectorEnv(systems.configs),
    ERP_BRIDGE_DATABASE_URL: await createTestDatabase('setup'),
    ERP_BRIDGE_TASK_QUEUE: `setup-${process.pid}`,
    ERP_BRIDGE_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
  };
});
after(async () => {
  await systems?.stop();
  await server?.stop();
});

function run(args: string[], timeoutMs = 60_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd: PROJECT_ROOT, timeout: timeoutMs }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, out: `${stdout}${stderr}` });
    });
  });
}

test('check names every missing search attribute and the unmigrated store, with the fix', async () => {
  const { code, out } = await run(['check']);
  assert.equal(code, 1, out);
  assert.match(out, /FAIL\s+search attributes\s+.*SyncReason \(Text\)/);
  assert.match(out, /JstShopId \(Keyword\)/);
  assert.match(out, /fix: erp-bridge setup/);
  assert.match(out, new RegExp(`FAIL\\s+state store\\s+.*schema version 0, this build needs ${LATEST_SCHEMA_VERSION}`));
});

test('the worker refuses to start, naming the missing pieces, instead of failing workflow tasks', async () => {
  const { code, out } = await run(['worker'], 30_000);
  assert.notEqual(code, 0, out);
  assert.match(out, /not starting/);
  assert.match(out, /SyncReason/);
  assert.match(out, /fix: erp-bridge setup/);
  assert.doesNotMatch(out, /erp-bridge worker on /, 'it never reported polling');
});

test('setup fixes it, a second setup changes nothing, check passes and a refund syncs', async () => {
  const first = await run(['setup', '--no-schedules']);
  assert.equal(first.code, 0, first.out);
  assert.match(first.out, /search attributes: added JstAsId, .*SyncReason/);
  assert.ok(first.out.includes(`applied migration(s) ${MIGRATIONS.map((m) => m.version).join(', ')}`), first.out);

  const second = await run(['setup', '--no-schedules']);
  assert.equal(second.code, 0, second.out);
  assert.match(second.out, /search attributes: all present/);
  assert.ok(second.out.includes(`already at schema version ${LATEST_SCHEMA_VERSION}`), second.out);

  const checked = await run(['check']);
  assert.equal(checked.code, 0, checked.out);
  assert.match(checked.out, /PASS\s+search attributes/);
  assert.match(checked.out, /PASS\s+state store/);

  const worker = new WorkerChild({ env, logFile: path.join(PROJECT_ROOT, '.tools', `setup-test-worker-${process.pid}.log`) });
  await worker.start();
  const connection = await Connection.connect({ address: server.address });
  try {
    const client = new Client({ connection });
    const asId = String(systems.world.refunds.find(isEligibleRefund)!.as_id);
    await client.workflow.execute('pollRefunds', {
      taskQueue: env.ERP_BRIDGE_TASK_QUEUE!,
      workflowId: `setup-backfill-${process.pid}`,
      args: [{ schemeId: 'jst-refund-to-sales-return', window: { from: FROM.toISOString(), to: TO.toISOString() } }],
    });
    const result = (await client.workflow.getHandle(refundWorkflowId(asId)).result()) as { status: string; billNo?: string };
    assert.equal(result.status, 'Synced');
    assert.equal(systems.kingdee.store.records('SAL_RETURNSTOCK').filter((b) => String(b.values.FBillNo) === asId).length, 1);
  } finally {
    await connection.close();
    await worker.stop();
  }
});

test('a Kingdee password the server rejects stops the worker at start, naming the variable, without a stack trace', async () => {
  const saved = env;
  env = { ...env, KINGDEE_PASSWORD: 'not-the-password' };
  try {
    const { code, out } = await run(['worker'], 30_000);
    assert.notEqual(code, 0, out);
    assert.match(out, /credentials refused/);
    assert.match(out, /KINGDEE_PASSWORD/);
    assert.doesNotMatch(out, /\n\s+at .+\(.+:\d+:\d+\)/, 'no stack trace');
    assert.doesNotMatch(out, /not-the-password/, 'the password is not printed');
  } finally {
    env = saved;
  }
});

test('a Jushuitan app secret the server rejects stops the worker at start, naming JST_APP_SECRET', async () => {
  const saved = env;
  env = { ...env, JST_APP_SECRET: 'not-the-secret' };
  try {
    const { code, out } = await run(['worker'], 30_000);
    assert.notEqual(code, 0, out);
    assert.match(out, /credentials refused/);
    assert.match(out, /JST_APP_SECRET/);
    assert.doesNotMatch(out, /not-the-secret/, 'the secret is not printed');
  } finally {
    env = saved;
  }
});
