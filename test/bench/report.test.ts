import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { niceStep, throughputChartSvg } from '../../src/bench/chart';
import { processCpuMs } from '../../src/bench/cpu';
import { cpuShareNote, markdownTable, percent, seconds, writeReport, type BenchReport } from '../../src/bench/report';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import type { RunResult } from '../../src/bench/results';

test('markdown tables align numbers right and escape pipes', () => {
  const table = markdownTable(['Run', 'Refunds/s'], [['a|b', '12.5']], ['l', 'r']);
  assert.equal(table, ['| Run | Refunds/s |', '| --- | ---: |', '| a\\|b | 12.5 |'].join('\n'));
});

test('seconds and percentages are formatted for the table, unknown values as n/a', () => {
  assert.equal(seconds(1234), '1.23');
  assert.equal(seconds(123_456), '123.5');
  assert.equal(seconds(null), 'n/a');
  assert.equal(percent(0.456), '46%');
  assert.equal(percent(undefined), 'n/a');
});

test('chart axis steps are 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(100, 5), 20);
  assert.equal(niceStep(7, 4), 2);
  assert.equal(niceStep(0.9, 4), 0.5);
  assert.equal(niceStep(0), 1);
});

test('the chart has one panel per run with its reference lines, and escapes text', () => {
  const svg = throughputChartSvg('A & B', [
    { title: 'Ceiling <no-op>', points: [{ atSeconds: 1, perSecond: 10 }, { atSeconds: 2, perSecond: 20 }], references: [{ label: 'average 15/s', value: 15, color: '#0a0' }] },
    { title: 'Realistic', points: [{ atSeconds: 10, perSecond: 3 }], references: [] },
  ]);
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.ok(svg.includes('A &amp; B') && svg.includes('Ceiling &lt;no-op&gt;'));
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
  assert.equal((svg.match(/stroke-dasharray/g) ?? []).length, 1);
  assert.ok(svg.includes('average 15/s'));
});

test('process CPU is read from /proc stat fields 14 and 15, whatever the command name holds', () => {
  const stat = '4242 (temporal (dev) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 12 0 100 0 0';
  assert.equal(processCpuMs(4242, () => stat), 3000);
  assert.equal(processCpuMs(4242, () => { throw new Error('no /proc'); }), null);
});

test('the CPU share compares CPU per refund of the engine and ceiling runs, when both ran', () => {
  const run = (kind: 'ceiling' | 'engine', total: number | null) => ({ kind, cpuMsPerRefund: { bench: 0, server: null, total } }) as unknown as RunResult;
  assert.match(cpuShareNote([run('ceiling', 45), run('engine', 135)]), /costs 135 ms against the ceiling's 45 ms: 33% of the ceiling/);
  assert.equal(cpuShareNote([run('engine', 135)]), '');
  assert.equal(cpuShareNote([run('ceiling', 45), run('engine', null)]), '');
});

test('the report links the SVG it always writes, and never leaves an earlier run\'s PNG behind', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-report-'));
  try {
    const report = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'bench-results', 'latest.json'), 'utf8')) as BenchReport;
    writeFileSync(path.join(dir, 'throughput.png'), 'a chart of another run');
    const { pngConverter } = writeReport(dir, report);
    assert.match(readFileSync(path.join(dir, 'latest.md'), 'utf8'), /!\[throughput over time\]\(throughput\.svg\)/);
    assert.ok(existsSync(path.join(dir, 'throughput.svg')));
    const png = path.join(dir, 'throughput.png');
    if (pngConverter) assert.notEqual(readFileSync(png, 'utf8'), 'a chart of another run');
    else assert.ok(!existsSync(png), 'no converter: the stale PNG is removed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
