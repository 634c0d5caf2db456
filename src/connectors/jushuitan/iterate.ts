// Reads every after-sales record modified in [from, to], each as_id once with its newest version, although
// pages shift while they are read (jushuitan-refund-api.md §6). Per ≤ 7-day slice:
//  - a pass pages from 1 while has_next; it is *consistent* when every page reported the same data_count,
//    no as_id came twice and the distinct as_ids equal data_count. A touched record leaves its place, so
//    either data_count changes (it left the slice) or it shows up twice and one neighbour is skipped.
//  - a slice that reaches "now" (records can also move *into* it) additionally needs two consecutive
//    consistent passes with the same (as_id, ts) sequence.
//  - an unsteady slice is re-scanned (bounded), then halved; everything any pass saw is kept (newest wins),
//    so a record that moved out of the range after being seen is still reported.
// Ranges entirely in the past are yielded slice by slice; a range reaching "now" is yielded at the end,
// because a record touched during the scan can then reappear in a later slice.
import { parseBeijing } from '../../lib/beijing-time';
import type { Clock } from './clock';
import { MAX_PAGE_SIZE, type RefundPage, type RefundPageQuery } from './client';
import { JushuitanPermanentError, JushuitanRetryableError } from './errors';
import type { JstRefund } from './schemas';
import { MAX_WINDOW_MS, splitWindow, type WindowSlice } from './window';

/** What the iterator needs of a client (a JushuitanClient, or a fake in tests). */
export interface RefundPageSource {
  readonly clock: Clock;
  queryRefundPage(q: RefundPageQuery): Promise<RefundPage>;
}

export interface IterateRefundsOptions {
  from: Date;
  to: Date;
  /** Default and maximum 7 days. */
  maxSliceMs?: number;
  /** 1..50, default 50. */
  pageSize?: number;
  status?: string;
  shopId?: string;
  /** Passes per slice before it is halved. Default 4. */
  maxPassesPerSlice?: number;
  /** How many times an unsteady slice may be halved before giving up. Default 3. */
  maxHalvings?: number;
  /** A slice ending later than now − liveMarginMs is treated as live (covers clock skew). Default 10 min. */
  liveMarginMs?: number;
  /** A pass that needs more pages than this fails loudly (a has_next that never turns false). Default 10,000. */
  maxPagesPerPass?: number;
}

interface Settings {
  pageSize: number;
  status?: string;
  shopId?: string;
  maxPasses: number;
  maxHalvings: number;
  liveMarginMs: number;
  maxPagesPerPass: number;
}

interface Pass {
  records: JstRefund[];
  consistent: boolean;
}

/** A hard stop for a server whose has_next never turns false: 500,000 records in one ≤ 7-day slice. */
const MAX_PAGES_PER_PASS = 10_000;

function timeOf(record: JstRefund): number {
  return parseBeijing(record.modified)?.getTime() ?? Number.NEGATIVE_INFINITY;
}

function tsOf(record: JstRefund): bigint {
  return record.ts != null && /^-?\d+$/.test(record.ts) ? BigInt(record.ts) : -1n;
}

/** Greater `modified` wins; ties go to the greater `ts` (§6.2 step 5). */
function isNewer(candidate: JstRefund, current: JstRefund): boolean {
  const dt = timeOf(candidate) - timeOf(current);
  return dt !== 0 ? dt > 0 : tsOf(candidate) > tsOf(current);
}

function keep(into: Map<string, JstRefund>, record: JstRefund): void {
  const current = into.get(record.as_id);
  if (!current || isNewer(record, current)) into.set(record.as_id, record);
}

/** The API's own order: modified, then as_id. */
function byModifiedThenId(a: JstRefund, b: JstRefund): number {
  const dt = timeOf(a) - timeOf(b);
  if (dt !== 0) return dt;
  const ia = BigInt(a.as_id);
  const ib = BigInt(b.as_id);
  return ia < ib ? -1 : ia > ib ? 1 : 0;
}

function sameSequence(a: readonly JstRefund[], b: readonly JstRefund[]): boolean {
  return a.length === b.length && a.every((r, i) => r.as_id === b[i]!.as_id && r.ts === b[i]!.ts && r.modified === b[i]!.modified);
}

async function scanOnce(client: RefundPageSource, slice: WindowSlice, s: Settings): Promise<Pass> {
  const records: JstRefund[] = [];
  const counts = new Set<number | undefined>();
  for (let pageIndex = 1; pageIndex <= s.maxPagesPerPass; pageIndex++) {
    const page = await client.queryRefundPage({
      modifiedBegin: slice.begin,
      modifiedEnd: slice.end,
      pageIndex,
      pageSize: s.pageSize,
      status: s.status,
      shopId: s.shopId,
    });
    records.push(...page.records);
    counts.add(page.dataCount);
    // The last page: has_next says so, the page is empty, or it is the last of the reported page count.
    const pastCount = page.pageCount !== undefined && pageIndex >= page.pageCount;
    if (!page.hasNext || page.records.length === 0 || pastCount) {
      const distinct = new Set(records.map((r) => r.as_id)).size;
      const dataCount = page.dataCount;
      const consistent = counts.size === 1 && distinct === records.length && (dataCount === undefined || dataCount === distinct);
      return { records, consistent };
    }
  }
  throw new JushuitanPermanentError(
    `paging ${slice.begin} .. ${slice.end} passed ${s.maxPagesPerPass} pages and the server still says has_next: stopped rather than read forever`,
    { code: 'page_cap', path: 'iterateRefunds' },
  );
}

function halves(slice: WindowSlice): [WindowSlice, WindowSlice] | undefined {
  const begin = parseBeijing(slice.begin)!.getTime();
  const end = parseBeijing(slice.end)!.getTime();
  if (end - begin < 1_000) return undefined;
  const middle = begin + Math.floor((end - begin) / 2_000) * 1_000;
  const [first] = splitWindow(new Date(begin), new Date(middle), MAX_WINDOW_MS);
  const [second] = splitWindow(new Date(middle + 1_000), new Date(end), MAX_WINDOW_MS);
  return [first!, second!];
}

/** Every record of the slice, read until a pass is steady; all versions seen are merged, newest wins. */
async function scanSlice(client: RefundPageSource, slice: WindowSlice, s: Settings, halvings = 0): Promise<Map<string, JstRefund>> {
  const seen = new Map<string, JstRefund>();
  const live = parseBeijing(slice.end)!.getTime() >= client.clock.now() - s.liveMarginMs;
  let previous: JstRefund[] | undefined;
  for (let pass = 1; pass <= s.maxPasses; pass++) {
    const result = await scanOnce(client, slice, s);
    for (const record of result.records) keep(seen, record);
    if (!result.consistent) {
      previous = undefined;
      continue;
    }
    if (!live || (previous && sameSequence(previous, result.records))) return seen;
    previous = result.records;
  }
  const parts = halvings < s.maxHalvings ? halves(slice) : undefined;
  if (!parts) {
    throw new JushuitanRetryableError(
      `records kept moving while ${slice.begin} .. ${slice.end} was paged (${s.maxPasses} passes, ${halvings} halvings)`,
      { code: 'unstable_window', path: 'iterateRefunds' },
    );
  }
  for (const part of parts) {
    for (const record of (await scanSlice(client, part, s, halvings + 1)).values()) keep(seen, record);
  }
  return seen;
}

/** Yields each after-sales record modified in [from, to] (inclusive, Beijing time on the wire) once. */
export async function* iterateRefunds(client: RefundPageSource, options: IterateRefundsOptions): AsyncGenerator<JstRefund> {
  const pageSize = options.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(`pageSize must be an integer in 1..${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  const maxSliceMs = options.maxSliceMs ?? MAX_WINDOW_MS;
  if (!(maxSliceMs >= 1_000 && maxSliceMs <= MAX_WINDOW_MS)) {
    throw new RangeError(`maxSliceMs must be between 1 s and 7 days, got ${maxSliceMs}`);
  }
  const settings: Settings = {
    pageSize,
    status: options.status,
    shopId: options.shopId,
    maxPasses: options.maxPassesPerSlice ?? 4,
    maxHalvings: options.maxHalvings ?? 3,
    liveMarginMs: options.liveMarginMs ?? 10 * 60_000,
    maxPagesPerPass: options.maxPagesPerPass ?? MAX_PAGES_PER_PASS,
  };
  const reachesNow = options.to.getTime() >= client.clock.now() - settings.liveMarginMs;
  const pending = new Map<string, JstRefund>();
  const yielded = new Set<string>();

  for (const slice of splitWindow(options.from, options.to, maxSliceMs)) {
    const records = await scanSlice(client, slice, settings);
    if (reachesNow) {
      for (const record of records.values()) keep(pending, record);
      continue;
    }
    for (const record of [...records.values()].sort(byModifiedThenId)) {
      if (yielded.has(record.as_id)) continue; // cannot happen for past slices; guards "once"
      yielded.add(record.as_id);
      yield record;
    }
  }
  yield* [...pending.values()].sort(byModifiedThenId);
}
