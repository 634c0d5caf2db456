import type { Command } from 'commander';
import { alertConfigFromEnv } from '../alerts';
import { syncConfigFromEnv } from '../config/sync-config';
import { jushuitanConfigFromEnv } from '../connectors/jushuitan';
import { kingdeeConfigFromEnv } from '../connectors/kingdee';
import { parseLogLevel } from '../lib/logger';
import { installRuntime, startWorkerProcess } from '../runtime/worker-process';
import { dataConverterFromEnv } from '../temporal/codec';
import { connectClient, connectWorkerConnection, temporalTarget } from '../temporal/connection';
import { announceVersion, ensureCurrentVersion, workerDeploymentFromEnv } from '../temporal/versioning';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run a worker: TEMPORAL_*, JST_*, KINGDEE_*, ERP_BRIDGE_* from the environment')
    .option('--metrics <address>', 'Prometheus endpoint (host:port)', process.env.ERP_BRIDGE_METRICS_ADDRESS ?? '127.0.0.1:9464')
    .action(async (opts: { metrics: string }) => {
      // Everything is parsed before anything starts: a bad variable fails here with its name.
      const sync = syncConfigFromEnv();
      const connectors = { jushuitan: jushuitanConfigFromEnv(process.env), kingdee: kingdeeConfigFromEnv(process.env), schemeIds: [sync.schemeId] };
      const alerts = alertConfigFromEnv();
      const dataConverter = dataConverterFromEnv();
      const deployment = await workerDeploymentFromEnv();
      installRuntime({ metricsAddress: opts.metrics, logLevel: parseLogLevel(process.env.ERP_BRIDGE_LOG_LEVEL) });

      const target = temporalTarget();
      const connection = await connectWorkerConnection(target);
      const proc = await startWorkerProcess({ connection, namespace: target.namespace, sync, connectors, alerts, dataConverter, deployment });
      const running = proc.run();
      if (deployment) {
        // A first-ever worker makes its build current, so a new namespace needs nothing more; a later build
        // waits beside the current one until an operator promotes it (erp-bridge deploy promote).
        const client = await connectClient(target, dataConverter);
        try {
          console.error(announceVersion(deployment.version, await ensureCurrentVersion(client, deployment.version)));
        } catch (err) {
          proc.worker.shutdown();
          await running.catch(() => {});
          throw err;
        } finally {
          await client.connection.close();
        }
      }
      console.error(`erp-bridge worker on ${target.connectionOptions.address}/${target.namespace}, task queue ${sync.taskQueue}, metrics http://${opts.metrics}/metrics`);
      await running; // the SDK shuts down gracefully on SIGINT/SIGTERM
      await connection.close();
    });
}
