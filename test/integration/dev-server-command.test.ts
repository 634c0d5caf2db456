// `erp-bridge dev-server` prints the gRPC and Web UI addresses, the UI answers there, and Ctrl-C stops it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { request } from 'undici';
import { freePort } from '../../src/temporal/dev-server';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { waitUntil } from '../support/wait';

test('dev-server prints its addresses, serves the Web UI, and stops on SIGINT', async () => {
  const [port, uiPort] = [await freePort(), await freePort()];
  const db = path.join(mkdtempSync(path.join(os.tmpdir(), 'erp-bridge-dev-')), 'temporal.db');
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'dev-server', '--port', String(port), '--ui-port', String(uiPort), '--db-file', db]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  try {
    await waitUntil('the addresses to be printed', async () => (out.includes('Web UI') ? true : undefined), 90_000);
    assert.match(out, new RegExp(`Temporal gRPC: 127\\.0\\.0\\.1:${port}`));
    assert.match(out, new RegExp(`Temporal Web UI: http://127\\.0\\.0\\.1:${uiPort}`));
    const ui = await request(`http://127.0.0.1:${uiPort}/`);
    assert.equal(ui.statusCode, 200);
    assert.match(await ui.body.text(), /<html/i);
  } finally {
    child.kill('SIGINT');
  }
  assert.equal(await exited, 0);
});
