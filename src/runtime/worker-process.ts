// A worker process: the Runtime (JSON logs, Prometheus metrics), the connectors, the alerter and the worker.
// Used by `erp-bridge worker` and by the demo.
import { makeTelemetryFilterString, Runtime, type NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import { createActivities } from '../activities';
import { createAlerter, type AlertConfig } from '../alerts';
import type { SyncConfig } from '../config/sync-config';
import { createJsonLogger, temporalLogger, type LogLevel } from '../lib/logger';
import type { WorkerDeployment } from '../temporal/versioning';
import { createWorker } from '../worker';
import { buildDeps, type ConnectorConfigs } from './deps';

let runtimeInstalled = false;

/** Once per process, before any connection: JSON logs to stdout and a Prometheus endpoint for SDK and our metrics. */
export function installRuntime(options: { metricsAddress?: string; logLevel?: LogLevel; write?: (line: string) => void } = {}): void {
  if (runtimeInstalled) return;
  Runtime.install({
    logger: temporalLogger(createJsonLogger({ level: options.logLevel ?? 'info', write: options.write, base: { service: 'erp-bridge-worker' } })),
    telemetryOptions: {
      ...(options.metricsAddress ? { metrics: { prometheus: { bindAddress: options.metricsAddress } } } : {}),
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
    },
  });
  runtimeInstalled = true;
}

export interface WorkerProcessOptions {
  connection: NativeConnection;
  namespace: string;
  sync: SyncConfig;
  connectors: ConnectorConfigs;
  alerts?: AlertConfig;
  dataConverter?: DataConverter;
  /** Worker Deployment Versioning (src/temporal/versioning.ts); absent: an unversioned worker. */
  deployment?: WorkerDeployment;
}

export async function startWorkerProcess(options: WorkerProcessOptions) {
  const deps = buildDeps(options.connectors);
  const alerter = options.alerts ? createAlerter(options.alerts) : undefined;
  const worker = await createWorker({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.sync.taskQueue,
    activities: createActivities({ ...deps, alerter }),
    deployment: options.deployment,
    options: {
      maxConcurrentActivityTaskExecutions: options.sync.worker.maxConcurrentActivities,
      maxConcurrentWorkflowTaskExecutions: options.sync.worker.maxConcurrentWorkflowTasks,
      ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}),
    },
  });
  return {
    worker,
    /** Runs until shutdown (SIGINT/SIGTERM or worker.shutdown()), then releases connectors and alerts. */
    async run(): Promise<void> {
      try {
        await worker.run();
      } finally {
        await alerter?.close();
        await deps.close();
      }
    },
  };
}
