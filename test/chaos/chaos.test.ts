// The chaos run inside the suite, small: 60 refunds under faults on both simulators, the worker (a separate
// process) SIGKILLed three times, the dev server (its own, on a temporary database) restarted once. Nothing
// is lost, nothing is written twice, every refund ends synced, parked with its reason or skipped with its
// reason. It waits on conditions, never on the clock; a write lost with a killed worker is retried only after
// its 3-minute start-to-close timeout, so this file takes about 3-4 minutes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatChaosReport } from '../../src/chaos/report';
import { runChaos } from '../../src/chaos/run';

test('60 refunds through faults, 3 worker kills and a dev-server restart: nothing lost, nothing twice', { timeout: 12 * 60_000 }, async (t) => {
  const lines: string[] = [];
  const report = await runChaos({ refunds: 60, seed: 3, kills: 3, settleTimeoutMs: 8 * 60_000, log: (line) => lines.push(line) });
  const printout = [...lines, '', ...formatChaosReport(report)].join('\n');
  t.diagnostic(formatChaosReport(report).join('\n')); // in CI's output whatever happens: which faults fired, what parked

  assert.deepEqual(report.verdict.violations, [], printout);
  assert.equal(report.workerKills, 3, 'three SIGKILLs');
  assert.equal(report.workerStarts, 4, 'and a start after each');
  assert.equal(report.workerUnexpectedExits, 0, `the worker never died by itself\n${printout}`);
  assert.equal(report.serverRestarts, 1, 'the dev server restarted once');
  assert.equal(report.inserted, 5, 'records appeared between pages');

  for (const fault of ['199', '200', 'http_5xx', 'malformed']) assert.ok((report.faultsFired.jushuitan[fault] ?? 0) > 0, `Jushuitan ${fault} fired`);
  for (const fault of ['sessionDrop', 'networkLock', 'http5xx', 'latency', 'commitThenDrop']) {
    assert.ok((report.faultsFired.kingdee[fault] ?? 0) > 0, `Kingdee ${fault} fired`);
  }

  const c = report.verdict.counts;
  assert.equal(c.records, 60);
  assert.equal(c.unaccounted, 0, printout);
  // A refund Kingdee refuses to audit keeps its bill only when no Save reply proved it ours (a lost reply, adopted).
  for (const p of report.verdict.parked.filter((x) => x.billStatus !== undefined)) {
    assert.ok(p.step === 'audit' && p.reason.includes('left in place'), `parked ${p.asId} keeps a bill in status ${p.billStatus}\n${printout}`);
  }
  assert.equal(c.bills, c.synced + c.parkedBills, `one bill per synced refund, none else but a parked one left in place\n${printout}`);
  assert.equal(c.invalidParked, 7, 'every planted bad record parked with its validation reason');
  // The planted records that Kingdee or the lookups refuse park; every ordinary refund syncs despite the chaos.
  assert.deepEqual(report.verdict.parked.map((p) => p.step).sort(), ['audit', 'mapping', 'mapping'], printout);
  assert.equal(c.synced, c.eligible - 3, printout);
});
