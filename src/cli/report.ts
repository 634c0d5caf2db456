// `erp-bridge report`: counts by status and reason, and the parked list, for refunds started in a range.
import type { Command } from 'commander';
import { parseTimeFlag, TIME_FLAG_HELP } from './time-flag';
import { withClient } from './with-client';
import { collectRefundReport, DEFAULT_REPORT_LIMIT } from '../report/collect';
import { formatRefundReport } from '../report/refund-report';

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--limit must be a positive integer (got ${JSON.stringify(text)})`);
  return n;
}

interface ReportOptions {
  from?: string;
  to?: string;
  scheme?: string;
  json?: boolean;
  limit: string;
}

/** The range asked for; without flags, the last 24 hours (to now). */
export function reportRange(opts: { from?: string; to?: string }, now: () => Date = () => new Date()): { from: Date; to: Date } {
  const to = opts.to === undefined ? now() : parseTimeFlag('--to', opts.to);
  const from = opts.from === undefined ? new Date(to.getTime() - DAY_MS) : parseTimeFlag('--from', opts.from);
  return { from, to };
}

const DAY_MS = 24 * 3600_000;

/** `print` is where the report goes (stdout by default; tests capture it). */
export function registerReportCommand(program: Command, print: (text: string) => void = (t) => console.log(t)): void {
  program
    .command('report')
    .description('Counts by status and reason, and the parked refunds with their reasons, for refunds started in a time range')
    .option('--from <time>', `${TIME_FLAG_HELP} (inclusive; default: 24 hours before --to)`)
    .option('--to <time>', `${TIME_FLAG_HELP} (exclusive; default: now)`)
    .option('--scheme <id>', 'only this scheme')
    .option('--json', 'print the report as JSON')
    .option('--limit <n>', 'read at most this many workflows', String(DEFAULT_REPORT_LIMIT))
    .action(async (opts: ReportOptions) => {
      const { from, to } = reportRange(opts);
      if (to <= from) throw new Error('--to must be after --from');
      const limit = parseLimit(opts.limit);
      const report = await withClient((client) => collectRefundReport(client, { from, to, schemeId: opts.scheme, limit }));
      print(opts.json ? JSON.stringify(report, null, 2) : formatRefundReport(report));
    });
}
