// `erp-bridge worker` is a versioned worker: on a deployment that has never seen a worker it registers its
// build (the workflow bundle's hash), makes it current, and work flows with nothing else to do. The stock
// CLI's `temporal worker deployment list` shows it.
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { runSetupCommand } from '../../src/setup/setup-command';
import { createTestDatabase } from '../support/postgres';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { freePort } from '../../src/temporal/dev-server';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { buildIdOf } from '../../src/temporal/workflow-bundle';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const run = promisify(execFile);
let temporal: TestTemporal;
let systems: SimulatedSystems;
let worker: ChildProcess | undefined;
const deploymentName = `erp-bridge-fresh-${randomUUID().slice(0, 8)}`;

before(async () => {
  temporal = await connectTestTemporal();
  systems = await startSimulatedSystems({ refunds: 5 });
});
after(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await exited;
  }
  await systems?.stop();
  await temporal?.close();
});

test('a first worker on a new deployment promotes its build; `temporal worker deployment list` shows it; work flows', async () => {
  const taskQueue = temporal.taskQueue('deploy');
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(JST_|KINGDEE_|TEMPORAL_|ERP_BRIDGE_)/.test(k)));
  const env = {
    ...base, ...connectorEnv(systems.configs),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: temporal.namespace,
    ERP_BRIDGE_TASK_QUEUE: taskQueue, ERP_BRIDGE_DEPLOYMENT: deploymentName,
    ERP_BRIDGE_DATABASE_URL: await createTestDatabase('deploy'),
  };
  // The namespace (set up by the harness) and this test's store are prepared with `erp-bridge setup`, as on any server.
  await runSetupCommand(env);
  const metrics = `127.0.0.1:${await freePort()}`;
  worker = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'worker', '--metrics', metrics], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  worker.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  await waitUntil('the worker to report it is ready', async () => {
    if (worker!.exitCode !== null) throw new Error(`the worker exited (${worker!.exitCode}): ${stderr}`);
    return stderr.includes('erp-bridge worker on ') ? true : undefined;
  }, 120_000);

  const buildId = buildIdOf(readFileSync(temporal.workflowBundlePath, 'utf8'));
  assert.match(stderr, new RegExp(`deployment ${deploymentName}, build ${buildId}: promoted to current`));

  const cli = ensureTemporalCli();
  const address = ['--address', process.env.TEMPORAL_ADDRESS!, '--namespace', temporal.namespace];
  const list = await run(cli, ['worker', 'deployment', 'list', ...address]);
  assert.match(list.stdout, new RegExp(deploymentName));
  const described = await run(cli, ['worker', 'deployment', 'describe', '--name', deploymentName, '--output', 'json', ...address]);
  assert.ok(described.stdout.includes(buildId), `describe names build ${buildId}`);

  // Nothing else was needed: a workflow on the queue runs on the new build.
  const result = await temporal.client.workflow.execute('healthCheck', { taskQueue, workflowId: `deploy-health-${randomUUID()}`, args: ['hello'] });
  assert.match(result, /^hello \(from echo on /);
  const status = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'deploy', 'status'], { env });
  assert.match(status.stdout, new RegExp(`Current: ${buildId}`));
});
