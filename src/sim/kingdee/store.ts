// The simulator's database: records per form (bills and base data), number indexes, id counters, removed
// records (restorable base data), and the audited-return index the over-return check reads.
import { FORMS, formDef, headerField, type FormDef } from './forms';
import { getCi, isRecord, toBool, toNumber } from './values';

export interface StoredLink {
  ruleId: string;
  tableName: string;
  sourceBillId: number;
  sourceEntryId: number;
  /** `<Entry>_Link_FBaseunitQty`: counted only when an entry has several link rows. */
  baseQty: number | undefined;
}

export interface StoredEntry {
  entryId: number;
  values: Record<string, unknown>;
  links: StoredLink[];
}

/** `values` are keyed by the canonical field keys of the form; base-data references hold internal ids. */
export interface StoredRecord {
  id: number;
  values: Record<string, unknown>;
  entries: StoredEntry[];
}

interface Table {
  def: FormDef;
  records: Map<number, StoredRecord>;
  byNumber: Map<string, number>;
  removed: Map<string, StoredRecord>;
  autoNumber: number;
}

export function numberOf(def: FormDef, record: StoredRecord): string {
  const v = record.values[def.numberKey];
  return typeof v === 'string' ? v : '';
}

export function statusOf(record: StoredRecord): string {
  const v = record.values.FDocumentStatus;
  return typeof v === 'string' ? v : '';
}

const linkKey = (billId: number, entryId: number): string => `${billId}:${entryId}`;

/** Quantity this bill returns against each source entry (one link row: the entry's FRealQty; several: each row's qty). */
export function linkedQuantities(record: StoredRecord): Map<string, { sourceBillId: number; sourceEntryId: number; qty: number }> {
  const out = new Map<string, { sourceBillId: number; sourceEntryId: number; qty: number }>();
  for (const entry of record.entries) {
    for (const link of entry.links) {
      const qty = entry.links.length === 1 ? (toNumber(entry.values.FRealQty) ?? 0) : (link.baseQty ?? 0);
      const key = linkKey(link.sourceBillId, link.sourceEntryId);
      const prev = out.get(key);
      out.set(key, { sourceBillId: link.sourceBillId, sourceEntryId: link.sourceEntryId, qty: (prev?.qty ?? 0) + qty });
    }
  }
  return out;
}

export class KingdeeStore {
  private tables = new Map<string, Table>();
  private nextRecordId = 500_000;
  private nextEntryId = 900_000;
  /** Audited (status C) returned quantity per source entry `billId:entryId`. */
  private returned = new Map<string, number>();
  /** Bills (`formId:id`) that later documents were made from: Kingdee refuses to un-audit or delete them. */
  private downstream = new Set<string>();

  constructor() {
    this.reset();
  }

  reset(): void {
    this.tables = new Map(FORMS.map((def) => [def.formId, { def, records: new Map(), byNumber: new Map(), removed: new Map(), autoNumber: 1 }]));
    this.nextRecordId = 500_000;
    this.nextEntryId = 900_000;
    this.returned = new Map();
    this.downstream = new Set();
  }

  def(formId: string): FormDef | undefined {
    return formDef(formId);
  }

  private table(formId: string): Table {
    const t = this.tables.get(formId);
    if (!t) throw new Error(`unknown form ${formId}`);
    return t;
  }

  newRecordId(): number {
    return this.nextRecordId++;
  }

  newEntryId(): number {
    return this.nextEntryId++;
  }

  /** Keeps generated ids above ids that came from outside (seeded outbound bills). */
  reserveIds(recordId: number, entryId: number): void {
    this.nextRecordId = Math.max(this.nextRecordId, recordId + 1);
    this.nextEntryId = Math.max(this.nextEntryId, entryId + 1);
  }

  records(formId: string): StoredRecord[] {
    return [...this.table(formId).records.values()];
  }

  get(formId: string, id: number): StoredRecord | undefined {
    return this.tables.get(formId)?.records.get(id);
  }

  findByNumber(formId: string, number: string): StoredRecord | undefined {
    const t = this.tables.get(formId);
    const id = t?.byNumber.get(number);
    return id === undefined ? undefined : t?.records.get(id);
  }

  /** An enabled base-data record by number (FForbidStatus A); disabled ones are reported separately. */
  resolveNumber(formId: string, number: string): { record: StoredRecord; enabled: boolean } | undefined {
    const record = this.findByNumber(formId, number);
    return record ? { record, enabled: record.values.FForbidStatus !== 'B' } : undefined;
  }

  insert(formId: string, record: StoredRecord): void {
    const t = this.table(formId);
    t.records.set(record.id, record);
    const number = numberOf(t.def, record);
    if (number !== '') t.byNumber.set(number, record.id);
    if (statusOf(record) === 'C') this.track(t.def, record, +1);
  }

  /** Replaces a record in place (same id, same position in listings). */
  replace(formId: string, record: StoredRecord): void {
    const t = this.table(formId);
    const old = t.records.get(record.id);
    if (old) {
      if (statusOf(old) === 'C') this.track(t.def, old, -1);
      const oldNumber = numberOf(t.def, old);
      if (t.byNumber.get(oldNumber) === old.id) t.byNumber.delete(oldNumber);
    }
    this.insert(formId, record);
  }

  delete(formId: string, id: number): StoredRecord | undefined {
    const t = this.table(formId);
    const record = t.records.get(id);
    if (!record) return undefined;
    if (statusOf(record) === 'C') this.track(t.def, record, -1);
    t.records.delete(id);
    const number = numberOf(t.def, record);
    if (t.byNumber.get(number) === id) t.byNumber.delete(number);
    return record;
  }

  setStatus(formId: string, record: StoredRecord, status: string): void {
    const def = this.table(formId).def;
    if (statusOf(record) === 'C') this.track(def, record, -1);
    record.values.FDocumentStatus = status;
    if (status === 'C') this.track(def, record, +1);
  }

  returnedQty(sourceBillId: number, sourceEntryId: number): number {
    return this.returned.get(linkKey(sourceBillId, sourceEntryId)) ?? 0;
  }

  private track(def: FormDef, record: StoredRecord, sign: 1 | -1): void {
    if (!def.link) return;
    for (const [key, { qty }] of linkedQuantities(record)) this.returned.set(key, (this.returned.get(key) ?? 0) + sign * qty);
  }

  /** The next automatic number (prefix + 6 digits) not in use; consumed only by `commitAutoNumber`. */
  peekAutoNumber(formId: string): string {
    const t = this.table(formId);
    for (let n = t.autoNumber; ; n++) {
      const candidate = `${t.def.numberPrefix}${String(n).padStart(6, '0')}`;
      if (!t.byNumber.has(candidate)) return candidate;
    }
  }

  commitAutoNumber(formId: string, used: string): void {
    const t = this.table(formId);
    const n = Number(used.slice(t.def.numberPrefix.length));
    if (used.startsWith(t.def.numberPrefix) && Number.isInteger(n)) t.autoNumber = Math.max(t.autoNumber, n + 1);
  }

  // ---- base-data administration (admin API and seeding) ------------------------------------------

  /**
   * Creates or updates a base-data record by FNumber. Reference fields take a number (`"101"` or
   * `{"FNumber":"101"}`); FForbidStatus defaults to A (enabled), FDocumentStatus to C.
   */
  upsertBaseData(formId: string, fields: Record<string, unknown>): StoredRecord {
    const t = this.table(formId);
    if (t.def.kind !== 'base') throw new Error(`${formId} is not a base-data form`);
    const number = String(getCi(fields, 'FNumber') ?? '').trim();
    if (number === '') throw new Error(`FNumber is required to add ${formId} data`);
    const existing = this.findByNumber(formId, number);
    const record: StoredRecord = existing
      ? { id: existing.id, values: { ...existing.values }, entries: [] }
      : { id: this.newRecordId(), values: { FNumber: number, FName: number, FForbidStatus: 'A', FDocumentStatus: 'C' }, entries: [] };
    for (const [key, raw] of Object.entries(fields)) {
      const field = headerField(t.def, key);
      if (!field) throw new Error(`${formId} has no field ${key}`);
      if (field.kind === 'ref') {
        const refNumber = isRecord(raw) ? getCi(raw, 'FNumber') : raw;
        const target = refNumber === null || refNumber === undefined || refNumber === '' ? undefined : this.findByNumber(field.refForm!, String(refNumber));
        if (refNumber !== null && refNumber !== undefined && refNumber !== '' && !target) throw new Error(`${field.refForm} ${String(refNumber)} does not exist`);
        record.values[field.key] = target?.id ?? null;
      } else if (field.kind === 'bool') {
        record.values[field.key] = toBool(raw);
      } else if (field.kind === 'number') {
        record.values[field.key] = toNumber(raw) ?? null;
      } else {
        record.values[field.key] = raw === null || raw === undefined ? null : String(raw);
      }
    }
    if (existing) this.replace(formId, record);
    else this.insert(formId, record);
    return record;
  }

  /** Marks a bill as the source of downstream documents (a receivable, say), or clears the mark. */
  setDownstream(formId: string, id: number, has = true): void {
    if (has) this.downstream.add(`${formId}:${id}`);
    else this.downstream.delete(`${formId}:${id}`);
  }

  hasDownstream(formId: string, id: number): boolean {
    return this.downstream.has(`${formId}:${id}`);
  }

  /** Removes a record by number; it can be restored with its id intact. */
  removeRecord(formId: string, number: string): boolean {
    const t = this.table(formId);
    const record = this.findByNumber(formId, number);
    if (!record) return false;
    this.delete(formId, record.id);
    t.removed.set(number, record);
    return true;
  }

  restoreRecord(formId: string, number: string): boolean {
    const t = this.table(formId);
    const record = t.removed.get(number);
    if (!record || t.byNumber.has(number)) return false;
    t.removed.delete(number);
    this.insert(formId, record);
    return true;
  }
}
