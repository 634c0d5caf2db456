// `reconcile` output: a table with totals for people, or `{"summary", "items"}` JSON for scripts.
import { formatBeijing } from '../lib/beijing-time';
import type { ReconcileReport, ReconcileSummary } from './types';

const TOTALS: Array<[keyof ReconcileSummary, string]> = [
  ['records', 'Jushuitan records'],
  ['eligible', 'eligible'],
  ['synced', 'synced (one matching audited bill)'],
  ['skipped', 'skipped'],
  ['accepted', 'drift accepted'],
  ['parked', 'parked'],
  ['running', 'running'],
  ['drifted', 'drifted'],
  ['missing', 'missing'],
  ['duplicate', 'duplicate'],
  ['mismatch', 'mismatch'],
  ['stray', 'stray'],
];

export function reconcileJson(report: ReconcileReport): string {
  return JSON.stringify({ summary: report.summary, items: report.items.map(({ asId, problem, detail, billNo }) => ({ asId, problem, detail, billNo })) }, null, 2);
}

/** Columns padded to their widest cell; the detail column last and unpadded (it may be Chinese). */
function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function reconcileTable(report: ReconcileReport, range: { from: Date; to: Date; shopId?: string }): string {
  const out = [`Reconcile ${formatBeijing(range.from)} → ${formatBeijing(range.to)} (Beijing time, modified)${range.shopId ? `, shop ${range.shopId}` : ''}`, ''];
  const width = Math.max(...TOTALS.map(([, label]) => label.length));
  for (const [key, label] of TOTALS) out.push(`${label.padEnd(width)}  ${String(report.summary[key]).padStart(6)}`);
  out.push('');
  if (report.items.length === 0) {
    out.push('Clean: every eligible refund has exactly one matching audited bill, nothing else is wrong.');
  } else {
    out.push(`Problems (${report.items.length})`, ...columns([['AS_ID', 'PROBLEM', 'BILL', 'DETAIL'], ...report.items.map((i) => [i.asId, i.problem, i.billNo || '-', i.detail])]));
  }
  return out.join('\n');
}
