// `erp-bridge report`: counts by status and reason, and the parked list, for refunds started in a range.
import type { Command } from 'commander';
import { parseTimeFlag } from './time-flag';
import { withClient } from './with-client';
import { collectRefundReport, DEFAULT_REPORT_LIMIT } from '../report/collect';
import { formatRefundReport } from '../report/refund-report';

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--limit must be a positive integer (got ${JSON.stringify(text)})`);
  return n;
}

interface ReportOptions {
  from: string;
  to: string;
  scheme?: string;
  json?: boolean;
  limit: string;
}

/** `print` is where the report goes (stdout by default; tests capture it). */
export function registerReportCommand(program: Command, print: (text: string) => void = (t) => console.log(t)): void {
  program
    .command('report')
    .description('Counts by status and reason, and the parked refunds with their reasons, for refunds started in a time range')
    .requiredOption('--from <time>', '"YYYY-MM-DD HH:mm:ss" Beijing time, or ISO-8601 (inclusive)')
    .requiredOption('--to <time>', '"YYYY-MM-DD HH:mm:ss" Beijing time, or ISO-8601 (exclusive)')
    .option('--scheme <id>', 'only this scheme')
    .option('--json', 'print the report as JSON')
    .option('--limit <n>', 'read at most this many workflows', String(DEFAULT_REPORT_LIMIT))
    .action(async (opts: ReportOptions) => {
      const from = parseTimeFlag('--from', opts.from);
      const to = parseTimeFlag('--to', opts.to);
      if (to <= from) throw new Error('--to must be after --from');
      const limit = parseLimit(opts.limit);
      const report = await withClient((client) => collectRefundReport(client, { from, to, schemeId: opts.scheme, limit }));
      print(opts.json ? JSON.stringify(report, null, 2) : formatRefundReport(report));
    });
}
