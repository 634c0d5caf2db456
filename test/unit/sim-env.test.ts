// `sim --env`: export lines a shell reads back unchanged, and the world's date range with a backfill covering it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { exportLines, simEnvBlock, worldDateRange } from '../../src/cli/sim-env';
import { generateWorld } from '../../src/sim/world';

test('export lines survive a POSIX shell, quotes included', () => {
  const env = { A_VALUE: "it's $HOME `x` \\ \"q\"", B: 'plain' };
  const script = `${exportLines(env).join('\n')}\nprintf '%s|%s' "$A_VALUE" "$B"`;
  assert.equal(execFileSync('sh', ['-c', script], { encoding: 'utf8' }), `${env.A_VALUE}|plain`);
});

test('the block states the date range of the world and a backfill that covers it', () => {
  const world = generateWorld({ seed: 3, refunds: 20, from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-10T00:00:00Z') });
  const range = worldDateRange(world)!;
  const modified = world.refunds.map((r) => r.modified);
  assert.equal(range.from, modified.reduce((a, b) => (a < b ? a : b)));
  assert.equal(range.to, modified.reduce((a, b) => (a > b ? a : b)));
  const lines = simEnvBlock(world, { JST_BASE_URL: 'http://127.0.0.1:1' });
  assert.ok(lines.includes(`# refunds modified ${range.from} .. ${range.to} (Beijing time)`), lines.join('\n'));
  const backfill = lines.find((l) => l.includes('backfill'))!;
  const [, from, to] = /--from (\S+) --to (\S+)/.exec(backfill)!;
  assert.ok(from! <= range.from.slice(0, 10) && to! > range.to.slice(0, 10), backfill);
  assert.equal(lines.at(-1), "export JST_BASE_URL='http://127.0.0.1:1'");
});
