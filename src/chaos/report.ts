// The chaos run's printout: what was done to the system, and what the invariants found.
import type { ChaosReport } from './run';

export function formatChaosReport(r: ChaosReport): string[] {
  const c = r.verdict.counts;
  const v = r.verification;
  const lines = [
    `chaos run: ${r.options.refunds} refunds, seed ${r.options.seed}, ${(r.elapsedMs / 1000).toFixed(0)} s`,
    `  worker: ${r.workerKills} SIGKILLs, ${r.workerStarts} starts, ${r.workerUnexpectedExits} exits it did not ask for; dev server restarts: ${r.serverRestarts}`,
    `  Jushuitan faults: ${fmt(r.faultsFired.jushuitan)}; records inserted mid-run: ${r.inserted}`,
    `  Kingdee faults:   ${fmt(r.faultsFired.kingdee)}`,
    `  Kingdee calls:    ${fmt(r.faultsFired.kingdeeCalls)}`,
    `  chaos polls: ${r.polls} (pages ${r.pollCounts.pages}, slice restarts ${r.pollCounts.restarts}, started ${r.pollCounts.started}, updated ${r.pollCounts.updated})`,
    `  verification poll: read ${v.fetched}, started ${v.started}, already done ${v.alreadyDone}, updated ${v.updated}, ` +
      `skipped ${Object.values(v.skipped).reduce((a, b) => a + b, 0)}, invalid ${v.invalid}`,
    `records ${c.records}: eligible ${c.eligible} → synced ${c.synced}, parked ${c.parkedEligible}; ` +
      `bad records parked ${c.invalidParked}; ineligible skipped ${c.skipped}; without as_id ${c.unidentified}; unaccounted ${c.unaccounted}`,
    `Kingdee return bills: ${c.bills} (${c.synced} of synced refunds, ${c.parkedBills} of parked ones, left in place)`,
  ];
  for (const p of r.verdict.parked) {
    lines.push(`  parked ${p.asId} at ${p.step}: ${p.reason}${p.billStatus ? ` (bill in status ${p.billStatus})` : ''}`);
  }
  if (r.verdict.violations.length === 0) {
    lines.push('OK: every invariant holds');
  } else {
    lines.push(`VIOLATIONS (${r.verdict.violations.length}):`);
    for (const violation of r.verdict.violations.slice(0, 50)) lines.push(`  ${violation}`);
    if (r.verdict.violations.length > 50) lines.push(`  … and ${r.verdict.violations.length - 50} more`);
  }
  if (r.kept) lines.push(`server database and logs: ${r.dataDir}`);
  return lines;
}

function fmt(counts: Record<string, number>): string {
  const entries = Object.entries(counts).filter(([, n]) => n > 0);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k} ×${n}`).join(', ');
}
