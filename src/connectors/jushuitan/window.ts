// Slicing a time range into query windows the API accepts (≤ 7 days, §3, §7.3).
// The API's bounds are inclusive at one-second precision, so slices are [b, e] with the next slice
// beginning at e + 1 s: no second is asked for twice and none is skipped.
import { formatBeijing } from '../../lib/beijing-time';

export const MAX_WINDOW_MS = 7 * 86_400_000;

export interface WindowSlice {
  /** Beijing time, inclusive. */
  begin: string;
  /** Beijing time, inclusive. */
  end: string;
}

const SECOND = 1_000;

/**
 * Splits [from, to] (both inclusive, truncated to whole seconds) into consecutive slices whose span
 * `end − begin` is at most maxSliceMs (rounded down to whole seconds). Empty when to < from.
 */
export function splitWindow(from: Date, to: Date, maxSliceMs: number = MAX_WINDOW_MS): WindowSlice[] {
  const span = Math.floor(maxSliceMs / SECOND) * SECOND;
  if (!Number.isFinite(span) || span < 0) throw new RangeError(`maxSliceMs must be a non-negative number of ms, got ${maxSliceMs}`);
  const first = Math.floor(from.getTime() / SECOND) * SECOND;
  const last = Math.floor(to.getTime() / SECOND) * SECOND;
  if (Number.isNaN(first) || Number.isNaN(last)) throw new RangeError('splitWindow needs valid dates');
  const slices: WindowSlice[] = [];
  for (let begin = first; begin <= last; ) {
    const end = Math.min(begin + span, last);
    slices.push({ begin: formatBeijing(new Date(begin)), end: formatBeijing(new Date(end)) });
    begin = end + SECOND;
  }
  return slices;
}
