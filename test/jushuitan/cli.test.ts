// End to end through the binary: `erp-bridge jst refunds` against a simulator started here, and
// `erp-bridge sim` printing its one JSON line.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { formatBeijing } from '../../src/lib/beijing-time';
import { generateWorld } from '../../src/sim/world';
import { REAL_SIM_LIMITS, withSimulator } from './support/helpers';

const BIN = path.join(__dirname, '..', '..', 'bin', 'erp-bridge.js');
const run = promisify(execFile);
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-21T00:00:00Z');

test('`erp-bridge jst refunds --json` over 20 days prints each of 500 refunds once, within the API limits', async () => {
  const world = generateWorld({ seed: 31, refunds: 500, from: FROM, to: TO });
  await withSimulator({ world, rateLimits: REAL_SIM_LIMITS }, async (sim) => {
    const c = sim.credentials;
    const env = {
      ...process.env,
      JST_BASE_URL: sim.baseUrl, JST_APP_KEY: c.appKey, JST_APP_SECRET: c.appSecret, JST_ACCESS_TOKEN: c.accessToken, JST_REFRESH_TOKEN: c.refreshToken,
    };
    const { stdout, stderr } = await run(process.execPath, [BIN, 'jst', 'refunds', '--from', formatBeijing(FROM), '--to', formatBeijing(TO), '--json'], { env });
    const ids = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { as_id: string }).as_id);
    assert.equal(ids.length, 500);
    assert.deepEqual([...ids].sort(), world.refunds.map((r) => String(r.as_id)).sort());
    assert.match(stderr, /^500 refund\(s\)/m);

    const counters = sim.counters.snapshot();
    assert.ok(counters.maxPageSize <= 50, `page_size ${counters.maxPageSize}`);
    assert.ok(counters.maxWindowSeconds <= 7 * 86_400, `window ${counters.maxWindowSeconds}s`);
    assert.equal(counters.byOutcome['199'] ?? 0, 0);
    assert.equal(counters.byOutcome['200'] ?? 0, 0);

    const table = await run(process.execPath, [BIN, 'jst', 'refunds', '--from', formatBeijing(FROM), '--to', formatBeijing(TO), '--status', 'Cancelled'], { env });
    const cancelled = world.refunds.filter((r) => r.status === 'Cancelled').length;
    assert.equal(table.stdout.trim().split('\n').length, cancelled + 1, 'a header and one row per record');
    assert.match(table.stderr, new RegExp(`^${cancelled} refund\\(s\\)`, 'm'));
  });
});

test('`erp-bridge jst refunds` names missing configuration', async () => {
  const env = { ...process.env, JST_BASE_URL: '', JST_APP_KEY: '', JST_APP_SECRET: '', JST_ACCESS_TOKEN: '' };
  await assert.rejects(run(process.execPath, [BIN, 'jst', 'refunds', '--from', '2026-01-01 00:00:00', '--to', '2026-01-02 00:00:00'], { env }), (err: { stderr: string }) =>
    /JST_BASE_URL, JST_APP_KEY, JST_APP_SECRET, JST_ACCESS_TOKEN/.test(err.stderr));
});

test('`erp-bridge sim` prints one JSON line with working credentials and stops on SIGINT', async () => {
  const child = spawn(process.execPath, [BIN, 'sim', '--seed', '4', '--refunds', '30'], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [line] = await new Promise<string[]>((resolve) => createInterface({ input: child.stdout }).once('line', (l) => resolve([l])));
    const info = JSON.parse(line!) as { seed: number; refunds: number; jushuitan: { baseUrl: string; env: Record<string, string> } };
    assert.equal(info.seed, 4);
    assert.equal(info.refunds, 30);
    assert.match(info.jushuitan.baseUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    const { stdout } = await run(process.execPath, [BIN, 'jst', 'refunds', '--from', '2025-12-31 00:00:00', '--to', '2026-01-21 23:59:59', '--json'], {
      env: { ...process.env, ...info.jushuitan.env },
    });
    assert.equal(stdout.trim().split('\n').length, 30);
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    assert.equal(await exited, 0);
  }
});
