// The simulator's after-sales records: query semantics (§7.4), a global rowversion for `ts`, and the
// mutations tests use to shift pages under a reader (§7.7).
import { z } from 'zod';
import { formatBeijing, parseBeijing } from '../../lib/beijing-time';
import type { RefundQuery } from './biz';

/** A stored record: served as stored, so tests may load odd wire shapes (string ids, nested batches). */
export type SimRefund = Record<string, unknown> & { as_id: number; modified: string; ts: number };

export const simRefundSchema = z.looseObject({
  as_id: z.int().positive(),
  modified: z.string().refine((text) => parseBeijing(text) !== undefined, 'modified must be "yyyy-MM-dd HH:mm:ss"'),
  ts: z.int().nonnegative().optional(),
});

interface Entry {
  record: SimRefund;
  modifiedMs: number;
}

export interface RefundPageResult {
  dataCount: number;
  pageCount: number;
  records: SimRefund[];
}

function secondsOf(modified: string): number {
  return Math.floor(parseBeijing(modified)!.getTime() / 1000) * 1000;
}

function fieldMatches(value: unknown, wanted: Set<string> | undefined): boolean {
  return wanted === undefined || (value !== undefined && value !== null && wanted.has(String(value)));
}

export class RefundStore {
  private entries = new Map<number, Entry>();
  private sorted: Entry[] | undefined;
  private rowversion = 0;

  constructor(
    records: readonly unknown[],
    private readonly now: () => number,
  ) {
    this.replace(records);
  }

  /** Validates and stores copies; records without `ts` get the next rowversion. */
  replace(records: readonly unknown[]): void {
    const parsed = z.array(simRefundSchema).parse(records);
    this.entries = new Map();
    this.rowversion = parsed.reduce((max, r) => Math.max(max, r.ts ?? 0), 0);
    for (const record of parsed) this.put(structuredClone(record) as SimRefund, record.ts === undefined);
  }

  /** Adds new records; with touch, `modified` becomes now and `ts` the next rowversion. Rejects known as_ids. */
  insert(records: readonly unknown[], touch = true): SimRefund[] {
    const parsed = z.array(simRefundSchema).parse(records);
    const clash = parsed.find((r) => this.entries.has(r.as_id));
    if (clash) throw new Error(`as_id ${clash.as_id} already exists`);
    return parsed.map((record) => {
      const copy = structuredClone(record) as SimRefund;
      if (touch) copy.modified = formatBeijing(new Date(this.now()));
      return this.put(copy, touch || record.ts === undefined);
    });
  }

  /** Sets `modified` to now and `ts` to the next rowversion, then applies `set` (which may override both). */
  touch(asIds: readonly number[], set: Record<string, unknown> = {}): SimRefund[] {
    const missing = asIds.filter((id) => !this.entries.has(id));
    if (missing.length > 0) throw new Error(`unknown as_id ${missing.join(', ')}`);
    return asIds.map((id) => {
      const record = this.entries.get(id)!.record;
      const { as_id: _fixed, ...changes } = set;
      const touched = { ...record, modified: formatBeijing(new Date(this.now())), ts: ++this.rowversion, ...changes } as SimRefund;
      simRefundSchema.parse(touched);
      return this.put(touched, false);
    });
  }

  get(asId: number): SimRefund | undefined {
    return this.entries.get(asId)?.record;
  }

  /** All records in query order. */
  all(): SimRefund[] {
    return this.ordered().map((e) => e.record);
  }

  get size(): number {
    return this.entries.size;
  }

  query(q: RefundQuery): RefundPageResult {
    const matches = this.ordered().filter(({ record: r, modifiedMs }) => {
      if (q.window && (modifiedMs < q.window.begin || modifiedMs > q.window.end)) return false;
      if (!fieldMatches(r.as_id, q.asIds) || !fieldMatches(r.o_id, q.oIds) || !fieldMatches(r.so_id, q.soIds)) return false;
      if (!fieldMatches(r.shop_buyer_id, q.shopBuyerIds)) return false;
      if (q.shopId !== undefined && String(r.shop_id) !== q.shopId) return false;
      if (q.isOfflineShop !== undefined && Boolean(r.is_offline_shop) !== q.isOfflineShop) return false;
      if (q.status !== undefined && r.status !== q.status) return false;
      if (q.goodStatus !== undefined && r.good_status !== q.goodStatus) return false;
      if (q.type !== undefined && r.type !== q.type) return false;
      if (q.startTs !== undefined && BigInt(r.ts) < q.startTs) return false;
      return true;
    });
    const start = (q.pageIndex - 1) * q.pageSize;
    return {
      dataCount: matches.length,
      pageCount: Math.ceil(matches.length / q.pageSize),
      records: matches.slice(start, start + q.pageSize).map((e) => e.record),
    };
  }

  private put(record: SimRefund, assignTs: boolean): SimRefund {
    if (assignTs) record.ts = ++this.rowversion;
    this.rowversion = Math.max(this.rowversion, record.ts);
    this.entries.set(record.as_id, { record, modifiedMs: secondsOf(record.modified) });
    this.sorted = undefined;
    return record;
  }

  /** modified ascending, then as_id ascending (§7.4); cached until the next change. */
  private ordered(): Entry[] {
    this.sorted ??= [...this.entries.values()].sort((a, b) => a.modifiedMs - b.modifiedMs || a.record.as_id - b.record.as_id);
    return this.sorted;
  }
}
