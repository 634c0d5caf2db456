// Paging activity for the poller: one page of the refund query, eligibility applied, records projected to
// the scheme's fields, and the page's lookups resolved in one batch (one query per collection).
import { log } from '@temporalio/activity';
import { formatBeijing } from '../lib/beijing-time';
import type { RefundSummary, SourceRecord, LookupAnswers } from '../workflows/messages';
import { toActivityFailure } from './errors';
import type { RefundSource, Schemes } from './ports';

export interface FetchRefundPageInput { schemeId: string; begin: string; end: string; pageIndex: number }

export interface FetchedRefundPage {
  eligible: Array<{ refund: RefundSummary; record: SourceRecord; answers?: LookupAnswers }>;
  skipped: Array<{ asId: string; reason: string }>;
  hasNext: boolean;
  dataCount?: number;
  fetched: number;
}

export function summarizeRefund(record: SourceRecord): RefundSummary {
  const items = Array.isArray(record.items) ? record.items : [];
  return {
    asId: String(record.as_id),
    shopId: String(record.shop_id ?? ''),
    shopName: String(record.shop_name ?? ''),
    lines: items.length,
    modified: String(record.modified ?? ''),
  };
}

export function createJushuitanActivities(deps: { refunds: RefundSource; schemes: Schemes }) {
  const { refunds, schemes } = deps;
  return {
    async fetchRefundPage(input: FetchRefundPageInput): Promise<FetchedRefundPage> {
      const { pageSize } = schemes.sourceConfig(input.schemeId);
      const page = await refunds
        .queryRefundPage({
          modifiedBegin: formatBeijing(new Date(input.begin)),
          modifiedEnd: formatBeijing(new Date(input.end)),
          pageIndex: input.pageIndex,
          pageSize,
        })
        .catch((err: unknown) => {
          throw toActivityFailure(err);
        });

      const skipped: FetchedRefundPage['skipped'] = [];
      const eligible: SourceRecord[] = [];
      for (const record of page.records) {
        const verdict = schemes.eligibility(input.schemeId, record);
        if (verdict.eligible) eligible.push(record);
        else skipped.push({ asId: String(record.as_id), reason: verdict.reason });
      }

      // Prefetching is an optimisation: if Kingdee is down now, each refund resolves its own lookups later.
      let answers: LookupAnswers[] | undefined;
      try {
        answers = eligible.length > 0 ? await schemes.lookupsForMany(input.schemeId, eligible) : [];
      } catch (err) {
        log.warn('page lookups failed; refunds will look up on their own', { error: String(err) });
      }

      return {
        eligible: eligible.map((record, i) => ({
          refund: summarizeRefund(record),
          record: schemes.project(input.schemeId, record),
          answers: answers?.[i],
        })),
        skipped,
        hasNext: page.hasNext,
        dataCount: page.dataCount,
        fetched: page.records.length,
      };
    },
  };
}
