// Expected failures end in words, not stack traces: an unreachable Temporal names the address, the cause and
// the fix (worker, list, status); `backfill --wait` against a Jushuitan that refuses our signature exits
// non-zero with Jushuitan's code and message and the variable to fix.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { createActivities } from '../../src/activities';
import { explainFailure } from '../../src/cli/explain-failure';
import { buildDeps } from '../../src/runtime/deps';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { createWorkers, type WorkerGroup } from '../../src/worker';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const BIN = path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js');
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at \S+:\d+:\d+$/m;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(args: string[], env: Record<string, string>): Promise<Outcome> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** A port nothing listens on: bound by us, then released. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('unreachable Temporal: worker, list and status name the address, the cause and the fix, without a stack', { timeout: 120_000 }, async () => {
  const address = `127.0.0.1:${await deadPort()}`;
  const fakeConnectors = {
    JST_BASE_URL: 'http://127.0.0.1:9', JST_APP_KEY: 'k', JST_APP_SECRET: 's', JST_ACCESS_TOKEN: 't',
    KINGDEE_BASE_URL: 'http://127.0.0.1:9/k3cloud/', KINGDEE_ACCT_ID: 'a', KINGDEE_USERNAME: 'u', KINGDEE_PASSWORD: 'p',
  };
  for (const args of [['worker', '--metrics', '127.0.0.1:0'], ['list'], ['status', '5000123']]) {
    const out = await cli(args, { TEMPORAL_ADDRESS: address, ...fakeConnectors });
    assert.equal(out.code, 1, `${args[0]} exits 1`);
    assert.ok(out.stderr.includes(`cannot reach Temporal at ${address}`), `${args[0]}: ${out.stderr}`);
    assert.match(out.stderr, /connection refused/);
    assert.match(out.stderr, /fix: .*TEMPORAL_ADDRESS/);
    assert.doesNotMatch(out.stderr, STACK_LINE, `${args[0]} prints no stack trace`);
    assert.doesNotMatch(out.stderr, /tonic::transport|Failed to connect before the deadline/);
  }
  const verbose = await cli(['list', '--verbose'], { TEMPORAL_ADDRESS: address });
  assert.match(verbose.stderr, STACK_LINE, '--verbose shows the stack');
});

let temporal: TestTemporal;
let systems: SimulatedSystems;
let worker: WorkerGroup | undefined;
let running: Promise<void> | undefined;
let taskQueue: string;

before(async () => {
  temporal = await connectTestTemporal();
  const to = new Date('2026-01-21T00:00:00Z');
  systems = await startSimulatedSystems({ refunds: 10, asIdStart: 70_000_000 + (process.pid % 1000) * 1000, from: new Date(to.getTime() - 2 * 86_400_000), to });
  // The worker signs with a secret Jushuitan does not know.
  const deps = buildDeps({ ...systems.configs, jushuitan: { ...systems.configs.jushuitan, appSecret: 'not-the-secret' } });
  taskQueue = temporal.taskQueue('honest');
  worker = await createWorkers({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    activities: createActivities(deps),
    workflowBundlePath: temporal.workflowBundlePath,
    options: { shutdownGraceTime: '1s' },
  });
  running = worker.run();
});
after(async () => {
  worker?.shutdown();
  await running;
  await systems?.stop();
  await temporal?.close();
});

test('backfill --wait with a wrong Jushuitan secret exits non-zero with code 10, its message and JST_APP_SECRET', { timeout: 60_000 }, async () => {
  const out = await cli(['backfill', '--from', '2026-01-19 00:00:00', '--to', '2026-01-21 00:00:00', '--wait'], {
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: temporal.namespace,
    ERP_BRIDGE_TASK_QUEUE: taskQueue,
    ...connectorEnv(systems.configs),
  });
  assert.notEqual(out.code, 0);
  assert.match(out.stderr, /Jushuitan refused \/open\/refund\/single\/query: code 10: /);
  assert.match(out.stderr, /fix: JST_APP_SECRET/);
  assert.doesNotMatch(out.stderr, STACK_LINE);
  assert.ok(out.stderr.split('\n').length < 10, `a few lines, not a stack: ${out.stderr}`);
});

test('explainFailure: Kingdee login refusals name the variables', () => {
  const lines = explainFailure(new Error('Kingdee ValidateUser: login refused for user u in data center a: LoginResultType 0 (用户名或密码错误)'));
  assert.match(lines[1]!, /fix: KINGDEE_USERNAME and KINGDEE_PASSWORD/);
});
