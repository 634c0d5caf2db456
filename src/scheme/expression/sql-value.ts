// Values inside `_function` expressions, with MySQL semantics made strict where MySQL is silently lossy:
// NULL propagates, truthiness follows MySQL, numbers are decimals, text is compared case-insensitively
// (MySQL's default collations), and text that is not a number never becomes 0 in arithmetic.
import { Dec, formatDec, isDec, toDec } from '../decimal';
import { EvaluationError } from '../errors';

export type SqlValue = null | string | boolean | Dec;

const TRUE_SPELLINGS = new Set(['true', '1']);
const FALSE_SPELLINGS = new Set(['false', '0']);

/** Kingdee check boxes come back as true, "True", 1 or "1": text that spells a boolean, as a boolean. */
export function booleanSpelling(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (TRUE_SPELLINGS.has(t)) return true;
  if (FALSE_SPELLINGS.has(t)) return false;
  return undefined;
}

/** A raw record, row or constant value as an expression value. */
export function fromRaw(raw: unknown, what: string): SqlValue {
  if (raw === undefined || raw === null) return null;
  if (typeof raw === 'string' || typeof raw === 'boolean') return raw;
  if (typeof raw === 'number') {
    const d = toDec(raw);
    if (!d) throw new EvaluationError(`${what} is not a finite number (${raw})`);
    return d;
  }
  if (isDec(raw)) return raw;
  throw new EvaluationError(`${what} is not a single value (it is ${Array.isArray(raw) ? 'a list' : 'an object'})`);
}

/** A lookup result: like fromRaw, but a boolean spelled as text ("True", "false") becomes a boolean. */
export function fromLookup(raw: unknown, what: string): SqlValue {
  if (typeof raw === 'string' && /^\s*(true|false)\s*$/i.test(raw)) return raw.trim().toLowerCase() === 'true';
  return fromRaw(raw, what);
}

export function quoteText(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function describe(v: SqlValue): string {
  if (v === null) return 'NULL';
  if (typeof v === 'string') return quoteText(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return formatDec(v);
}

/** Text form, as MySQL prints it (TRUE is 1). */
export function toText(v: SqlValue): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? '1' : '0';
  return formatDec(v);
}

/** Numeric form for arithmetic and numeric functions; text that is not a number is an error, not 0. */
export function toNumber(v: SqlValue): Dec | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return new Dec(v ? 1 : 0);
  if (typeof v === 'string') {
    const d = toDec(v);
    if (!d) throw new EvaluationError(`${quoteText(v)} is not a number`);
    return d;
  }
  return v;
}

const LEADING_NUMBER = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)/;

/** MySQL truthiness: non-zero numbers are true; text counts by its leading number (or its boolean spelling). */
export function truth(v: SqlValue): boolean | null {
  if (v === null) return null;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const spelled = booleanSpelling(v);
    if (spelled !== undefined) return spelled;
    const m = LEADING_NUMBER.exec(v);
    return m ? !new Dec(m[0].trim()).isZero() : false;
  }
  return !v.isZero();
}

function compareText(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Numeric reading of a value compared with a number or boolean; undefined for text that is neither. */
function numericForComparison(v: string | boolean | Dec): Dec | undefined {
  if (typeof v === 'boolean') return new Dec(v ? 1 : 0);
  if (typeof v === 'string') {
    const spelled = booleanSpelling(v);
    if (spelled !== undefined && !toDec(v)) return new Dec(spelled ? 1 : 0);
    return toDec(v);
  }
  return v;
}

/**
 * Three-way comparison; null when either side is NULL. Text with text compares case-insensitively;
 * otherwise both sides compare as numbers. For ordering, text that is not a number is an error; for
 * equality it is simply unequal (so `CASE x WHEN 1 ... WHEN 'a'` works).
 */
export function compare(a: SqlValue, b: SqlValue, forEquality: boolean): number | null {
  if (a === null || b === null) return null;
  if (typeof a === 'string' && typeof b === 'string') return compareText(a, b);
  const x = numericForComparison(a);
  const y = numericForComparison(b);
  if (!x || !y) {
    if (forEquality) return Number.NaN;
    throw new EvaluationError(`cannot order ${describe(a)} against ${describe(b)}: one is text, the other a number`);
  }
  return x.comparedTo(y);
}

export function equals(a: SqlValue, b: SqlValue): boolean | null {
  const c = compare(a, b, true);
  return c === null ? null : c === 0;
}
