// Answers the lookups records need: from rows given directly (dry runs, tests) or from Kingdee
// ExecuteBillQuery, one query per collection for a whole batch of records (IN over their values, plus
// the collection's fixed filter), every value escaped by the FilterString builder, answers cached.
import { z } from 'zod';
import { and, isIn } from '../connectors/kingdee/filter-string';
import { LookupSourceError } from './errors';
import { answerFrom, stableSort, whereKey, type LookupAnswer, type LookupAnswers, type Where } from './lookup-answers';
import { LruCache, type LruCacheOptions } from './lru-cache';
import { requiredLookups } from './required-lookups';
import type { Collection, Scheme } from './types';

import type { BillQuery } from '../connectors/kingdee/bill-query';

export type { BillQuery };

/** The one Kingdee call lookups need (the Kingdee client has exactly this method). */
export interface BillQueryClient {
  executeBillQuery(q: BillQuery): Promise<unknown[][]>;
}

export type CollectionRows = readonly Readonly<Record<string, unknown>>[];

export class LookupCache extends LruCache<LookupAnswer> {}

export function createLookupCache(options: Partial<LruCacheOptions> & Pick<LruCacheOptions, 'now'>): LookupCache {
  return new LookupCache({ maxEntries: 5000, ttlMs: 5 * 60_000, ...options });
}

export interface CollectionSources {
  /** Rows given directly, keyed by collection id or name; these win over Kingdee. Taken as already filtered. */
  rows?: Readonly<Record<string, CollectionRows>>;
  /** Kingdee, for every collection declared with a `kingdee` section and not given as rows. */
  kingdee?: BillQueryClient;
  /** Answers of Kingdee-backed collections are kept here (found rows only: a missing customer may be created any time). */
  cache?: LookupCache;
  /** Kingdee page size (Limit); default 2000. */
  pageSize?: number;
  /** Most condition sets per query; a bigger batch is split. Default 200. */
  maxWheresPerQuery?: number;
  /** Most rows one query may return before it is refused as unbounded. Default 20 000. */
  maxRows?: number;
}

const cellSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rowsSchema = z.array(z.array(cellSchema));

interface Need {
  fields: string[];
  wheres: Map<string, Where>;
}

function rowsFor(sources: CollectionSources, c: Collection): CollectionRows | undefined {
  return sources.rows?.[c.id] ?? sources.rows?.[c.name];
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `(k1 in (...) and k2 in (...)) or (...)`: one group per distinct set of condition fields. */
function whereFilter(c: Collection, keys: Record<string, string>, wheres: readonly Where[]): string {
  const groups = new Map<string, Where[]>();
  for (const w of wheres) {
    const shape = Object.keys(w).sort().join(',');
    groups.set(shape, [...(groups.get(shape) ?? []), w]);
  }
  const parts = [...groups].map(([shape, ws]) =>
    and(...shape.split(',').map((f) => isIn(keys[f]!, [...new Set(ws.map((w) => w[f]!))].sort()))),
  );
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => `(${p})`).join(' or ');
}

async function queryKingdee(
  c: Collection & { kingdee: NonNullable<Collection['kingdee']> },
  client: BillQueryClient,
  fields: readonly string[],
  wheres: readonly Where[],
  sources: CollectionSources,
): Promise<Array<Record<string, unknown>>> {
  const conditionFields = [...new Set(wheres.flatMap((w) => Object.keys(w)))];
  const queryFields = c.fields.filter((f) => conditionFields.includes(f) || fields.includes(f));
  const keys = c.kingdee.keys;
  const base: BillQuery = {
    FormId: c.kingdee.formId,
    FieldKeys: queryFields.map((f) => keys[f]!).join(','),
    FilterString: and(whereFilter(c, keys, wheres), ...c.kingdee.filter),
    TopRowCount: 0,
  };
  const pageSize = sources.pageSize ?? 2000;
  const maxRows = sources.maxRows ?? 20_000;
  const out: Array<Record<string, unknown>> = [];
  for (let start = 0; ; start += pageSize) {
    const page = rowsSchema.safeParse(await client.executeBillQuery({ ...base, StartRow: start, Limit: pageSize }));
    if (!page.success) {
      throw new LookupSourceError(`collection ${c.name}: ExecuteBillQuery on ${c.kingdee.formId} returned something other than rows of values`);
    }
    for (const cells of page.data) {
      if (cells.length < queryFields.length) {
        throw new LookupSourceError(`collection ${c.name}: ExecuteBillQuery on ${c.kingdee.formId} returned ${cells.length} columns, asked for ${queryFields.length}`);
      }
      out.push(Object.fromEntries(queryFields.map((f, i) => [f, cells[i]])));
    }
    if (out.length > maxRows) throw new LookupSourceError(`collection ${c.name}: lookup query returned more than ${maxRows} rows`);
    if (page.data.length < pageSize) return out;
  }
}

async function answerCollection(c: Collection, need: Need, sources: CollectionSources): Promise<Map<string, LookupAnswer>> {
  const answers = new Map<string, LookupAnswer>();
  const given = rowsFor(sources, c);
  if (given) {
    const sorted = stableSort(given, c.fields);
    for (const [key, where] of need.wheres) answers.set(key, answerFrom(sorted, where, need.fields));
    return answers;
  }
  const { kingdee } = c;
  if (!kingdee || !sources.kingdee) {
    const missing = kingdee ? 'no Kingdee client was given' : 'it declares no Kingdee form';
    throw new LookupSourceError(`collection ${c.name} (${c.id}) has no source: give it as rows, or read it from Kingdee (${missing})`);
  }
  const cachePrefix = JSON.stringify([c.id, kingdee.formId, kingdee.keys, kingdee.filter, need.fields]);
  const misses: Array<[string, Where]> = [];
  for (const [key, where] of need.wheres) {
    const cached = sources.cache?.get(`${cachePrefix}|${key}`);
    // A copy, so nothing done to one record's answers can change the cache.
    if (cached) answers.set(key, { row: cached.row && { ...cached.row }, matches: cached.matches });
    else misses.push([key, where]);
  }
  for (const batch of chunks(misses, sources.maxWheresPerQuery ?? 200)) {
    const rows = await queryKingdee({ ...c, kingdee }, sources.kingdee, need.fields, batch.map(([, w]) => w), sources);
    const sorted = stableSort(rows, c.fields);
    for (const [key, where] of batch) {
      const answer = answerFrom(sorted, where, need.fields);
      answers.set(key, answer);
      if (answer.row) sources.cache?.set(`${cachePrefix}|${key}`, answer);
    }
  }
  return answers;
}

/** Lookups of a page of records: one query per collection (or none when cached), answers per record. */
export async function resolveLookupsForMany(
  scheme: Scheme,
  records: readonly Readonly<Record<string, unknown>>[],
  sources: CollectionSources,
): Promise<LookupAnswers[]> {
  const perRecord = records.map((r) => requiredLookups(scheme, r));
  const needs = new Map<string, Need>();
  for (const requests of perRecord) {
    for (const req of requests) {
      const need = needs.get(req.collection) ?? { fields: req.fields, wheres: new Map<string, Where>() };
      for (const w of req.where) need.wheres.set(whereKey(w), w);
      needs.set(req.collection, need);
    }
  }
  // Collections are independent: query them concurrently (calls still start in declaration order).
  const asked = scheme.collections.filter((c) => needs.has(c.id));
  const results = await Promise.all(asked.map((c) => answerCollection(c, needs.get(c.id)!, sources)));
  const found = new Map(asked.map((c, i) => [c.id, results[i]!]));
  return perRecord.map((requests) => {
    const answers: LookupAnswers = {};
    for (const req of requests) {
      const byKey: Record<string, LookupAnswer> = {};
      for (const w of req.where) {
        const key = whereKey(w);
        byKey[key] = found.get(req.collection)!.get(key)!;
      }
      answers[req.collection] = byKey;
    }
    return answers;
  });
}

/** The lookups of one record (one query per collection, or none when cached). */
export async function resolveLookups(scheme: Scheme, record: Readonly<Record<string, unknown>>, sources: CollectionSources): Promise<LookupAnswers> {
  const [answers] = await resolveLookupsForMany(scheme, [record], sources);
  return answers!;
}
