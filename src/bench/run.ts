// Orchestrates one benchmark: its own in-memory dev server, one workflow bundle, then each run on a fresh
// stack (simulators, connectors, worker with the same settings), measured from Temporal and the simulators.
import { registerSearchAttributes } from '../temporal/namespace-setup';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection } from '@temporalio/worker';
import { installRuntime } from '../runtime/worker-process';
import { findScheme } from '../scheme/load-file';
import { startDevServer } from '../temporal/dev-server';
import type { PollRefundsInput, PollRefundsResult } from '../workflows/messages';
import { cpuBetween, cpuSample } from './cpu';
import { machineInfo } from './machine';
import { emptyTally, listExecutions, spreadSample, tallyHistories, waitForCompletions } from './measure';
import { scenariosFor, type BenchOptions, type Scenario } from './options';
import type { BenchReport } from './report';
import { buildRunResult, withCeilingRatios, type RunResult } from './results';
import { benchBatching, startBenchStack, WORLD_FROM, WORLD_TO } from './stack';
import { kingdeeSlotsFor } from '../runtime/worker-process';
import { boundFor, checkTargets } from './targets';

export type BenchLog = (line: string) => void;

const quietLogger = { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} };

async function bundleWorkflows(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: quietLogger });
  const file = path.join(dir, 'workflow-bundle.js');
  writeFileSync(file, code);
  return file;
}

interface Temporal {
  client: Client;
  connection: NativeConnection;
  namespace: string;
  workflowBundlePath: string;
  serverPid?: number;
}

async function runScenario(t: Temporal, options: BenchOptions, scenario: Scenario, log: BenchLog): Promise<RunResult> {
  const stack = await startBenchStack({ connection: t.connection, namespace: t.namespace, workflowBundlePath: t.workflowBundlePath, options, scenario });
  try {
    const childType = scenario.childWorkflow;
    const input: PollRefundsInput = {
      schemeId: options.schemeId,
      window: { from: WORLD_FROM.toISOString(), to: WORLD_TO.toISOString() },
      childWorkflow: childType,
    };
    const cpuAtStart = cpuSample(t.serverPid);
    const loadAtStart = os.loadavg()[0]!;
    log(`${scenario.kind}: polling ${options.refunds} refunds into ${childType} children on task queue ${stack.taskQueue}`);
    const poll = await t.client.workflow.start('pollRefunds', { taskQueue: stack.taskQueue, workflowId: `bench-${scenario.kind}-poll`, args: [input] });
    const pollResult = (await poll.result()) as PollRefundsResult;
    log(`${scenario.kind}: poller done (${pollResult.counts.pages} pages, ${pollResult.counts.started} children started); waiting for them`);
    let lastLogged = 0;
    const wait = await waitForCompletions(t.client, {
      taskQueue: stack.taskQueue,
      workflowType: childType,
      expected: options.refunds,
      stallMs: options.stallTimeoutMs,
      onProgress: (done) => {
        if (Date.now() - lastLogged < 10_000) return;
        lastLogged = Date.now();
        log(`${scenario.kind}: ${done}/${options.refunds} completed`);
      },
    });
    const cpu = cpuBetween(cpuAtStart, cpuSample(t.serverPid));
    const loadAverage = { atStart: loadAtStart, atEnd: os.loadavg()[0]! };
    if (wait.stalled) log(`${scenario.kind}: no progress for ${options.stallTimeoutMs / 1000} s with ${wait.completed} completed; measuring what finished`);

    const pollStartMs = (await poll.describe()).startTime.getTime();
    // Visibility catches up with the last closes within moments; read until it shows every completion counted.
    let children = await listExecutions(t.client, stack.taskQueue, childType);
    for (let i = 0; i < 20 && children.filter((c) => c.status === 'COMPLETED').length < wait.completed; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      children = await listExecutions(t.client, stack.taskQueue, childType);
    }
    // Simulator counters are read now, before the history reads below (which call neither system).
    const jushuitan = stack.systems.jushuitan.counters.snapshot();
    const kingdee = stack.systems.kingdee.counters.snapshot();
    const kingdeeQueriesByForm = stack.latency.queriesByForm();
    const auditedBills = stack.systems.kingdee.store.records(stack.forms.target).filter((b) => b.values.FDocumentStatus === 'C').length;

    const sample = spreadSample([...children].sort((a, b) => a.workflowId.localeCompare(b.workflowId)), options.historySample);
    const childHistories = sample.length > 0 ? await tallyHistories(t.client, sample) : emptyTally();
    const pollers = [...(await listExecutions(t.client, stack.taskQueue, 'pollWindow')), ...(await listExecutions(t.client, stack.taskQueue, 'pollRefunds'))];
    const pollerHistories = await tallyHistories(t.client, pollers);

    const result = buildRunResult({
      scenario,
      refunds: options.refunds,
      pageSize: stack.pageSize,
      pollStartMs,
      pollCounts: pollResult.counts,
      children,
      stalled: wait.stalled,
      jushuitan,
      kingdee,
      kingdeeQueriesByForm,
      forms: stack.forms,
      childHistories,
      pollerHistories,
      auditedBills,
      cpu,
      loadAverage,
    });
    log(`${scenario.kind}: ${result.completed} completed in ${((result.wallMs ?? 0) / 1000).toFixed(1)} s = ${result.refundsPerSecond?.toFixed(1)} refunds/s`);
    return result;
  } finally {
    await stack.stop();
  }
}

export async function runBench(options: BenchOptions, log: BenchLog): Promise<BenchReport> {
  const began = Date.now();
  installRuntime({ logLevel: 'warn', write: (line) => process.stderr.write(`${line}\n`) });
  findScheme(options.schemeId); // a bad scheme id fails before the server starts
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'erp-bridge-bench-'));
  let server: Awaited<ReturnType<typeof startDevServer>> | undefined;
  let connection: NativeConnection | undefined;
  let clientConnection: Connection | undefined;
  try {
    log('bundling workflows and starting an in-memory dev server');
    const [workflowBundlePath, started] = await Promise.all([bundleWorkflows(workDir), startDevServer({ uiPort: false, log })]);
    server = started;
    connection = await NativeConnection.connect({ address: server.address });
    clientConnection = await Connection.connect({ address: server.address });
    // The workflows upsert the product's search attributes: a plain dev server knows none of them.
    await registerSearchAttributes(clientConnection, server.namespace);
    const t: Temporal = { client: new Client({ connection: clientConnection, namespace: server.namespace }), connection, namespace: server.namespace, workflowBundlePath, serverPid: server.process.pid };

    const runs: RunResult[] = [];
    for (const scenario of scenariosFor(options)) runs.push(await runScenario(t, options, scenario, log));
    const withRatios = withCeilingRatios(runs);
    const bound = boundFor(options, withRatios);
    return {
      generatedAt: new Date().toISOString(),
      machine: machineInfo(),
      settings: {
        refunds: options.refunds,
        kingdeeConcurrency: options.kingdeeConcurrency,
        batchSize: options.batchSize,
        batchLingerMs: benchBatching(options).lingerMs,
        kingdeeSlots: kingdeeSlotsFor(options.kingdeeConcurrency, benchBatching(options)),
        worker: options.worker,
        realisticLatencies: options.realistic,
        jushuitanLimits: 'the contract 5/s and 100/min on simulator and client, in every run',
        historySample: options.historySample,
        world: `seed ${options.seed}, every record eligible, modified within one day (one poll slice)`,
      },
      kingdeeBound: bound,
      runs: withRatios,
      targets: checkTargets(withRatios, bound),
      benchMs: Date.now() - began,
    };
  } finally {
    await connection?.close().catch(() => {});
    await clientConnection?.close().catch(() => {});
    await server?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
