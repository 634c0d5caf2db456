// After a sync, the worker's /metrics carries every metric the README names, and our metrics' labels take
// no value outside their documented sets. Runs `erp-bridge worker` as its own process (its own Runtime and
// Prometheus endpoint on a free port) against the simulators and the harness's dev server.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { runSetupCommand } from '../../src/setup/setup-command';
import { createTestDatabase } from '../support/postgres';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { API_OPERATIONS } from '../../src/activities/metered';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { isEligibleRefund } from '../../src/sim/world';
import { LABEL_VALUES } from '../../src/temporal/metrics';
import { countRefunds } from '../../src/temporal/refund-ops';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import type { PollRefundsResult } from '../../src/workflows/messages';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const SCHEME = 'jst-refund-to-sales-return';
/** Named in the README but not fed by this test's sync. */
const NOT_YET_FED = new Set<string>();

let temporal: TestTemporal;
let systems: SimulatedSystems;
let worker: ChildProcess;
let metricsUrl: string;
let taskQueue: string;
let workerLog = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  temporal = await connectTestTemporal();
  systems = await startSimulatedSystems({ refunds: 30, seed: 23, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-21T00:00:00Z') });
  // The refunds of one shop park for a missing customer: the parked gauge and a reason category have values.
  assert.ok(systems.kingdee.store.removeRecord('BD_Customer', systems.world.shops[2]!.customerNumber));
  // Transient failures (retried, then fine): the error counter has something to count. The customer lookup's
  // failure reaches an activity; the write failures the batcher absorbs in its own resend are counted per request.
  systems.kingdee.faults.add({ fault: 'http5xx', op: 'ExecuteBillQuery', formId: 'BD_Customer', nth: 1, times: 1 });
  systems.kingdee.faults.add({ fault: 'http5xx', op: 'Submit', nth: 2, times: 1 });
  systems.kingdee.faults.add({ fault: 'http5xx', op: 'Audit', nth: 3, times: 1 });
  const port = await freePort();
  metricsUrl = `http://127.0.0.1:${port}/metrics`;
  taskQueue = temporal.taskQueue('metrics');
  const env = {
    PATH: process.env.PATH,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: temporal.namespace,
    ERP_BRIDGE_TASK_QUEUE: taskQueue,
    ERP_BRIDGE_LOG_LEVEL: 'warn',
    ERP_BRIDGE_DATABASE_URL: await createTestDatabase('metrics'),
    ...connectorEnv(systems.configs),
  };
  await runSetupCommand(env);
  worker = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'worker', '--metrics', `127.0.0.1:${port}`], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  worker.stdout?.on('data', (d: Buffer) => (workerLog = (workerLog + d.toString()).slice(-4000)));
  worker.stderr?.on('data', (d: Buffer) => (workerLog = (workerLog + d.toString()).slice(-4000)));

  const result = await temporal.client.workflow.execute('pollRefunds', {
    taskQueue,
    workflowId: syncPollId(),
    args: [{ schemeId: SCHEME, window: { from: '2026-01-01T00:00:00.000Z', to: '2026-01-21T00:00:00.000Z' } }],
  }) as PollRefundsResult;
  // A run without a window (as the schedule's) moves the scheme's watermark: the lag gauge is set.
  await temporal.client.workflow.execute('pollRefunds', { taskQueue, workflowId: `metrics-poll-${taskQueue}`, args: [{ schemeId: SCHEME, lookbackMs: 60_000 }] });
  const eligible = systems.world.refunds.filter(isEligibleRefund).length;
  assert.equal(result.counts.started, eligible, workerLog);
  await waitUntil('every refund synced or parked', async () => {
    // Only this file's refunds: other files share the namespace and the scheme.
    const settled = (await countRefunds(temporal.client, { status: 'Synced', schemeId: SCHEME, startedByPoll: syncPollId() })) +
      (await countRefunds(temporal.client, { status: 'Parked', schemeId: SCHEME, startedByPoll: syncPollId() }));
    return settled >= eligible ? true : undefined;
  }, 120_000);
});

after(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGTERM');
    await exited;
  }
  await systems?.stop();
  await temporal?.close();
});

/** The backfill whose refunds this file counts. */
function syncPollId(): string {
  return `metrics-sync-${taskQueue}`;
}

interface Sample { name: string; labels: Record<string, string>; value: number }

function parseMetrics(text: string): Sample[] {
  return text.split('\n').filter((l) => l.startsWith('erp_bridge_')).map((line) => {
    const m = /^([a-z_]+)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    assert.ok(m, `a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/([a-zA-Z_]+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]!] = pair[2]!;
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
}

test('after a sync, /metrics carries every metric the README names', async () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const named = [...new Set(readme.match(/erp_bridge_[a-z_]+/g) ?? [])].filter((n) => !NOT_YET_FED.has(n));
  assert.ok(named.length >= 7, `the README names our metrics (${named.join(', ')})`);
  const samples = await waitUntil('the worker to serve metrics', async () => {
    const res = await fetch(metricsUrl);
    return res.ok ? parseMetrics(await res.text()) : undefined;
  });
  const present = new Set(samples.map((s) => s.name.replace(/_(bucket|sum|count)$/, '')));
  for (const name of named) assert.ok(present.has(name), `${name} on /metrics (present: ${[...present].join(', ')})`);

  const parked = samples.filter((s) => s.name === 'erp_bridge_parked_refunds' && s.labels.step === 'mapping');
  assert.ok(parked.some((s) => s.value >= 2), 'the parked gauge counts the refunds parked at mapping');
  const refunds = samples.filter((s) => s.name === 'erp_bridge_refunds_total' && s.labels.outcome === 'parked');
  assert.deepEqual([...new Set(refunds.map((s) => s.labels.reason))], ['missing_reference']);
  // Synced refunds are counted by the workflow itself (the SDK's workflow meter), once each.
  const synced = samples.filter((s) => s.name === 'erp_bridge_refunds_total' && s.labels.outcome === 'synced').reduce((sum, s) => sum + s.value, 0);
  const syncedRefunds = await countRefunds(temporal.client, { status: 'Synced', schemeId: SCHEME, startedByPoll: syncPollId() });
  assert.ok(syncedRefunds > 0, 'some refunds synced');
  assert.equal(synced, syncedRefunds, 'erp_bridge_refunds_total{outcome="synced"} counts every synced refund once');
  const calls = samples.filter((s) => s.name === 'erp_bridge_api_calls_total');
  assert.ok(calls.some((s) => s.labels.system === 'jushuitan' && s.labels.operation === 'refund_query' && s.value > 0));
  assert.ok(calls.some((s) => s.labels.system === 'kingdee' && s.labels.operation === 'save' && s.value > 0));
  assert.ok(calls.some((s) => s.labels.system === 'kingdee' && s.labels.outcome === 'error' && s.value > 0), 'the injected 5xx answers were counted');
  const writeErrors = samples.filter((s) => s.name === 'erp_bridge_api_errors_total' && s.labels.system === 'kingdee' && ['submit', 'audit'].includes(s.labels.operation ?? ''));
  assert.ok(writeErrors.some((s) => s.value > 0), 'the 5xx answers to Submit and Audit were counted, though the batcher recovered from them by itself');
});

test('no label value of ours outside its documented set', async () => {
  const samples = parseMetrics(await (await fetch(metricsUrl)).text());
  const allowed: Record<string, readonly string[]> = { ...LABEL_VALUES, operation: API_OPERATIONS, scheme: [SCHEME] };
  for (const s of samples) {
    for (const [label, value] of Object.entries(s.labels)) {
      if (label === 'kind') assert.match(value, /^[A-Za-z]+$/, `${s.name} kind is an error class name`);
      const values = allowed[label];
      if (values) assert.ok(values.includes(value), `${s.name}{${label}="${value}"} is outside ${values.join('|')}`);
    }
  }
});
