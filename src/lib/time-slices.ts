// Pure range slicing (usable in workflow code): Jushuitan accepts at most 7 days per query.
export const SEVEN_DAYS_MS = 7 * 86_400_000;

export interface Slice { from: Date; to: Date }

/**
 * Splits [from, to] into consecutive slices of at most maxSliceMs. Neighbours share their boundary
 * second: the API's window is inclusive at both ends, so a record on the boundary is read twice
 * (harmless, reads are idempotent) rather than never.
 */
export function sliceRange(from: Date, to: Date, maxSliceMs = SEVEN_DAYS_MS): Slice[] {
  if (!(maxSliceMs >= 1000)) throw new Error(`slice length must be at least 1 s, got ${maxSliceMs} ms`);
  if (to.getTime() < from.getTime()) return [];
  const slices: Slice[] = [];
  for (let start = from.getTime(); ; start += maxSliceMs) {
    const end = Math.min(start + maxSliceMs, to.getTime());
    slices.push({ from: new Date(start), to: new Date(end) });
    if (end >= to.getTime()) return slices;
  }
}
