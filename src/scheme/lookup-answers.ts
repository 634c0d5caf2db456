// What lookups found, as plain JSON: it travels through Temporal history, so it holds only the first
// matching row per condition (only the fields the scheme reads) and how many rows matched.
import { Dec, formatDec } from './decimal';
import type { JsonScalar } from './types';

export type CollectionRow = Record<string, JsonScalar>;

export interface LookupAnswer {
  /** First match in the stable order (rows sorted by the collection's declared fields), or null. */
  row: CollectionRow | null;
  /** How many rows matched (more than one is reported as a warning). */
  matches: number;
}

/** collection id → where key (see whereKey) → answer. */
export type LookupAnswers = Record<string, Record<string, LookupAnswer>>;

/** Conditions of one lookup: collection field → trimmed text. */
export type Where = Readonly<Record<string, string>>;

/** Canonical key of a condition set: fields sorted, JSON so no value can collide with another. */
export function whereKey(where: Where): string {
  return JSON.stringify(Object.keys(where).sort().map((k) => [k, where[k]]));
}

export function describeWhere(where: Where): string {
  return Object.entries(where).map(([k, v]) => `${k}=${v}`).join(' ');
}

/** Comparison text of a collection or record value: trimmed, numbers without exponent. */
export function matchText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? formatDec(new Dec(v)) : String(v);
  return String(v).trim();
}

/** Answers one where from candidate rows (already in stable order), keeping only `fields`. */
export function answerFrom(rows: readonly Record<string, unknown>[], where: Where, fields: readonly string[]): LookupAnswer {
  const matches = rows.filter((r) => Object.entries(where).every(([k, v]) => matchText(r[k]) === v));
  const first = matches[0];
  if (!first) return { row: null, matches: 0 };
  const row: CollectionRow = {};
  for (const f of fields) {
    const v = first[f];
    row[f] = v === undefined ? null : (v as JsonScalar);
  }
  return { row, matches: matches.length };
}

/** Stable order of collection rows: by the declared fields' text, in declared order (code-unit order). */
export function stableSort<T extends Record<string, unknown>>(rows: readonly T[], fields: readonly string[]): T[] {
  return [...rows].sort((a, b) => {
    for (const f of fields) {
      const x = matchText(a[f]);
      const y = matchText(b[f]);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}
