// ExecuteBillQuery / BillQuery over the store (kingdee-webapi.md §6, §9.10): field keys resolved against
// form metadata (header, entry, `.FNumber`-style base-data properties), one row per entry when any entry
// field is involved, FilterString and OrderString applied, then the StartRow/Limit/TopRowCount window.
import { entryField, entryPkKey, formDef, headerField, type FieldKind, type FormDef } from './forms';
import { evaluateFilter, filterFieldKeys, FilterSyntaxError, parseFilter, type TypedValue } from './filter';
import type { KingdeeStore, StoredEntry, StoredRecord } from './store';
import { getCi, toNumber } from './values';

export class QueryError extends Error {
  constructor(
    readonly msgCode: number,
    message: string,
  ) {
    super(message);
  }
}

interface Accessor {
  level: 'header' | 'entry';
  kind: FieldKind;
  read(record: StoredRecord, entry: StoredEntry | undefined): unknown;
}

const unknownField = (key: string): QueryError => new QueryError(9, `元数据中标识为${key}的字段不存在`);

/** A property of a referenced base-data record: its internal id or one of its fields. */
function refProperty(store: KingdeeStore, refFormId: string, prop: string, key: string): { kind: FieldKind; read: (id: unknown) => unknown } {
  const target = formDef(refFormId);
  if (!target) throw unknownField(key);
  const lookup = (id: unknown): StoredRecord | undefined => (typeof id === 'number' ? store.get(refFormId, id) : undefined);
  if (prop.toLowerCase() === target.pk.toLowerCase()) return { kind: 'number', read: (id) => lookup(id)?.id ?? null };
  const field = headerField(target, prop);
  if (!field || field.kind === 'ref') throw unknownField(key);
  return { kind: field.kind, read: (id) => lookup(id)?.values[field.key] ?? null };
}

export function resolveAccessor(store: KingdeeStore, def: FormDef, key: string): Accessor {
  const lower = key.toLowerCase();
  if (lower === def.pk.toLowerCase()) return { level: 'header', kind: 'number', read: (r) => r.id };
  if (lower === entryPkKey(def)?.toLowerCase()) return { level: 'entry', kind: 'number', read: (_r, e) => e?.entryId ?? null };
  const dot = key.indexOf('.');
  const base = dot < 0 ? key : key.slice(0, dot);
  const prop = dot < 0 ? undefined : key.slice(dot + 1);
  const header = headerField(def, base);
  const entry = header ? undefined : entryField(def, base);
  const field = header ?? entry;
  if (!field) throw unknownField(key);
  const level = header ? 'header' : 'entry';
  const raw = (r: StoredRecord, e: StoredEntry | undefined): unknown => (level === 'header' ? r.values[field.key] : e?.values[field.key]);
  if (prop === undefined) return { level, kind: field.kind, read: (r, e) => raw(r, e) ?? null };
  if (field.kind === 'lot' && ['fnumber', 'fname'].includes(prop.toLowerCase())) return { level, kind: 'text', read: (r, e) => raw(r, e) ?? null };
  if (field.kind !== 'ref' || prop.includes('.')) throw unknownField(key);
  const property = refProperty(store, field.refForm!, prop, key);
  return { level, kind: property.kind, read: (r, e) => property.read(raw(r, e)) };
}

function filterText(raw: unknown): string {
  if (raw === undefined || raw === null) return '';
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw) && raw.length === 0) return '';
  throw new QueryError(4, 'GetRealExpress error: the simulator supports FilterString as text only');
}

function orderBy(text: string): Array<{ key: string; desc: boolean }> {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const m = /^([A-Za-z_][A-Za-z0-9_.]*)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m) throw new QueryError(4, `OrderString error: cannot read “${part}”`);
      return { key: m[1]!, desc: (m[2] ?? '').toLowerCase() === 'desc' };
    });
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1; // NULLs first, as SQL Server sorts them
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export interface QueryResult {
  keys: string[];
  rows: unknown[][];
}

/** Runs a query `data` packet; throws QueryError with the MsgCode of §9.10 on bad input. */
export function runQuery(store: KingdeeStore, data: Record<string, unknown>, maxLimit: number): QueryResult {
  const formId = getCi(data, 'FormId');
  if (typeof formId !== 'string' || formId.trim() === '') throw new QueryError(5, 'data数据包中的参数FormId的值不能为空。');
  const def = formDef(formId);
  if (!def) throw new QueryError(4, `标识为“${formId}”的业务对象不存在，或者被删除。`);
  const fieldKeysRaw = getCi(data, 'FieldKeys');
  const keys = (Array.isArray(fieldKeysRaw) ? fieldKeysRaw.map(String) : typeof fieldKeysRaw === 'string' ? fieldKeysRaw.split(',') : [])
    .map((k) => k.trim())
    .filter((k) => k !== '');
  if (keys.length === 0) throw new QueryError(8, 'data数据包中的参数FieldKeys的值不能为空。');

  let filter;
  try {
    filter = parseFilter(filterText(getCi(data, 'FilterString')));
  } catch (err) {
    if (err instanceof FilterSyntaxError) throw new QueryError(4, `GetRealExpress error: ${err.message}`);
    throw err;
  }
  const order = orderBy(String(getCi(data, 'OrderString') ?? ''));

  const columns = keys.map((k) => resolveAccessor(store, def, k));
  const filterAccessors = new Map(filterFieldKeys(filter).map((k) => [k, resolveAccessor(store, def, k)]));
  const orderAccessors = order.map((o) => ({ ...o, accessor: resolveAccessor(store, def, o.key) }));
  const perEntry = [...columns, ...filterAccessors.values(), ...orderAccessors.map((o) => o.accessor)].some((a) => a.level === 'entry');

  const matched: Array<{ record: StoredRecord; entry: StoredEntry | undefined }> = [];
  for (const record of store.records(def.formId)) {
    const entries: Array<StoredEntry | undefined> = perEntry && record.entries.length > 0 ? record.entries : [undefined];
    for (const entry of entries) {
      const read = (key: string): TypedValue => {
        const a = filterAccessors.get(key)!;
        return { value: a.read(record, entry), kind: a.kind };
      };
      if (evaluateFilter(filter, read)) matched.push({ record, entry });
    }
  }
  if (orderAccessors.length > 0) {
    matched.sort((x, y) => {
      for (const o of orderAccessors) {
        const c = compareValues(o.accessor.read(x.record, x.entry), o.accessor.read(y.record, y.entry));
        if (c !== 0) return o.desc ? -c : c;
      }
      return 0;
    });
  }

  // Window (kingdee-webapi.md §6): TopRowCount is an absolute end row; Limit is capped.
  const start = Math.max(0, Math.trunc(toNumber(getCi(data, 'StartRow')) ?? 0));
  const top = Math.trunc(toNumber(getCi(data, 'TopRowCount')) ?? 0);
  const requested = Math.trunc(toNumber(getCi(data, 'Limit')) ?? 0);
  const limit = requested > 0 ? Math.min(requested, maxLimit) : maxLimit;
  const end = Math.min(top > 0 ? top : Number.POSITIVE_INFINITY, start + limit);
  const rows = matched.slice(start, Math.max(start, end)).map(({ record, entry }) => columns.map((c) => c.read(record, entry) ?? null));
  return { keys, rows };
}
