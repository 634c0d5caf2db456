// A full erp-bridge stack for integration tests: both simulators on one world, the real connectors and
// scheme engine, and a worker on its own task queue against the harness's dev server.
import { createActivities } from '../../src/activities';
import type { Alerter } from '../../src/alerts';
import { migrate, openStateStore, type SqlStore } from '../../src/store';
import { decisionsLedger } from '../../src/store/decisions';
import { pollHealth } from '../../src/store/poll-health';
import { pollWatermarks } from '../../src/store/watermarks';
import type { PollHealthSettings } from '../../src/activities/poll-runs';
import { createTestDatabase } from './postgres';
import type { BatchingConfigInput } from '../../src/kingdee-batching';
import { buildDeps, type RuntimeDeps } from '../../src/runtime/deps';
import { startSimulatedSystems, type SimulatedSystems, type SimulatedSystemsOptions } from '../../src/sim/simulated-systems';
import { generateWorld, isEligibleRefund, type World } from '../../src/sim/world';
import type { WorkerDeployment } from '../../src/temporal/versioning';
import { createWorkers, type WorkerGroup } from '../../src/worker';
import type { PollRefundsInput, PollRefundsResult, SyncRefundResult } from '../../src/workflows/messages';
import { refundWorkflowId } from '../../src/workflows/messages';
import type { TestTemporal } from './temporal';

export interface SyncStack {
  systems: SimulatedSystems;
  /** The stack's own state store (decisions ledger, watermarks). */
  store: SqlStore;
  /** The state store's URL (for a CLI or tool that reads it as an operator would). */
  databaseUrl: string;
  deps: RuntimeDeps;
  taskQueue: string;
  /** Runs pollRefunds over the whole world's range and returns its result. */
  backfill(input?: Partial<PollRefundsInput>, workflowId?: string): Promise<PollRefundsResult>;
  /** as_ids the flagship scheme must turn into bills. */
  eligibleAsIds(): string[];
  resultOf(asId: string): Promise<SyncRefundResult>;
  stopWorker(): Promise<void>;
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** The Kingdee request timeout of test stacks (the connector's default is 120 s). */
export const KINGDEE_TEST_REQUEST_TIMEOUT_MS = 3_000;

let nextAsIdBlock = 0;
/** Each stack gets its own as_id range: workflow ids are per as_id and the tests share one server. */
function uniqueAsIdStart(): number {
  return 10_000_000 + (process.pid % 5000) * 100_000 + nextAsIdBlock++ * 10_000;
}

export async function startSyncStack(
  temporal: TestTemporal,
  options: SimulatedSystemsOptions = {},
  /** Edits the generated world before the simulators load it (plant a bad record, say). */
  shapeWorld?: (world: World) => void,
  /** A versioned worker (the upgrade test), and activities wrapped to hold some refunds in flight. */
  workerSetup: {
    deployment?: WorkerDeployment;
    wrapActivities?: (activities: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
    /** Where the worker's alerts go (a recording fake in tests), and when poll health alerts (the worker's defaults otherwise). */
    alerter?: Alerter;
    pollHealth?: PollHealthSettings;
    /** ERP_BRIDGE_PARK_RETRY as the worker would pass it. */
    parkRetryMs?: number;
    /** Kingdee writes through the batcher (absent: one bill per call). */
    kingdeeBatching?: BatchingConfigInput;
  } = {},
): Promise<SyncStack> {
  const to = options.to ?? new Date('2026-01-21T00:00:00Z');
  const from = options.from ?? new Date(to.getTime() - 20 * 86_400_000);
  const world = options.world ?? generateWorld({ refunds: 40, asIdStart: uniqueAsIdStart(), ...options, from, to });
  shapeWorld?.(world);
  const systems = await startSimulatedSystems({
    // Rate limiting has its own tests; here the simulated Jushuitan is generous so runs stay short.
    jstRateLimits: { perSecond: 1000, perMinute: 60_000 },
    jstClientLimits: { perSecond: 1000, perMinute: 60_000 },
    ...options,
    world,
  });
  // A retried write waits out one Kingdee request timeout: short here, so lost replies cost seconds, not minutes.
  // A state store of its own, as every worker has: decisions are recorded in its ledger.
  const databaseUrl = await createTestDatabase('sync_stack');
  const store = await openStateStore({ databaseUrl, dataDir: '' });
  await migrate(store);
  const deps = buildDeps(
    {
      ...systems.configs,
      kingdee: { ...systems.configs.kingdee, requestTimeoutMs: KINGDEE_TEST_REQUEST_TIMEOUT_MS },
      ...(workerSetup.kingdeeBatching ? { kingdeeBatching: workerSetup.kingdeeBatching } : {}),
    },
    { decisions: decisionsLedger(store) },
  );
  // The worker's other state-store tenants, as src/runtime/worker-process.ts gives them.
  const storeDeps = {
    watermarks: pollWatermarks(store),
    health: pollHealth(store),
    ...(workerSetup.alerter ? { alerter: workerSetup.alerter } : {}),
    ...(workerSetup.pollHealth ? { pollHealth: workerSetup.pollHealth } : {}),
    ...(workerSetup.parkRetryMs !== undefined ? { parkRetryMs: workerSetup.parkRetryMs } : {}),
  };
  const taskQueue = temporal.taskQueue('sync');
  let worker: WorkerGroup | undefined;
  let running: Promise<void> | undefined;

  const stack: SyncStack = {
    systems,
    store,
    databaseUrl,
    deps,
    taskQueue,
    async startWorker() {
      worker = await createWorkers({
        connection: temporal.nativeConnection,
        namespace: temporal.namespace,
        taskQueue,
        activities: (workerSetup.wrapActivities ?? ((a) => a))(createActivities({ ...deps, ...storeDeps })),
        workflowBundlePath: temporal.workflowBundlePath,
        deployment: workerSetup.deployment,
        options: { shutdownGraceTime: '1s' },
      });
      running = worker.run();
    },
    async stopWorker() {
      worker?.shutdown();
      await running;
      worker = undefined;
    },
    async backfill(input = {}, workflowId = `backfill-${taskQueue}-${Date.now()}`) {
      return temporal.client.workflow.execute('pollRefunds', {
        taskQueue,
        workflowId,
        args: [{ schemeId: 'jst-refund-to-sales-return', window: { from: from.toISOString(), to: to.toISOString() }, ...input }],
      });
    },
    eligibleAsIds: () => systems.world.refunds.filter(isEligibleRefund).map((r) => String(r.as_id)),
    resultOf: (asId) => temporal.client.workflow.getHandle(refundWorkflowId(asId)).result(),
    async stop() {
      await stack.stopWorker();
      await deps.close();
      await store.close();
      await systems.stop();
    },
  };
  await stack.startWorker();
  return stack;
}
