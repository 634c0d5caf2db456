// The daily report, pure: refund listings in, counts by status and reason plus the parked list out, as data
// (for --json) or as a plain-text table. Knows nothing of Temporal beyond the RefundListing row shape.
import { formatBeijing } from '../lib/beijing-time';
import type { RefundListing } from '../temporal/refund-ops';

export const REPORT_STATUSES = ['Synced', 'Parked', 'Skipped', 'Cancelled', 'Failed', 'Running', 'Unknown'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Executions that ended without the workflow finishing its own way (an operator terminated it, say). */
const CLOSED_UNFINISHED = new Set(['TERMINATED', 'FAILED', 'TIMED_OUT', 'CANCELLED']);

export interface ParkedRefund {
  asId: string;
  workflowId: string;
  failedStep?: string;
  reason?: string;
  startTime: string;
}

export interface RefundReport {
  range: { from: string; to: string };
  schemeId?: string;
  /** Distinct refunds (a workflow id counts once, whatever its runs). */
  total: number;
  /** True when the listing stopped at its limit: counts then cover only the refunds read. */
  truncated: boolean;
  byStatus: Record<ReportStatus, number>;
  byReason: Array<{ status: ReportStatus; reason: string; count: number }>;
  parked: ParkedRefund[];
}

/**
 * The status a row stands for. A closed execution cannot still be running or parked: one that was
 * terminated, timed out or failed while its search attribute said so counts as Failed (cancelled: Cancelled).
 */
export function effectiveStatus(row: Pick<RefundListing, 'status' | 'execution'>): ReportStatus {
  const claimsOpen = row.status === 'Running' || row.status === 'Parked' || row.status === 'Unknown';
  if (claimsOpen && row.execution === 'CANCELLED') return 'Cancelled';
  if (claimsOpen && CLOSED_UNFINISHED.has(row.execution)) return 'Failed';
  return row.status;
}

/** Keeps one row per workflow id: the latest run (continue-as-new starts a new run with the same id). */
function latestRuns(rows: readonly RefundListing[]): RefundListing[] {
  const byId = new Map<string, RefundListing>();
  for (const row of rows) {
    const seen = byId.get(row.workflowId);
    if (!seen || row.startTime.getTime() > seen.startTime.getTime()) byId.set(row.workflowId, row);
  }
  return [...byId.values()];
}

export function buildRefundReport(
  rows: readonly RefundListing[],
  options: { from: Date; to: Date; schemeId?: string; truncated?: boolean },
): RefundReport {
  const refunds = latestRuns(rows);
  const byStatus = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0])) as Record<ReportStatus, number>;
  const reasons = new Map<string, { status: ReportStatus; reason: string; count: number }>();
  const parked: ParkedRefund[] = [];
  for (const row of refunds) {
    const status = effectiveStatus(row);
    byStatus[status] += 1;
    const reason = row.reason?.trim() || (status !== row.status ? `workflow ${row.execution.toLowerCase()}` : undefined);
    if (reason && status !== 'Synced' && status !== 'Running') {
      const key = `${status}\u0000${reason}`;
      const entry = reasons.get(key) ?? { status, reason, count: 0 };
      entry.count += 1;
      reasons.set(key, entry);
    }
    if (status === 'Parked') {
      parked.push({ asId: row.asId, workflowId: row.workflowId, failedStep: row.failedStep, reason: row.reason, startTime: row.startTime.toISOString() });
    }
  }
  const statusOrder = (s: ReportStatus) => REPORT_STATUSES.indexOf(s);
  return {
    range: { from: options.from.toISOString(), to: options.to.toISOString() },
    ...(options.schemeId ? { schemeId: options.schemeId } : {}),
    total: refunds.length,
    truncated: options.truncated ?? false,
    byStatus,
    byReason: [...reasons.values()].sort((a, b) => statusOrder(a.status) - statusOrder(b.status) || b.count - a.count || a.reason.localeCompare(b.reason)),
    parked: parked.sort((a, b) => a.startTime.localeCompare(b.startTime) || a.asId.localeCompare(b.asId)),
  };
}

// ---- text --------------------------------------------------------------------------------------------

/**
 * Aligned columns (those in `right` right-aligned); the last column is free text and never padded, since
 * reasons may be Chinese and String#padEnd does not know display widths.
 */
function table(header: string[], rows: string[][], right: number[] = []): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (c: string, i: number, last: boolean) => (right.includes(i) ? c.padStart(widths[i]!) : last ? c : c.padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map((c, i) => cell(c, i, i === cells.length - 1)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export function formatRefundReport(report: RefundReport): string {
  const from = formatBeijing(new Date(report.range.from));
  const to = formatBeijing(new Date(report.range.to));
  const out = [
    `Refunds started ${from} → ${to} (Beijing time)${report.schemeId ? `, scheme ${report.schemeId}` : ''}: ${report.total}`,
  ];
  if (report.truncated) out.push(`(listing stopped at its limit: counts cover the first ${report.total} refunds; raise --limit)`);

  out.push('', ...table(['STATUS', 'COUNT'], REPORT_STATUSES.filter((s) => report.byStatus[s] > 0 || (s !== 'Unknown' && s !== 'Cancelled')).map((s) => [s, String(report.byStatus[s])]), [1]));

  if (report.byReason.length > 0) {
    out.push('', ...table(['STATUS', 'COUNT', 'REASON'], report.byReason.map((r) => [r.status, String(r.count), r.reason]), [1]));
  }

  out.push('', `Parked (${report.parked.length})`);
  if (report.parked.length === 0) {
    out.push('  none');
  } else {
    out.push(
      ...table(
        ['AS_ID', 'STEP', 'STARTED', 'REASON'],
        report.parked.map((p) => [p.asId, p.failedStep ?? '-', formatBeijing(new Date(p.startTime)), p.reason ?? '']),
      ),
    );
    out.push('', 'Reprocess after fixing the cause: erp-bridge reprocess <as_id> … (or --all-parked)');
  }
  return out.join('\n');
}
