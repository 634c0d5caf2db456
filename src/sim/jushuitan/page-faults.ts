// Paging faults of a misbehaving Jushuitan (jushuitan-refund-api.md §6): pages that shift on every read,
// and a has_next that never turns false. They change what an answer says, never the stored data's rules.
import { checkBiz } from './biz';
import type { BusinessAnswer } from './protocol';
import type { RefundStore } from './store';

/** Touches the first record of the window a query asks for (modified = now), so every read finds the pages shifted. */
export function shiftQueriedWindow(store: RefundStore, bizText: string | undefined): void {
  const biz = checkBiz(bizText ?? '');
  if (!biz.ok) return;
  const first = store.query({ ...biz.query, pageIndex: 1, pageSize: 1 }).records[0];
  if (first) store.touch([first.as_id]);
}

interface PageData {
  page_index: number;
  page_count?: number;
  has_next: boolean;
  datas: unknown[];
  [field: string]: unknown;
}

/**
 * has_next is always true and page_count is left out. Past the last page the answer is empty
 * (`empty-past-end`) or the last page once more (`repeat-last-page`).
 */
export function withEndlessPages(answer: BusinessAnswer, mode: 'empty-past-end' | 'repeat-last-page', store: RefundStore, bizText: string | undefined): BusinessAnswer {
  if (answer.code !== 0 || typeof answer.data !== 'object' || answer.data === null) return answer;
  const { page_count: pageCount, ...data } = answer.data as PageData;
  let datas = data.datas;
  if (mode === 'repeat-last-page' && datas.length === 0 && pageCount !== undefined && pageCount > 0) {
    const biz = checkBiz(bizText ?? '');
    if (biz.ok) datas = store.query({ ...biz.query, pageIndex: pageCount }).records;
  }
  return { ...answer, data: { ...data, has_next: true, datas } };
}
