// One run's stack: both simulators on a world where every record is eligible, the real connectors and scheme
// engine, and a worker on the run's own task queue. Every run gets the same worker settings.
import type { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../activities';
import { BatchingConfig } from '../kingdee-batching';
import { buildDeps, type RuntimeDeps } from '../runtime/deps';
import { kingdeeSlotsFor } from '../runtime/worker-process';
import { findScheme } from '../scheme/load-file';
import { startSimulatedSystems, type SimulatedSystems } from '../sim/simulated-systems';
import { createWorkers, type WorkerGroup } from '../worker';
import type { BenchOptions, Scenario } from './options';
import { applyLatencies, type LatencyHandle } from './sim-latency';

/** The world's records are modified within one day: one poll slice, as a daily backfill would see them. */
export const WORLD_TO = new Date('2026-01-21T00:00:00Z');
export const WORLD_FROM = new Date(WORLD_TO.getTime() - 86_400_000);

export interface BenchStack {
  systems: SimulatedSystems;
  taskQueue: string;
  latency: LatencyHandle;
  /** The scheme's target form (find by FBillNo) and its lookup collections' forms. */
  forms: { target: string; lookups: string[] };
  /** Jushuitan page size the scheme's poller asks for. */
  pageSize: number;
  stop(): Promise<void>;
}

export async function startBenchStack(setup: {
  connection: NativeConnection;
  namespace: string;
  workflowBundlePath: string;
  options: BenchOptions;
  scenario: Scenario;
}): Promise<BenchStack> {
  const { options, scenario } = setup;
  const scheme = findScheme(options.schemeId);
  const forms = {
    target: scheme.target.formId,
    lookups: [...new Set(scheme.collections.flatMap((c) => (c.kingdee ? [c.kingdee.formId] : [])))].filter((f) => f !== scheme.target.formId),
  };
  const systems = await startSimulatedSystems({
    seed: options.seed,
    refunds: options.refunds,
    eligibleShare: 1,
    asIdStart: scenario.asIdStart,
    from: WORLD_FROM,
    to: WORLD_TO,
    kingdeeConcurrency: options.kingdeeConcurrency,
    schemeIds: [options.schemeId],
  });
  const latency = applyLatencies(systems, scenario.latencies, [forms.target, ...forms.lookups]);
  let deps: RuntimeDeps | undefined;
  let worker: WorkerGroup | undefined;
  let running: Promise<void> | undefined;
  const taskQueue = `bench-${scenario.kind}`;
  try {
    deps = buildDeps({ ...systems.configs, kingdeeBatching: benchBatching(options) });
    worker = await createWorkers({
      connection: setup.connection,
      namespace: setup.namespace,
      taskQueue,
      activities: createActivities(deps),
      workflowBundlePath: setup.workflowBundlePath,
      options: {
        maxConcurrentActivityTaskExecutions: options.worker.maxConcurrentActivities,
        maxConcurrentWorkflowTaskExecutions: options.worker.maxConcurrentWorkflowTasks,
        shutdownGraceTime: '1s',
      },
      // As the worker process sets it: enough Kingdee activities at once for the batches to fill.
      limits: { kingdeeSlots: kingdeeSlotsFor(options.kingdeeConcurrency, benchBatching(options)) },
    });
    running = worker.run();
  } catch (err) {
    await deps?.close();
    await systems.stop();
    throw err;
  }
  return {
    systems,
    taskQueue,
    latency,
    forms,
    pageSize: deps.schemes.sourceConfig(options.schemeId).pageSize,
    async stop() {
      worker?.shutdown();
      await running;
      await deps?.close();
      await systems.stop();
    },
  };
}

/** The batcher the bench's worker runs: one session per Kingdee call slot (at most 8), the configured batch and linger. */
export function benchBatching(options: Pick<BenchOptions, 'batchSize' | 'batchLingerMs' | 'kingdeeConcurrency'>): BatchingConfig {
  return BatchingConfig.parse({
    batchSize: options.batchSize,
    sessions: Math.min(8, options.kingdeeConcurrency),
    ...(options.batchLingerMs !== undefined ? { lingerMs: options.batchLingerMs } : {}),
  });
}
