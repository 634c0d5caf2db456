// Switch (e) of kingdee-batching.md §4: returns write back to their source SAL_OUTSTOCK under a network-control
// lock, so two in-flight calls that link to the same outbound bill collide (MsgCode 13 for the later one).
import { formDef } from './forms';
import { getCi, isRecord, toNumber } from './values';
import type { KingdeeStore } from './store';

const WRITE_OPS = new Set(['save', 'batchsave', 'submit', 'audit', 'unaudit', 'cancelassign', 'delete']);

export type SourceLock = { held: true; release: () => void } | { held: false; conflictNumber: string };

export class SourceLocks {
  private held = new Map<number, number>();

  constructor(private readonly store: KingdeeStore) {}

  /** Source bill ids a write call links to: from the models' link rows, or from the stored bills it names. */
  sourcesOf(op: string, formId: string, data: Record<string, unknown> | undefined): Array<{ sourceId: number; billNo: string }> {
    const def = formDef(formId);
    if (!def?.link || !def.entry || !data || !WRITE_OPS.has(op.toLowerCase())) return [];
    const entryKey = def.entry.key;
    const out: Array<{ sourceId: number; billNo: string }> = [];
    const model = getCi(data, 'Model');
    if (model !== undefined) {
      for (const bill of (Array.isArray(model) ? model : [model]).filter(isRecord)) {
        const billNo = String(getCi(bill, 'FBillNo') ?? '');
        const rows = getCi(bill, entryKey);
        for (const row of Array.isArray(rows) ? rows.filter(isRecord) : []) {
          const links = getCi(row, `${entryKey}_Link`);
          for (const link of Array.isArray(links) ? links.filter(isRecord) : []) {
            const id = toNumber(getCi(link, `${entryKey}_Link_FSBillId`));
            if (id !== undefined) out.push({ sourceId: id, billNo });
          }
        }
      }
      return out;
    }
    const numbers = getCi(data, 'Numbers');
    for (const n of Array.isArray(numbers) ? numbers.map(String) : []) {
      const record = this.store.findByNumber(formId, n);
      for (const entry of record?.entries ?? []) for (const link of entry.links) out.push({ sourceId: link.sourceBillId, billNo: n });
    }
    return out;
  }

  /** Takes every source the call links to, or reports the first one another in-flight call holds. */
  acquire(op: string, formId: string, data: Record<string, unknown> | undefined): SourceLock | undefined {
    const sources = this.sourcesOf(op, formId, data);
    if (sources.length === 0) return undefined;
    const taken = sources.find((s) => this.held.has(s.sourceId));
    if (taken) return { held: false, conflictNumber: taken.billNo };
    const ids = [...new Set(sources.map((s) => s.sourceId))];
    for (const id of ids) this.held.set(id, 1);
    return { held: true, release: () => ids.forEach((id) => this.held.delete(id)) };
  }
}
