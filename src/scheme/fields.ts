// Which record fields a scheme reads, and a copy of a record holding only those: the workflow keeps buyer
// names, phones and accounts out of Temporal history, and mapping the copy gives the same document.
import { childrenOf, type Expr } from './expression/ast';
import type { PathRef, RowSourceName, TemplatePart } from './paths';
import type { Scheme } from './types';

/** Fields the reftables join itself reads (quantities and the sku_id that ties lots to lines). */
const JOIN_FIELDS = ['items[].sku_id', 'items[].qty', 'items[].r_qty', 'items[].price', 'batchs[].sku_id', 'batchs[].qty', 'batchs[].batch_no'];

function batchField(f: string): string[] {
  return [`batchs[].${f}`, `items[].batchs[].${f}`];
}

/** Record fields a row-source field comes from. */
function rowSourceField(source: RowSourceName, field: string): string[] {
  const items = field.startsWith('items_') ? field.slice('items_'.length) : undefined;
  const batchs = field.startsWith('batchs_') ? field.slice('batchs_'.length) : undefined;
  switch (source) {
    case 'reftables':
      if (items !== undefined) return [`items[].${items}`];
      if (batchs !== undefined) return [...batchField(batchs), `items[].${batchs}`];
      return [field];
    case 'items':
      return items !== undefined ? [`items[].${items}`] : [`items[].${field}`, field];
    case 'batchs':
      return batchs !== undefined ? batchField(batchs) : [...batchField(field), field];
  }
}

export function fieldsOfPath(ref: PathRef, context: RowSourceName | undefined): string[] {
  if (ref.source) return rowSourceField(ref.source, ref.field);
  if (context) return rowSourceField(context, ref.field).concat(ref.field);
  return [ref.field, ...rowSourceField('reftables', ref.field)];
}

const partPaths = (parts: readonly TemplatePart[]): PathRef[] => parts.flatMap((p) => ('path' in p ? [p.path] : []));

function exprPaths(e: Expr, context: RowSourceName | undefined, out: Array<[PathRef, RowSourceName | undefined]>): void {
  const ctx = e.k === 'aggregate' ? e.source : context;
  if (e.k === 'path') out.push([e.path, ctx]);
  if (e.k === 'text') for (const p of partPaths(e.parts)) out.push([p, ctx]);
  if (e.k === 'lookup') for (const c of e.spec.where) if ('path' in c.value) out.push([c.value.path, ctx]);
  for (const child of childrenOf(e)) exprPaths(child, ctx, out);
}

/**
 * The record fields the scheme reads, sorted: header fields by name (`shop_name`), line fields as
 * `items[].sku_id`, lot fields as `batchs[].batch_no` and `items[].batchs[].batch_no` (nested shape).
 */
export function schemeFields(scheme: Scheme): string[] {
  const paths: Array<[PathRef, RowSourceName | undefined]> = [];
  const visit = (rows: Scheme['mapping'], context: RowSourceName | undefined): void => {
    for (const row of rows) {
      const v = row.value;
      if (v.kind === 'template') for (const p of partPaths(v.parts)) paths.push([p, context]);
      if (v.kind === 'lookup') for (const c of v.spec.where) if ('path' in c.value) paths.push([c.value.path, context]);
      if (v.kind === 'expression') exprPaths(v.expr, context, paths);
      visit(row.children, v.kind === 'source' ? v.source : context);
    }
  };
  visit(scheme.mapping, undefined);
  for (const rule of scheme.filter) {
    exprPaths(rule.expr, undefined, paths);
    for (const p of partPaths(rule.reason)) paths.push([p, undefined]);
  }
  const fields = new Set<string>([scheme.source.keyField, scheme.source.versionField, ...JOIN_FIELDS, ...JOIN_FIELDS.filter((f) => f.startsWith('batchs[]')).map((f) => `items[].${f}`)]);
  for (const [ref, context] of paths) for (const f of fieldsOfPath(ref, context)) fields.add(f);
  return [...fields].sort();
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function pick(o: Obj, fields: ReadonlySet<string>, prefix: string): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (Array.isArray(v)) {
      const nested = `${prefix}${k}[].`;
      if ([...fields].some((f) => f.startsWith(nested))) out[k] = v.map((x) => (isObject(x) ? pick(x, fields, nested) : x));
    } else if (fields.has(`${prefix}${k}`)) {
      out[k] = v;
    }
  }
  return out;
}

/** A copy of the record with only the fields the scheme reads (plus its key and version fields). */
export function projectRecord(scheme: Scheme, record: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return pick(record as Obj, new Set(schemeFields(scheme)), '');
}
