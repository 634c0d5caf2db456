// requiredLookups: which lookups a record needs, grouped per collection, before mapping it, so they can
// be answered in one batched step (one query per collection). Every lookup in every branch is listed.
import { headerContext, lookupWhere, rowContext, type EvalContext } from './context';
import { EvaluationError } from './errors';
import { childrenOf, type Expr } from './expression/ast';
import { whereKey, type Where } from './lookup-answers';
import type { LookupSpec } from './lookup-spec';
import { buildRowSources } from './row-sources';
import type { MappingRow, Scheme } from './types';

export interface LookupRequest {
  /** Collection id. */
  collection: string;
  /** Readable collection name. */
  name: string;
  /** Collection fields the answers must carry: every field the scheme finds in this collection. */
  fields: string[];
  /** Distinct condition sets (collection field → trimmed text), in first-use order. */
  where: Where[];
}

/** Every lookup spec of the scheme, in row order (for the fields each collection must return). */
export function schemeLookups(scheme: Scheme): LookupSpec[] {
  const specs: LookupSpec[] = [];
  const fromExpr = (e: Expr): void => {
    if (e.k === 'lookup') specs.push(e.spec);
    childrenOf(e).forEach(fromExpr);
  };
  for (const row of scheme.rows) {
    if (row.value.kind === 'lookup') specs.push(row.value.spec);
    if (row.value.kind === 'expression') fromExpr(row.value.expr);
  }
  return specs;
}

export function findFieldsByCollection(scheme: Scheme): Map<string, string[]> {
  const fields = new Map<string, Set<string>>();
  for (const spec of schemeLookups(scheme)) fields.set(spec.collection, (fields.get(spec.collection) ?? new Set()).add(spec.find));
  return new Map([...fields].map(([id, set]) => [id, [...set].sort()]));
}

export function requiredLookups(scheme: Scheme, record: Readonly<Record<string, unknown>>): LookupRequest[] {
  const wanted = new Map<string, Map<string, Where>>();
  const add = (spec: LookupSpec, ctx: EvalContext): void => {
    let w: ReturnType<typeof lookupWhere>;
    try {
      w = lookupWhere(ctx, spec);
    } catch (err) {
      if (err instanceof EvaluationError) return; // mapRecord reports it against the row
      throw err;
    }
    if ('emptyField' in w) return; // nothing to ask: the lookup is empty by definition
    const byKey = wanted.get(spec.collection) ?? new Map<string, Where>();
    byKey.set(whereKey(w.where), byKey.get(whereKey(w.where)) ?? w.where);
    wanted.set(spec.collection, byKey);
  };
  const fromExpr = (e: Expr, ctx: EvalContext): void => {
    if (e.k === 'aggregate') {
      for (const r of ctx.rows[e.source]) fromExpr(e.arg, rowContext(ctx, e.source, r));
      return;
    }
    if (e.k === 'lookup') add(e.spec, ctx);
    for (const c of childrenOf(e)) fromExpr(c, ctx);
  };
  const visit = (rows: readonly MappingRow[], ctx: EvalContext): void => {
    for (const row of rows) {
      const v = row.value;
      if (v.kind === 'lookup') add(v.spec, ctx);
      else if (v.kind === 'expression') fromExpr(v.expr, ctx);
      else if (v.kind === 'source') {
        for (const r of ctx.rows[v.source]) visit(row.children, rowContext(ctx, v.source, r));
        continue;
      }
      visit(row.children, ctx);
    }
  };
  visit(scheme.mapping, headerContext(record, buildRowSources(record)));

  const fields = findFieldsByCollection(scheme);
  return scheme.collections
    .filter((c) => wanted.has(c.id))
    .map((c) => ({ collection: c.id, name: c.name, fields: fields.get(c.id) ?? [], where: [...wanted.get(c.id)!.values()] }));
}
