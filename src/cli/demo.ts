// `npm run demo`: the whole product on embedded defaults. A persistent dev server, both simulators on a
// generated world (some refunds built to park), the worker, and the poll schedule every minute.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { syncConfigFromEnv, type SyncConfig } from '../config/sync-config';
import { installRuntime, startWorkerProcess } from '../runtime/worker-process';
import { startSimulatedSystems, type SimulatedSystems } from '../sim/simulated-systems';
import { generateWorld, isEligibleRefund, type World } from '../sim/world';
import { connectClient, connectWorkerConnection } from '../temporal/connection';
import { startDevServer } from '../temporal/dev-server';
import { announceVersion, ensureCurrentVersion, workerDeploymentFromEnv } from '../temporal/versioning';
import { countRefunds } from '../temporal/refund-ops';
import { applySchedule, scheduleIdFor, scheduleOptions } from '../temporal/schedules';
import { DATA_DIR } from './dev-server';
import { untilInterrupted } from './shutdown';

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
      installRuntime({ metricsAddress: '127.0.0.1:9464', write: (line) => appendFileSync(workerLog, `${line}\n`) });

      const server = await startDevServer({
        port: Number(opts.port),
        uiPort: Number(opts.uiPort),
        dbFile: path.join(DATA_DIR, 'demo', 'temporal.db'),
        logFile: path.join(logDir, 'demo-temporal-server.log'),
        log: (line) => console.log(line),
      });
      const sync: SyncConfig = {
        ...syncConfigFromEnv({}),
        poll: { everyMs: 60_000, lookbackMs: 2 * 86_400_000, overlapMs: 10 * 60_000, lagMs: 30_000, catchupWindowMs: 3600_000 },
      };
      const systems = await startSimulatedSystems({ world: demoWorld(Number(opts.refunds)) });
      const restoreCommand = parkOneShop(systems);

      const connection = await connectWorkerConnection({ connectionOptions: { address: server.address }, namespace: server.namespace });
      const deployment = await workerDeploymentFromEnv();
      const proc = await startWorkerProcess({
        connection, namespace: server.namespace, sync, connectors: systems.configs, alerts: undefined, deployment,
      });
      const running = proc.run();
      const client = await connectClient({ connectionOptions: { address: server.address }, namespace: server.namespace });
      // The demo's workers are all this build: it becomes current even over an older demo's build.
      if (deployment) console.log(announceVersion(deployment.version, await ensureCurrentVersion(client, deployment.version, { evenIfAnotherIsCurrent: true })));
      const schedule = scheduleOptions(sync);
      await applySchedule(client, schedule);
      await client.schedule.getHandle(schedule.scheduleId).trigger();

      console.log('');
      console.log(`Temporal Web UI:   ${server.uiUrl}   (search: SyncStatus='Parked', JstAsId='…')`);
      console.log(`Temporal gRPC:     ${server.address}`);
      console.log(`Jushuitan sim:     ${systems.jushuitan.baseUrl}   admin ${systems.jushuitan.adminUrl}`);
      console.log(`Kingdee sim:       ${systems.kingdee.baseUrl}   admin ${systems.kingdee.adminUrl}`);
      console.log(`Schedule:          ${schedule.scheduleId}, every minute   Metrics: http://127.0.0.1:9464/metrics`);
      console.log(`Worker log:        ${workerLog}`);
      console.log(`Parked on purpose: shop ${systems.world.shops[1]!.name} has no Kingdee customer, and one refund over-returns.`);
      console.log(`  list them:   TEMPORAL_ADDRESS=${server.address} npx erp-bridge list --status parked`);
      console.log(`  fix, retry:  ${restoreCommand} && TEMPORAL_ADDRESS=${server.address} npx erp-bridge reprocess --all-parked`);
      console.log('Ctrl-C stops everything.\n');

      const since = new Date(Date.now() - 60_000);
      const timer = setInterval(() => void printSummary(client, systems, sync.schemeId, since), 5000);
      await untilInterrupted();
      clearInterval(timer);
      console.log('\nStopping…');
      // The next demo gets a new world: its schedule must start from the look-back, not this run's watermark.
      await client.schedule.getHandle(scheduleIdFor(sync.schemeId)).delete().catch(() => {});
      // The SDK's worker already began shutting down on the same Ctrl-C; only ask if it has not.
      if (proc.worker.getState() === 'RUNNING') proc.worker.shutdown();
      await running;
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

async function printSummary(client: Awaited<ReturnType<typeof connectClient>>, systems: SimulatedSystems, schemeId: string, since: Date): Promise<void> {
  try {
    const count = (status: 'Synced' | 'Parked' | 'Skipped' | 'Running') => countRefunds(client, { status, schemeId, since });
    const [synced, parked, skipped, running] = await Promise.all([count('Synced'), count('Parked'), count('Skipped'), count('Running')]);
    const bills = systems.kingdee.store.records('SAL_RETURNSTOCK').length;
    const stamp = new Date().toISOString().slice(11, 19);
    console.log(`${stamp}  synced ${synced} · parked ${parked} · skipped ${skipped} · running ${running} · Kingdee return bills ${bills}`);
  } catch (err) {
    console.log(`summary unavailable: ${err instanceof Error ? err.message : String(err)}`);
  }
}
