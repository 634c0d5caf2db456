// `biz` validation of the refund query, in the contract's order (jushuitan-refund-api.md §7.3, §7.9).
// The first failing rule answers 140 with `参数不符合规范: <rule>`.
import { parseBeijing } from '../../lib/beijing-time';

export const MAX_PAGE_SIZE = 50;
export const MAX_SPAN_SECONDS = 7 * 86_400;
export const DEFAULT_PAGE_SIZE = 30;

export interface RefundQuery {
  pageIndex: number;
  pageSize: number;
  /** Inclusive window in epoch ms, whole seconds. */
  window?: { begin: number; end: number };
  asIds?: Set<string>;
  oIds?: Set<string>;
  soIds?: Set<string>;
  shopBuyerIds?: Set<string>;
  shopId?: string;
  isOfflineShop?: boolean;
  status?: string;
  goodStatus?: string;
  type?: string;
  startTs?: bigint;
}

export type BizCheck = { ok: true; query: RefundQuery } | { ok: false; rule: string };

const STRICT_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/** An integer, or an integer sent as a numeric string (vector C sends "1"). */
function integer(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string' && /^-?\d{1,15}$/.test(value)) return Number(value);
  return undefined;
}

function nonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function strictTime(value: unknown): number | undefined {
  if (typeof value !== 'string' || !STRICT_TIME.test(value)) return undefined;
  return parseBeijing(value)?.getTime();
}

function parseObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function idSet(biz: Record<string, unknown>, field: string, kind: 'int' | 'string'): Set<string> | string | undefined {
  const value = biz[field];
  if (!given(value)) return undefined;
  if (!Array.isArray(value)) return `${field} must be an array`;
  const ids = new Set<string>();
  for (const id of value) {
    if (kind === 'int' ? integer(id) === undefined : typeof id !== 'string' && typeof id !== 'number') {
      return `${field} must hold ${kind === 'int' ? 'integers' : 'strings'}`;
    }
    ids.add(String(kind === 'int' ? integer(id) : id));
  }
  return ids;
}

export function checkBiz(raw: string): BizCheck {
  const biz = parseObject(raw);
  if (!biz) return { ok: false, rule: 'biz must be a JSON object' };

  const pageSizeRaw = integer(biz.page_size);
  if (pageSizeRaw !== undefined && pageSizeRaw > MAX_PAGE_SIZE) return { ok: false, rule: `page_size must not exceed ${MAX_PAGE_SIZE}` };

  const hasBegin = given(biz.modified_begin);
  const hasEnd = given(biz.modified_end);
  if (hasBegin !== hasEnd) return { ok: false, rule: 'modified_begin and modified_end must be given together' };
  if (!hasBegin && !['so_ids', 'o_ids', 'as_ids'].some((f) => nonEmptyList(biz[f]))) {
    return { ok: false, rule: 'modified_begin/modified_end or so_ids/o_ids/as_ids required' };
  }

  let window: RefundQuery['window'];
  if (hasBegin) {
    const begin = strictTime(biz.modified_begin);
    if (begin === undefined) return { ok: false, rule: 'modified_begin has bad time format' };
    const end = strictTime(biz.modified_end);
    if (end === undefined) return { ok: false, rule: 'modified_end has bad time format' };
    if (end < begin) return { ok: false, rule: 'modified_end is before modified_begin' };
    if ((end - begin) / 1000 > MAX_SPAN_SECONDS) return { ok: false, rule: 'time range exceeds 7 days' };
    window = { begin, end };
  }

  const pageIndex = given(biz.page_index) ? integer(biz.page_index) : 1;
  if (pageIndex === undefined || pageIndex < 1) return { ok: false, rule: 'page_index must be an integer >= 1' };
  const pageSize = given(biz.page_size) ? pageSizeRaw : DEFAULT_PAGE_SIZE;
  if (pageSize === undefined || pageSize < 1) return { ok: false, rule: 'page_size must be an integer >= 1' };

  const query: RefundQuery = { pageIndex, pageSize, window };
  for (const [field, key, kind] of [
    ['as_ids', 'asIds', 'int'],
    ['o_ids', 'oIds', 'int'],
    ['so_ids', 'soIds', 'string'],
    ['shop_buyer_ids', 'shopBuyerIds', 'string'],
  ] as const) {
    const ids = idSet(biz, field, kind);
    if (typeof ids === 'string') return { ok: false, rule: ids };
    if (ids) query[key] = ids;
  }
  if (query.shopBuyerIds && query.shopBuyerIds.size > 50) return { ok: false, rule: 'shop_buyer_ids must not hold more than 50' };

  if (given(biz.shop_id)) {
    const shopId = integer(biz.shop_id);
    if (shopId === undefined) return { ok: false, rule: 'shop_id must be an integer' };
    query.shopId = String(shopId);
  }
  if (given(biz.is_offline_shop)) {
    const flag = biz.is_offline_shop;
    if (flag !== true && flag !== false && flag !== 'true' && flag !== 'false') return { ok: false, rule: 'is_offline_shop must be a boolean' };
    query.isOfflineShop = flag === true || flag === 'true';
  }
  if (given(biz.start_ts)) {
    const ts = biz.start_ts;
    if (!(typeof ts === 'number' && Number.isSafeInteger(ts)) && !(typeof ts === 'string' && /^\d+$/.test(ts))) {
      return { ok: false, rule: 'start_ts must be an integer' };
    }
    query.startTs = BigInt(ts);
  }
  for (const [field, key] of [['status', 'status'], ['good_status', 'goodStatus'], ['type', 'type']] as const) {
    if (!given(biz[field])) continue;
    if (typeof biz[field] !== 'string') return { ok: false, rule: `${field} must be a string` };
    query[key] = biz[field];
  }
  return { ok: true, query };
}

/** page_size and window span as sent, for call accounting, whatever the call's outcome. */
export function inspectBiz(raw: string | undefined): { pageSize?: number; windowSeconds?: number } {
  const biz = raw === undefined ? undefined : parseObject(raw);
  if (!biz) return {};
  const pageSize = integer(biz.page_size);
  const begin = strictTime(biz.modified_begin);
  const end = strictTime(biz.modified_end);
  return { pageSize, windowSeconds: begin !== undefined && end !== undefined ? (end - begin) / 1000 : undefined };
}
