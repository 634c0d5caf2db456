// The chaos run: a persistent dev server, both simulators in this process, the worker as a separate process.
// While polls hand the refunds over (like the schedule would, window after window), the plan injects faults
// on both systems, changes records between pages, SIGKILLs the worker at random points and restarts the dev
// server once. Then Jushuitan's faults stop; Kingdee's stay until every refund has settled, so every write
// meets them, not only those made while the polls ran. A clean verification poll reads the whole range, and
// the invariants are checked against Temporal, Kingdee and Jushuitan.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { parseBeijing } from '../lib/beijing-time';
import { findScheme } from '../scheme/load-file';
import { startSimulatedSystems, type SimulatedSystems } from '../sim/simulated-systems';
import { connectClient } from '../temporal/connection';
import { addCounts, emptyCounts, type PollCounts } from '../workflows/messages';
import { chaosWorld } from './chaos-world';
import { checkInvariants, expectationsFor, PARKING_HOSTILE_KINDS, type ChaosVerdict } from './invariants';
import { refundOutcomes, waitUntilSettled } from './outcomes';
import { chaosPlan, type ChaosPlan } from './plan';
import { runPoll } from './polls';
import { DevServerControl, WorkerChild, workerEnvironment } from './processes';
import { runSetupCommand } from '../setup/setup-command';
import { startEmbeddedPostgres, type EmbeddedPostgresServer } from '../store/embedded-server';
import { applyFaults, faultsFired, type FaultsFired } from './sim-faults';

export interface ChaosOptions {
  refunds: number;
  seed: number;
  /** Worker SIGKILLs; at least 3. */
  kills: number;
  /** Plant one hostile record of each kind (they must park, not block). Default true. */
  hostile?: boolean;
  /** Records held back and inserted while pages are read. Default 5. */
  held?: number;
  /** Server database and logs; default a fresh temporary directory. */
  dataDir?: string;
  /** Keep dataDir afterwards (it is always kept when an invariant is broken). */
  keep?: boolean;
  /** How long refunds may take to settle after the chaos (activities lost with a killed worker wait for their timeouts). */
  settleTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface ChaosReport {
  options: Omit<ChaosOptions, 'log'>;
  plan: ChaosPlan;
  verdict: ChaosVerdict;
  elapsedMs: number;
  workerKills: number;
  workerStarts: number;
  workerUnexpectedExits: number;
  serverRestarts: number;
  polls: number;
  /** The chaos polls' counts, summed (records are read again by overlapping windows and restarts). */
  pollCounts: PollCounts;
  verification: PollCounts;
  faultsFired: FaultsFired;
  inserted: number;
  dataDir: string;
  kept: boolean;
}

const SCHEME_ID = 'jst-refund-to-sales-return';
const TASK_QUEUE = 'erp-bridge-chaos';
/** Simulated Jushuitan limits, and the worker's own limits just under them. */
const JST_SERVER_RATE = { perSecond: 10, perMinute: 600 };
const JST_CLIENT_RATE = { perSecond: 8, perMinute: 480 };
/** Poll windows end this far before now; each starts this far before the last one ended (as the schedule's lag and overlap). */
const LAG_MS = 3_000;
const OVERLAP_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  if (options.kills < 3) throw new Error(`the chaos run kills the worker at least 3 times (got --kills ${options.kills})`);
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'erp-bridge-chaos-'));
  mkdirSync(dataDir, { recursive: true });
  const plan = chaosPlan({ seed: options.seed, refunds: options.refunds, kills: options.kills });
  const cw = chaosWorld({ seed: options.seed, refunds: options.refunds, hostile: options.hostile ?? true, held: options.held ?? 5 });
  const windowStart = new Date(Math.min(...cw.world.refunds.map((r) => parseBeijing(r.modified)!.getTime())) - 60_000);

  let systems: SimulatedSystems | undefined;
  let worker: WorkerChild | undefined;
  let postgres: EmbeddedPostgresServer | undefined;
  let client: Client | undefined;
  const server = new DevServerControl({ dbFile: path.join(dataDir, 'temporal.db'), logFile: path.join(dataDir, 'temporal-server.log') });
  let verdict: ChaosVerdict | undefined;
  // Kept when asked for, when it was given, and whenever something is wrong (the logs explain it).
  const keepData = () => options.keep === true || options.dataDir !== undefined || !verdict || verdict.violations.length > 0;
  const stopDriving = new AbortController();
  try {
    systems = await startSimulatedSystems({ world: cw.world, jstRateLimits: JST_SERVER_RATE });
    systems.jushuitan.store.replace(cw.initial);
    log(`simulators: Jushuitan ${systems.jushuitan.baseUrl}, Kingdee ${systems.kingdee.baseUrl}; ${cw.initial.length} records (+${cw.held.length} to come)`);
    await server.start();
    log(`dev server ${server.address} on ${path.join(dataDir, 'temporal.db')}`);
    postgres = await startEmbeddedPostgres({ dir: path.join(dataDir, 'postgres', 'data') });
    const databaseUrl = await postgres.createDatabase('erp_bridge');

    const c = systems.configs;
    worker = new WorkerChild({
      env: workerEnvironment({
        jushuitan: c.jushuitan, kingdee: c.kingdee, temporal: { address: server.address, namespace: server.namespace },
        taskQueue: TASK_QUEUE, jstRate: JST_CLIENT_RATE, kingdeeConcurrency: 8, databaseUrl,
      }),
      logFile: path.join(dataDir, 'worker.log'),
      onUnexpectedExit: (code, signal) => log(`worker exited by itself (code ${code}, signal ${signal}); starting it again`),
    });
    // The plain dev server is prepared as any team's cluster would be: with `erp-bridge setup`.
    log((await runSetupCommand(worker.environment)).trim());
    await worker.start();
    log(`worker pid ${worker.pid} polling ${TASK_QUEUE}`);
    client = await connectClient({ connectionOptions: { address: server.address }, namespace: server.namespace });

    const onRetry = (what: string, err: unknown) => log(`${what}: ${err instanceof Error ? err.message : String(err)}; trying again`);
    const faults = applyFaults(systems, plan, cw.touchable, cw.held);
    const driver = drive(plan, worker, server, log, stopDriving.signal);
    let driverDone = false;
    void driver.then(() => (driverDone = true), () => (driverDone = true));

    // Poll window after window, as the schedule would, until the plan has run and every held record arrived.
    const jst = systems.jushuitan.store;
    let from = windowStart;
    let polls = 0;
    let pollCounts = emptyCounts();
    let lastRound = false;
    for (;;) {
      const to = new Date(Date.now() - LAG_MS);
      const result = await runPoll({
        client, taskQueue: TASK_QUEUE, workflowId: `chaos-poll-${++polls}`, timeoutMs: 20 * 60_000, onRetry,
        input: { schemeId: SCHEME_ID, window: { from: from.toISOString(), to: to.toISOString() } },
      });
      pollCounts = addCounts(pollCounts, result.counts);
      log(`poll ${polls} ${from.toISOString()} → ${to.toISOString()}: ${summarize(result.counts)}`);
      from = new Date(to.getTime() - OVERLAP_MS);
      if (lastRound) break;
      // One more round after the last change, so a record touched during this poll is read by the next.
      lastRound = driverDone && jst.size === cw.world.refunds.length && faults.pendingBursts() === 0;
      await sleep(lastRound ? LAG_MS : 2_000);
    }
    await driver;
    faults.calmJushuitan();
    log(`chaos over: ${worker.kills} kills, ${server.restarts} server restart; Kingdee faults stay until every refund settles`);

    const expectations = expectationsFor(findScheme(SCHEME_ID), jst.all());
    const handedOver = [...expectations.byAsId].filter(([, e]) => e.kind !== 'skip').map(([asId]) => asId);
    const settleTimeoutMs = options.settleTimeoutMs ?? 15 * 60_000;
    await waitUntilSettled(client, handedOver, {
      timeoutMs: settleTimeoutMs,
      pollMs: 2_000,
      onRound: (n) => n > 0 && log(`waiting for ${n} refunds to settle`),
    });
    const fired = faultsFired(systems);
    faults.calmKingdee();
    log(`faults fired ${JSON.stringify(fired)}`);

    const verification = await runPoll({
      client, taskQueue: TASK_QUEUE, workflowId: 'chaos-verification-poll', timeoutMs: 10 * 60_000, onRetry,
      input: { schemeId: SCHEME_ID, window: { from: windowStart.toISOString(), to: new Date(Date.now() - LAG_MS).toISOString() } },
    });
    log(`verification poll: ${summarize(verification.counts)}`);
    // Anything the verification poll started must settle too before it is judged (it is a violation anyway).
    if (verification.counts.started > 0) await waitUntilSettled(client, handedOver, { timeoutMs: settleTimeoutMs, pollMs: 2_000 });

    const outcomes = await refundOutcomes(client, [...expectations.byAsId.keys()]);
    const plantedToPark = new Set((cw.world.hostile ?? []).filter((h) => PARKING_HOSTILE_KINDS.has(h.kind)).map((h) => String(h.asId)));
    verdict = checkInvariants({ expectations, outcomes, bills: systems.kingdee.listRecords('SAL_RETURNSTOCK'), verification: verification.counts, plantedToPark });
    const { log: _log, ...recorded } = options;
    return {
      options: recorded,
      plan,
      verdict,
      elapsedMs: Date.now() - started,
      workerKills: worker.kills,
      workerStarts: worker.starts,
      workerUnexpectedExits: worker.unexpectedExits,
      serverRestarts: server.restarts,
      polls,
      pollCounts,
      verification: verification.counts,
      faultsFired: fired,
      inserted: jst.size - cw.initial.length,
      dataDir,
      kept: keepData(),
    };
  } finally {
    stopDriving.abort();
    await worker?.stop().catch(() => {});
    await client?.connection.close().catch(() => {});
    await server.stop().catch(() => {});
    await postgres?.stop().catch(() => {});
    await systems?.stop();
    if (!keepData()) rmSync(dataDir, { recursive: true, force: true });
  }
}

/** The kills and the server restart, in plan order, at the plan's times (until the run stops it). */
async function drive(plan: ChaosPlan, worker: WorkerChild, server: DevServerControl, log: (line: string) => void, stop: AbortSignal): Promise<void> {
  for (const [i, kill] of plan.kills.entries()) {
    await sleep(kill.upMs);
    if (stop.aborted) return;
    const pid = worker.pid;
    await worker.kill();
    log(`kill ${i + 1}/${plan.kills.length}: SIGKILL worker pid ${pid} after ${kill.upMs} ms; down for ${kill.downMs} ms`);
    await sleep(kill.downMs);
    if (stop.aborted) return;
    await worker.start();
    log(`worker back (pid ${worker.pid})`);
    if (i + 1 === plan.serverRestart.afterKill) {
      await sleep(plan.serverRestart.delayMs);
      if (stop.aborted) return;
      log(`restarting the dev server (down ${plan.serverRestart.downMs} ms, same port and database)`);
      await server.restart(plan.serverRestart.downMs);
      log('dev server back');
    }
  }
}

function summarize(c: PollCounts): string {
  const skipped = Object.values(c.skipped).reduce((a, b) => a + b, 0);
  return `${c.fetched} read, ${c.started} started, ${c.updated} updated, ${c.alreadyDone} already done, ${skipped} skipped, ` +
    `${c.invalid} invalid, ${c.pages} pages, ${c.restarts} restarts`;
}
