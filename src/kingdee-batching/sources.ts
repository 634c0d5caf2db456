// The source bills (SAL_OUTSTOCK FIDs) a return links to, read from its Save model's link rows, so returns
// against one outbound bill never go out in two concurrent calls (kingdee-batching.md §3.3: its write-back lock).
import { isRecord } from './records';

/** Every `<Entry>_Link[*].<Entry>_Link_FSBillId` in the model, as strings; empty when it links to nothing. */
export function sourceBillIds(model: Record<string, unknown>): string[] {
  const ids = new Set<string>();
  for (const rows of Object.values(model)) {
    if (!Array.isArray(rows)) continue;
    for (const row of rows.filter(isRecord)) {
      for (const [key, links] of Object.entries(row)) {
        if (!key.toLowerCase().endsWith('_link') || !Array.isArray(links)) continue;
        for (const link of links.filter(isRecord)) {
          const id = Object.entries(link).find(([k]) => k.toLowerCase().endsWith('_link_fsbillid'))?.[1];
          if (typeof id === 'string' || typeof id === 'number') ids.add(String(id));
        }
      }
    }
  }
  return [...ids];
}

/** What a bill links to: known source ids, or unknown (a bill this process did not save): it goes out alone. */
export type Sources = { known: string[] } | 'unknown';

/** Source ids held by the write calls in flight; a call with an unknown bill holds everything. */
export class SourcesInFlight {
  private held = new Map<string, number>();
  private exclusive = 0;
  private calls = 0;

  /** May a bill with these sources go out now? */
  admits(sources: Sources): boolean {
    if (this.exclusive > 0) return false;
    if (sources === 'unknown') return this.calls === 0;
    return sources.known.every((id) => !this.held.has(id));
  }

  /** Holds a starting call's sources until the returned release. */
  hold(all: Sources[]): () => void {
    this.calls++;
    const unknown = all.some((s) => s === 'unknown');
    if (unknown) this.exclusive++;
    const ids = all.flatMap((s) => (s === 'unknown' ? [] : s.known));
    for (const id of ids) this.held.set(id, (this.held.get(id) ?? 0) + 1);
    return () => {
      this.calls--;
      if (unknown) this.exclusive--;
      for (const id of ids) {
        const n = (this.held.get(id) ?? 1) - 1;
        if (n <= 0) this.held.delete(id);
        else this.held.set(id, n);
      }
    };
  }
}
