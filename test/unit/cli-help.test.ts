import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';

test('erp-bridge --help lists every command group', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), '--help']);
  const commands = ['dev-server', 'setup', 'worker', 'demo', 'schedule', 'backfill', 'reprocess', 'skip', 'resync', 'drift', 'status', 'list', 'check', 'sim', 'jst', 'kingdee', 'map', 'scheme', 'report', 'reconcile', 'alerts', 'codec-server', 'bench', 'chaos', 'deploy', 'replay'];
  for (const c of commands) assert.match(stdout, new RegExp(`^\\s+${c}\\b`, 'm'), `${c} is listed`);
});
