// Production runs built JavaScript: in a copy of the project, `npm run build`, then `npm prune --omit=dev`
// (tsx, TypeScript and the other dev tools gone), and `erp-bridge --help` still runs, from dist/, and the
// workflows bundle from dist/ as the worker does at start-up.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';

const run = promisify(execFile);
const copy = mkdtempSync(path.join(tmpdir(), 'erp-bridge-prod-'));
after(() => rmSync(copy, { recursive: true, force: true }));

const SKIP = new Set(['node_modules', '.tools', '.data', 'dist', '.git', 'bench-results']);

test('after npm run build and npm prune --omit=dev, erp-bridge --help and workflow bundling run without tsx', { timeout: 300_000 }, async () => {
  for (const entry of readdirSync(PROJECT_ROOT)) {
    if (!SKIP.has(entry)) cpSync(path.join(PROJECT_ROOT, entry), path.join(copy, entry), { recursive: true });
  }
  // A real copy of node_modules (prune deletes and rewrites files in it), made without the network.
  cpSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(copy, 'node_modules'), { recursive: true, verbatimSymlinks: true });

  await run('npm', ['run', 'build', '--silent'], { cwd: copy });
  assert.ok(existsSync(path.join(copy, 'dist', 'cli', 'main.js')), 'dist/cli/main.js was built');
  await run('npm', ['prune', '--omit=dev', '--no-audit', '--no-fund'], { cwd: copy });
  assert.equal(existsSync(path.join(copy, 'node_modules', 'tsx')), false, 'tsx is gone');
  assert.equal(existsSync(path.join(copy, 'node_modules', 'typescript')), false, 'typescript is gone');

  const env = { ...process.env, ERP_BRIDGE_RUN: '', NODE_OPTIONS: '' };
  const help = await run(process.execPath, [path.join(copy, 'bin', 'erp-bridge.js'), '--help'], { cwd: copy, env });
  assert.match(help.stdout, /^Usage: erp-bridge/m);
  assert.match(help.stdout, /^\s+worker\b/m);

  const bundle = await run(
    process.execPath,
    ['-e', "require('@temporalio/worker').bundleWorkflowCode({ workflowsPath: require.resolve('./dist/workflows'), logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } }).then((b) => console.log('bundled', b.code.length))"],
    { cwd: copy, env },
  );
  assert.match(bundle.stdout, /^bundled \d+/);
});
