// The Jushuitan side of `reconcile`: every record modified in the range, read through the connector's
// window iterator (≤ 7-day slices, steady passes, its rate limits), each with the scheme's verdict and,
// when eligible, the bill that mapping it now gives (lookups resolved a page at a time).
import { iterateRefunds, type RefundPageSource } from '../connectors/jushuitan';
import type { RefundPage, RefundPageQuery } from '../connectors/jushuitan/client';
import type { JstRefund } from '../connectors/jushuitan/schemas';
import type { Schemes } from '../activities/ports';
import type { SourceRecord } from '../workflows/messages';
import { linesOfModel } from './bill-lines';
import type { ExpectedBill, JstRecordView } from './types';

/** Lookups are resolved for this many records at once: one Kingdee query per collection per batch. */
const MAPPING_BATCH = 50;
const INVALID_MARK = '__reconcileInvalid';

type Marked = JstRefund & { [INVALID_MARK]?: string };

/**
 * A page source that keeps records failing validation in the stream as markers (their as_id, version and
 * error), so the iterator's counts still add up and the record is reported instead of failing the run.
 */
function keepingInvalid(client: RefundPageSource, unidentified: string[]): RefundPageSource {
  return {
    clock: client.clock,
    async queryRefundPage(q: RefundPageQuery): Promise<RefundPage> {
      const page = await client.queryRefundPage({ ...q, invalidRecords: 'separate' });
      const markers: Marked[] = [];
      for (const bad of page.invalid ?? []) {
        if (bad.asId === undefined) {
          unidentified.push(bad.error);
          continue;
        }
        const raw = (typeof bad.raw === 'object' && bad.raw !== null ? bad.raw : {}) as Record<string, unknown>;
        markers.push({ as_id: bad.asId, modified: typeof raw.modified === 'string' ? raw.modified : '', ts: null, [INVALID_MARK]: bad.error } as unknown as Marked);
      }
      // A record without an as_id cannot be counted among the distinct ones: the page's count drops by one.
      const unusable = (page.invalid ?? []).filter((b) => b.asId === undefined).length;
      return { ...page, records: [...page.records, ...markers], dataCount: page.dataCount === undefined ? undefined : page.dataCount - unusable };
    },
  };
}

export interface JstReadOptions {
  schemeId: string;
  from: Date;
  to: Date;
  shopId?: string;
  /** Called with the number of records read so far. */
  onRecord?: (read: number) => void;
  /** Called with records mapped so far and the eligible total. */
  onMapped?: (done: number, total: number) => void;
}

export interface JstReadResult {
  records: JstRecordView[];
  /** Records without a usable as_id: nothing can hold them; each is reported by its validation error. */
  unidentified: string[];
}

async function expectedBills(schemes: Schemes, schemeId: string, records: readonly SourceRecord[]): Promise<ExpectedBill[]> {
  let answers: unknown[];
  try {
    answers = await schemes.lookupsForMany(schemeId, [...records]);
  } catch (err) {
    // One batch's lookups failed as a whole: try record by record so one bad record cannot hide the rest.
    answers = await Promise.all(records.map((r) => schemes.lookups(schemeId, r).catch((e: unknown) => e)));
    if (answers.every((a) => a instanceof Error)) throw err;
  }
  return records.map((record, i): ExpectedBill => {
    const answer = answers[i];
    if (answer instanceof Error) return { ok: false, error: `lookups failed: ${answer.message}` };
    const prepared = schemes.prepare(schemeId, record, answer);
    if (!prepared.ok) return { ok: false, error: prepared.errors.join('; ') };
    return { ok: true, billNo: prepared.billNo, lines: linesOfModel(prepared.model) };
  });
}

export async function readJstRecords(client: RefundPageSource, schemes: Schemes, options: JstReadOptions): Promise<JstReadResult> {
  const unidentified: string[] = [];
  const views: JstRecordView[] = [];
  const eligible: Array<{ view: JstRecordView; record: SourceRecord }> = [];
  const source = keepingInvalid(client, unidentified);
  for await (const refund of iterateRefunds(source, { from: options.from, to: options.to, shopId: options.shopId })) {
    const record = refund as unknown as SourceRecord & Marked;
    const base = { asId: String(record.as_id), shopId: String(record.shop_id ?? ''), modified: String(record.modified ?? '') };
    const invalid = record[INVALID_MARK];
    if (invalid !== undefined) {
      views.push({ ...base, verdict: { kind: 'invalid', reason: `invalid Jushuitan record: ${invalid}` } });
    } else {
      let verdict: ReturnType<Schemes['eligibility']>;
      try {
        verdict = schemes.eligibility(options.schemeId, record);
      } catch (err) {
        verdict = { eligible: false, reason: `cannot decide eligibility: ${err instanceof Error ? err.message : String(err)}` };
        views.push({ ...base, verdict: { kind: 'invalid', reason: verdict.reason } });
        options.onRecord?.(views.length);
        continue;
      }
      if (verdict.eligible) {
        const view: JstRecordView = { ...base, verdict: { kind: 'eligible', expected: { ok: false, error: 'not mapped yet' } } };
        views.push(view);
        eligible.push({ view, record });
      } else {
        views.push({ ...base, verdict: { kind: 'ineligible', reason: verdict.reason } });
      }
    }
    options.onRecord?.(views.length);
  }

  for (let i = 0; i < eligible.length; i += MAPPING_BATCH) {
    const batch = eligible.slice(i, i + MAPPING_BATCH);
    const expected = await expectedBills(schemes, options.schemeId, batch.map((e) => e.record));
    batch.forEach((e, j) => {
      e.view.verdict = { kind: 'eligible', expected: expected[j]! };
    });
    options.onMapped?.(Math.min(i + MAPPING_BATCH, eligible.length), eligible.length);
  }
  return { records: views, unidentified };
}
