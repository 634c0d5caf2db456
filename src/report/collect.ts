// Reads the report's rows from Temporal visibility through the shared refund queries.
import type { Client } from '@temporalio/client';
import { countRefunds, listRefunds } from '../temporal/refund-ops';
import { buildRefundReport, type RefundReport } from './refund-report';

export interface ReportRange {
  from: Date;
  to: Date;
  schemeId?: string;
  /** Most workflows read from visibility. */
  limit?: number;
}

export const DEFAULT_REPORT_LIMIT = 20_000;

/** syncRefund workflows started in [from, to), optionally of one scheme, aggregated. */
export async function collectRefundReport(client: Client, range: ReportRange): Promise<RefundReport> {
  if (range.to.getTime() <= range.from.getTime()) throw new Error('report range is empty: --to must be after --from');
  const filter = { schemeId: range.schemeId, since: range.from, until: range.to };
  const limit = range.limit ?? DEFAULT_REPORT_LIMIT;
  const rows = await listRefunds(client, filter, limit);
  // Only when the listing hit its limit is a (cheap) count needed to tell whether rows were left out.
  const truncated = rows.length >= limit && (await countRefunds(client, filter)) > rows.length;
  return buildRefundReport(rows, { from: range.from, to: range.to, schemeId: range.schemeId, truncated });
}
