// A worker process: the Runtime (JSON logs, Prometheus metrics), the state store, the connectors, the alerter and
// the three workers (workflows, Jushuitan, Kingdee). Used by `erp-bridge worker` and by the demo.
import { makeTelemetryFilterString, Runtime, type NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities } from '../activities';
import { createAlerter, type AlertConfig } from '../alerts';
import type { SyncConfig } from '../config/sync-config';
import { parseJushuitanConfig } from '../connectors/jushuitan';
import { KingdeeConfig } from '../connectors/kingdee/config';
import { BatchingConfig, type BatchingConfigInput } from '../kingdee-batching';
import { createJsonLogger, temporalLogger, type JsonLogger, type LogLevel } from '../lib/logger';
import { findScheme } from '../scheme/load-file';
import { openStateStore, type SqlStore, type StoreConfig } from '../store';
import { decisionsLedger } from '../store/decisions';
import { pollHealth } from '../store/poll-health';
import { pollWatermarks } from '../store/watermarks';
import { storedTokenKeeper } from '../store/tokens';
import type { Keyring } from '../temporal/codec/keyring';
import type { WorkerDeployment } from '../temporal/versioning';
import { createWorkers, shutdownGraceFor, type WorkerGroup } from '../worker';
import { buildDeps, type ConnectorConfigs, type RuntimeDeps } from './deps';
import { jushuitanActivitiesPerSecond } from './queue-limits';

let runtimeInstalled = false;
/** The process's JSON logger (SDK, workflow and activity logs, alert deliveries); stderr until the Runtime is installed. */
let workerLogger: JsonLogger | undefined;

/**
 * Once per process, before any connection: JSON logs to stdout and the SDK's Prometheus exporter (for SDK and our
 * metrics; the health server relays it). Signals are ours, not the SDK's: see `handleShutdownSignals`.
 */
export function installRuntime(options: { metricsAddress?: string; logLevel?: LogLevel; write?: (line: string) => void } = {}): void {
  if (runtimeInstalled) return;
  workerLogger = createJsonLogger({ level: options.logLevel ?? 'info', write: options.write, base: { service: 'erp-bridge-worker' } });
  Runtime.install({
    logger: temporalLogger(workerLogger),
    telemetryOptions: {
      ...(options.metricsAddress ? { metrics: { prometheus: { bindAddress: options.metricsAddress } } } : {}),
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
    },
    shutdownSignals: [],
  });
  runtimeInstalled = true;
}

export interface WorkerProcessOptions {
  connection: NativeConnection;
  namespace: string;
  sync: SyncConfig;
  connectors: ConnectorConfigs;
  /** Where the Jushuitan tokens (and later decisions and watermarks) live. */
  store: StoreConfig;
  /** Payload-encryption keys: tokens are encrypted at rest with them too. */
  keyring?: Keyring;
  alerts?: AlertConfig;
  dataConverter?: DataConverter;
  workflowBundlePath?: string;
  /** Worker Deployment Versioning (src/temporal/versioning.ts); absent: an unversioned worker. */
  deployment?: WorkerDeployment;
}

export interface WorkerProcess {
  workers: WorkerGroup;
  store: SqlStore;
  checkLogins: RuntimeDeps['checkLogins'];
  /** Releases what start-up opened, for a process that stops before `run()`. */
  close(): Promise<void>;
  /** Runs until shutdown, then releases connectors, alerts and the store. */
  run(): Promise<void>;
}

/**
 * Batching: enough Kingdee activities at once to fill a batch on every session and call slot, twice over: an
 * activity of the refund workflow runs two steps (find then save, submit then audit) whose batches fill side by
 * side. A waiting activity costs a promise, not a Kingdee call.
 */
export function kingdeeSlotsFor(maxConcurrency: number, batching: BatchingConfigInput | undefined): number {
  if (!batching) return maxConcurrency;
  const b = BatchingConfig.parse(batching);
  return b.batchSize > 1 ? 2 * Math.max(maxConcurrency, b.sessions) * b.batchSize : maxConcurrency;
}

export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const jushuitan = parseJushuitanConfig(options.connectors.jushuitan);
  const kingdee = KingdeeConfig.parse(options.connectors.kingdee);
  const store = await openStateStore(options.store);
  const tokens = storedTokenKeeper({
    store,
    appKey: jushuitan.appKey,
    configured: { accessToken: jushuitan.accessToken, refreshToken: jushuitan.refreshToken ?? '' },
    keyring: options.keyring,
  });
  const deps = buildDeps(options.connectors, {
    jushuitanTokens: tokens,
    decisions: decisionsLedger(store),
    verifyJushuitan: (probe) => tokens.verifySecretOnce(jushuitan.appSecret, probe),
  });
  // Alert deliveries that fail are logged with the worker's own JSON logs.
  const alerter = options.alerts ? createAlerter(options.alerts, workerLogger) : undefined;
  let workers: WorkerGroup;
  try {
    workers = await createWorkers({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.sync.taskQueue,
      // Only the schemes loaded at start-up may be named by a workflow's input (never a path).
      activities: createActivities({
        ...deps,
        alerter,
        watermarks: pollWatermarks(store),
        health: pollHealth(store),
        pollHealth: options.sync.health,
        parkRetryMs: options.sync.parkRetryMs,
        schemeIds: options.connectors.schemeIds.map((id) => findScheme(id).id),
      }),
      workflowBundlePath: options.workflowBundlePath,
      deployment: options.deployment,
      limits: {
        jushuitanActivitiesPerSecond: jushuitanActivitiesPerSecond(jushuitan.limits),
        kingdeeSlots: kingdeeSlotsFor(kingdee.maxConcurrency, options.connectors.kingdeeBatching),
      },
      options: {
        // Longer than the longest Kingdee call: SIGTERM lets an in-flight save finish and record its outcome.
        shutdownGraceTime: shutdownGraceFor(kingdee.requestTimeoutMs),
        ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
      },
      workflowWorkerOptions: {
        maxConcurrentActivityTaskExecutions: options.sync.worker.maxConcurrentActivities,
        maxConcurrentWorkflowTaskExecutions: options.sync.worker.maxConcurrentWorkflowTasks,
      },
    });
  } catch (err) {
    await alerter?.close();
    await deps.close();
    await store.close();
    throw err;
  }
  return {
    workers,
    store,
    checkLogins: deps.checkLogins,
    async close() {
      await alerter?.close();
      await deps.close();
      await store.close();
    },
    async run(): Promise<void> {
      try {
        await workers.run();
      } finally {
        await alerter?.close();
        await deps.close();
        await store.close();
      }
    },
  };
}

/**
 * SIGTERM/SIGINT: stop polling and let in-flight activities finish (up to the shutdown grace); a second signal
 * forces the exit. Returns a function that removes the handlers.
 */
export function handleShutdownSignals(workers: WorkerGroup, log: (line: string) => void): () => void {
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log(`erp-bridge worker: ${signal} again, exiting without waiting for in-flight activities`);
      process.exit(130);
    }
    signalled = true;
    log(`erp-bridge worker: ${signal} received, finishing in-flight activities (send it again to force)`);
    workers.shutdown();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return () => {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
  };
}
