// Row sources of a record (scheme-language.md §3): `items`, `batchs` and `reftables`, the join of goods
// lines and production lots that a return bill needs, one row per returned lot.
import { Dec, toDec, type Dec as DecT } from './decimal';
import type { RowSourceName } from './paths';

export type Row = Readonly<Record<string, unknown>>;
export type RowSet = Readonly<Record<RowSourceName, readonly Row[]>> & { warnings: readonly string[] };

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);
const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

function scalars(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) if (isScalar(v)) out[k] = v;
  return out;
}

function prefixed(prefix: string, o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) out[`${prefix}${k}`] = v;
  return out;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v).trim());

function quantity(v: unknown): DecT | undefined {
  if (typeof v === 'number' || typeof v === 'string') return toDec(v);
  return undefined;
}

/** Nested `items[].batchs[]` with a missing `sku_id` filled from the parent item. */
function nestedBatches(item: Obj): Obj[] {
  return objects(item.batchs).map((b) => (b.sku_id === undefined || b.sku_id === null || b.sku_id === '' ? { ...b, sku_id: item.sku_id } : b));
}

/** Record-level `batchs` when present and non-empty; otherwise every nested `items[].batchs[]`, flattened. */
function recordBatches(record: Obj, items: readonly Obj[]): { batches: Obj[]; nested: boolean } {
  const top = objects(record.batchs);
  if (top.length > 0) return { batches: top, nested: false };
  return { batches: items.flatMap(nestedBatches), nested: true };
}

interface Lot {
  batch: Obj;
  left: DecT;
}

export function buildRowSources(record: Readonly<Record<string, unknown>>): RowSet {
  const header = scalars(record);
  const items = objects(record.items);
  const { batches, nested } = recordBatches(record, items);
  const warnings: string[] = [];

  const itemRows: Row[] = items.map((item) => ({ ...header, ...scalars(item), ...prefixed('items_', scalars(item)) }));
  const batchRows: Row[] = batches.map((b) => ({ ...header, ...scalars(b), ...prefixed('batchs_', scalars(b)) }));

  // Returned quantity per line: r_qty, falling back to qty when r_qty is absent.
  const returned = items.map((item, i) => {
    const raw = item.r_qty === undefined || item.r_qty === null || item.r_qty === '' ? item.qty : item.r_qty;
    const q = quantity(raw);
    if (!q) warnings.push(`items line ${i + 1} (${text(item.sku_id)}): returned quantity ${JSON.stringify(raw)} is not a number; line skipped`);
    return q && q.isPositive() && !q.isZero() ? q : undefined;
  });

  // Record-level lots are handed out per sku_id in order; each line takes up to its returned quantity and
  // the last received line of a sku takes what is left, so no lot quantity is silently dropped.
  const lots = new Map<string, Lot[]>();
  if (!nested) {
    for (const b of batches) {
      const q = quantity(b.qty);
      if (!q || !q.isPositive() || q.isZero()) continue;
      const sku = text(b.sku_id);
      lots.set(sku, [...(lots.get(sku) ?? []), { batch: b, left: q }]);
    }
  }

  const reftables: Row[] = [];
  items.forEach((item, i) => {
    const rq = returned[i];
    if (!rq) return;
    const sku = text(item.sku_id);
    let taken: Array<{ batch: Obj; qty: DecT }>;
    if (nested) {
      taken = nestedBatches(item).flatMap((b) => {
        const q = quantity(b.qty);
        return q && q.isPositive() && !q.isZero() ? [{ batch: b, qty: q }] : [];
      });
    } else {
      const queue = lots.get(sku) ?? [];
      const last = !items.some((other, k) => k > i && returned[k] && text(other.sku_id) === sku);
      taken = [];
      let need = rq;
      while (queue.length > 0 && (last || (need.isPositive() && !need.isZero()))) {
        const lot = queue[0]!;
        const take = last ? lot.left : Dec.min(lot.left, need);
        taken.push({ batch: lot.batch, qty: take });
        lot.left = lot.left.minus(take);
        need = need.minus(take);
        if (lot.left.isZero() || lot.left.isNegative()) queue.shift();
      }
      const got = taken.reduce<DecT>((sum, t) => sum.plus(t.qty), new Dec(0));
      if (taken.length > 0 && !got.equals(rq)) {
        warnings.push(`items line ${i + 1} (${sku}): lots total ${got.toString()} but the line received ${rq.toString()}`);
      }
    }
    const itemFields = scalars(item);
    const base: Obj = { ...header, ...prefixed('items_', itemFields) };
    const rowFor = (batch: Obj | undefined, qty: DecT): Row => {
      const row: Obj = { ...base, ...(batch ? prefixed('batchs_', scalars(batch)) : {}) };
      for (const [k, v] of Object.entries(itemFields)) if (!(`batchs_${k}` in row)) row[`batchs_${k}`] = v;
      row.batchs_qty = qty.toNumber();
      const price = quantity(itemFields.price);
      row.batchs_amount = price ? price.times(qty).toNumber() : undefined;
      return row;
    };
    if (taken.length === 0) reftables.push(rowFor(undefined, rq));
    else for (const t of taken) reftables.push(rowFor(t.batch, t.qty));
  });

  for (const [sku, queue] of lots) {
    for (const lot of queue) {
      warnings.push(`lot ${text(lot.batch.batch_no) || '(no batch_no)'} of ${sku || '(no sku_id)'}: ${lot.left.toString()} not matched to any received line`);
    }
  }
  return { items: itemRows, batchs: batchRows, reftables, warnings };
}
