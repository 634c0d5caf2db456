import type { Command } from 'commander';
import { alertConfigFromEnv } from '../alerts';
import { codecConfigFromEnv } from '../config/codec-config';
import { syncConfigFromEnv } from '../config/sync-config';
import { jushuitanConfigFromEnv } from '../connectors/jushuitan';
import { kingdeeConfigFromEnv } from '../connectors/kingdee';
import { batchingConfigFromEnv } from '../kingdee-batching';
import { freePort } from '../temporal/dev-server';
import { parseLogLevel } from '../lib/logger';
import { startHealthServer } from '../runtime/health-server';
import { handleShutdownSignals, installRuntime, startWorkerProcess } from '../runtime/worker-process';
import { deploymentReadiness, formatNotReady } from '../setup/readiness';
import { storeConfigFromEnv } from '../store';
import { dataConverterFromEnv } from '../temporal/codec';
import { announceVersion, ensureCurrentVersion, workerDeploymentFromEnv } from '../temporal/versioning';
import { connectClient, connectWorkerConnection, temporalTarget } from '../temporal/connection';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run a worker: TEMPORAL_*, JST_*, KINGDEE_*, ERP_BRIDGE_* from the environment')
    .option('--metrics <address>', 'health and Prometheus endpoint (host:port): /healthz, /readyz, /metrics', process.env.ERP_BRIDGE_METRICS_ADDRESS ?? '127.0.0.1:9464')
    .action(async (opts: { metrics: string }) => {
      // Everything is parsed before anything starts: a bad variable fails here with its name.
      const sync = syncConfigFromEnv();
      const connectors = { jushuitan: jushuitanConfigFromEnv(process.env), kingdee: kingdeeConfigFromEnv(process.env), schemeIds: [sync.schemeId], kingdeeBatching: batchingConfigFromEnv(process.env) };
      const alerts = alertConfigFromEnv();
      const dataConverter = dataConverterFromEnv();
      const store = storeConfigFromEnv();
      const deployment = await workerDeploymentFromEnv();
      const target = temporalTarget();

      // Nothing polls until the namespace and the store are ready: a missing search attribute would otherwise
      // fail every workflow task that sets it, and a missing table every token read.
      const client = await connectClient(target, dataConverter);
      try {
        const items = await deploymentReadiness({ connection: client.connection, namespace: target.namespace, store, lookbackMs: sync.poll.lookbackMs });
        const notReady = formatNotReady(items);
        if (notReady) {
          console.error(`erp-bridge worker: not starting, ${target.connectionOptions.address}/${target.namespace} is not set up:\n${notReady}`);
          process.exitCode = 1;
          return;
        }
        for (const w of items.filter((i) => i.warning)) console.error(`erp-bridge worker: warning: ${w.name}: ${w.warning}`);
      } finally {
        await client.connection.close();
      }

      const exporter = `127.0.0.1:${await freePort()}`;
      installRuntime({ metricsAddress: exporter, logLevel: parseLogLevel(process.env.ERP_BRIDGE_LOG_LEVEL) });
      const connection = await connectWorkerConnection(target);
      const proc = await startWorkerProcess({
        connection, namespace: target.namespace, sync, connectors, store, keyring: codecConfigFromEnv().keyring, alerts, dataConverter, deployment,
      });
      // Credentials a system rejects stop the worker here, naming the variable (a crash loop would only lock the
      // account); an unreachable system only holds readiness back and is tried again.
      let loginsOk = false;
      const tryLogins = async (): Promise<string[]> => {
        const { jushuitan, kingdee } = await proc.checkLogins();
        const problems = [jushuitan, kingdee].flatMap((v) => (v.ok ? [] : [v]));
        loginsOk = problems.length === 0;
        return problems.filter((p) => p.rejected).map((p) => p.explanation);
      };
      const refused = await tryLogins();
      if (refused.length > 0) {
        console.error(`erp-bridge worker: not starting, credentials refused:\n${refused.map((r) => `  ${r.replace(/\n/g, '\n  ')}`).join('\n')}`);
        await proc.close();
        await connection.close();
        process.exitCode = 1;
        return;
      }
      let versionSettled = !deployment;
      const loginRetry = loginsOk ? undefined : setInterval(() => void tryLogins().catch(() => undefined), 30_000);
      const health = await startHealthServer({
        address: opts.metrics,
        metricsUpstream: exporter,
        readiness: {
          polling: () => proc.workers.isRunning(),
          'state store': async () => (await proc.store.query('select 1 as ok')).length === 1,
          'jushuitan and kingdee logins': () => loginsOk,
          // Ready once this build's version is registered (and promoted when it is the first): before that the
          // server routes no versioned work here.
          'deployment version': () => versionSettled,
        },
      });
      const removeSignals = handleShutdownSignals(proc.workers, (line) => console.error(line));
      const running = proc.run();
      if (deployment) {
        // A first-ever worker makes its build current, so a new namespace needs nothing more; a later build
        // waits beside the current one until an operator promotes it (erp-bridge deploy promote).
        const client = await connectClient(target, dataConverter);
        try {
          console.error(announceVersion(deployment.version, await ensureCurrentVersion(client, deployment.version)));
          versionSettled = true;
        } catch (err) {
          // Stopped (SIGTERM) before the version registered: a clean stop, not a failure to report.
          const stopping = !proc.workers.isRunning();
          proc.workers.shutdown();
          await running.catch(() => {});
          if (!stopping) throw err;
        } finally {
          await client.connection.close();
        }
      }
      console.error(
        `erp-bridge worker on ${target.connectionOptions.address}/${target.namespace}, task queue ${sync.taskQueue} ` +
          `(+ -jushuitan, -kingdee), state store ${proc.store.description}, health ${health.url}/readyz, metrics ${health.url}/metrics`,
      );
      if (!loginsOk) console.error('erp-bridge worker: Jushuitan or Kingdee unreachable at start; not ready until both answer (retried every 30 s)');
      try {
        await running;
      } finally {
        clearInterval(loginRetry);
        removeSignals();
        await health.close();
        await connection.close();
      }
    });
}
