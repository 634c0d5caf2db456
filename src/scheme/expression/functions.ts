// The scalar functions `_function` supports, with MySQL semantics (NULL in, NULL out, unless the
// function is about NULL). Names are matched case-insensitively; arity is checked at load time.
import type Decimal from 'decimal.js';
import { Dec, type Dec as DecT } from '../decimal';
import { EvaluationError } from '../errors';
import { dateFormat, formatDate, formatDateTime, fromUnixSeconds, parseDateTime, toUnixSeconds } from './datetime';
import { equals, toNumber, toText, truth, type SqlValue } from './sql-value';

export interface ScalarFunction {
  min: number;
  max: number;
  /** Functions that decide themselves what NULL means; the rest return NULL when any argument is NULL. */
  nullAware?: boolean;
  apply(args: SqlValue[]): SqlValue;
  /** Functions that evaluate only the arguments they need (so an unused branch cannot fail). */
  lazy?: (args: Array<() => SqlValue>) => SqlValue;
}

const chars = (s: string): string[] => Array.from(s);

function text(v: SqlValue): string {
  return toText(v) ?? '';
}

function num(v: SqlValue): DecT {
  return toNumber(v) ?? new Dec(0);
}

function int(v: SqlValue, what: string): number {
  const d = num(v);
  if (!d.isInteger()) throw new EvaluationError(`${what} must be a whole number, got ${d.toString()}`);
  return d.toNumber();
}

function utf8Length(s: string): number {
  let bytes = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

function round(x: DecT, places: number, mode: Decimal.Rounding): DecT {
  if (places >= 0) return x.toDecimalPlaces(places, mode);
  const factor = new Dec(10).pow(-places);
  return x.div(factor).toDecimalPlaces(0, mode).times(factor);
}

function substringIndex(s: string, delim: string, count: number): string {
  if (delim === '' || count === 0) return '';
  const pieces = s.split(delim);
  if (count > 0) return pieces.slice(0, count).join(delim);
  return pieces.slice(Math.max(0, pieces.length + count)).join(delim);
}

function locate(sub: string, s: string, from: number): number {
  if (from < 1) return 0;
  const hay = chars(s.toLowerCase());
  const needle = chars(sub.toLowerCase());
  for (let i = from - 1; i + needle.length <= hay.length; i++) {
    if (needle.every((c, k) => hay[i + k] === c)) return i + 1;
  }
  return 0;
}

function substring(s: string, pos: number, len?: number): string {
  const cs = chars(s);
  if (pos === 0) return '';
  const start = pos > 0 ? pos - 1 : cs.length + pos;
  if (start < 0 || start >= cs.length) return '';
  if (len !== undefined && len < 1) return '';
  return cs.slice(start, len === undefined ? undefined : start + len).join('');
}

function dateParts(v: SqlValue): ReturnType<typeof parseDateTime> {
  return parseDateTime(text(v));
}

const fn = (min: number, max: number, apply: (args: SqlValue[]) => SqlValue, nullAware = false): ScalarFunction => ({ min, max, apply, nullAware });
const lazyFn = (min: number, max: number, lazy: (args: Array<() => SqlValue>) => SqlValue): ScalarFunction => ({
  min, max, nullAware: true, lazy, apply: (args) => lazy(args.map((a) => () => a)),
});
const VARIADIC = Number.POSITIVE_INFINITY;

export const SCALAR_FUNCTIONS: Readonly<Record<string, ScalarFunction>> = {
  IF: lazyFn(3, 3, ([c, a, b]) => (truth(c!()) ? a!() : b!())),
  IFNULL: lazyFn(2, 2, ([a, b]) => a!() ?? b!()),
  COALESCE: lazyFn(1, VARIADIC, (args) => {
    for (const a of args) {
      const v = a();
      if (v !== null) return v;
    }
    return null;
  }),
  NULLIF: fn(2, 2, ([a, b]) => (equals(a!, b!) === true ? null : a!), true),
  CONCAT: fn(1, VARIADIC, (args) => args.map(text).join('')),
  CONCAT_WS: fn(2, VARIADIC, ([sep, ...rest]) => (sep === null ? null : rest.filter((a) => a !== null).map(text).join(text(sep!))), true),
  LEFT: fn(2, 2, ([s, n]) => chars(text(s!)).slice(0, Math.max(0, int(n!, 'LEFT length'))).join('')),
  RIGHT: fn(2, 2, ([s, n]) => {
    const k = int(n!, 'RIGHT length');
    return k <= 0 ? '' : chars(text(s!)).slice(-k).join('');
  }),
  SUBSTRING: fn(2, 3, ([s, p, l]) => substring(text(s!), int(p!, 'SUBSTRING position'), l === undefined ? undefined : int(l, 'SUBSTRING length'))),
  SUBSTRING_INDEX: fn(3, 3, ([s, d, c]) => substringIndex(text(s!), text(d!), int(c!, 'SUBSTRING_INDEX count'))),
  LOCATE: fn(2, 3, ([sub, s, p]) => new Dec(locate(text(sub!), text(s!), p === undefined ? 1 : int(p, 'LOCATE position')))),
  LENGTH: fn(1, 1, ([s]) => new Dec(utf8Length(text(s!)))),
  CHAR_LENGTH: fn(1, 1, ([s]) => new Dec(chars(text(s!)).length)),
  UPPER: fn(1, 1, ([s]) => text(s!).toUpperCase()),
  LOWER: fn(1, 1, ([s]) => text(s!).toLowerCase()),
  TRIM: fn(1, 1, ([s]) => text(s!).replace(/^ +| +$/g, '')),
  LTRIM: fn(1, 1, ([s]) => text(s!).replace(/^ +/, '')),
  RTRIM: fn(1, 1, ([s]) => text(s!).replace(/ +$/, '')),
  REPLACE: fn(3, 3, ([s, from, to]) => (text(from!) === '' ? text(s!) : text(s!).split(text(from!)).join(text(to!)))),
  ROUND: fn(1, 2, ([x, d]) => round(num(x!), d === undefined ? 0 : int(d, 'ROUND places'), Dec.ROUND_HALF_UP)),
  TRUNCATE: fn(2, 2, ([x, d]) => round(num(x!), int(d!, 'TRUNCATE places'), Dec.ROUND_DOWN)),
  ABS: fn(1, 1, ([x]) => num(x!).abs()),
  CEIL: fn(1, 1, ([x]) => num(x!).ceil()),
  FLOOR: fn(1, 1, ([x]) => num(x!).floor()),
  DATE: fn(1, 1, ([v]) => {
    const p = dateParts(v!);
    return p ? formatDate(p) : null;
  }),
  DATE_FORMAT: fn(2, 2, ([v, f]) => {
    const p = dateParts(v!);
    return p ? dateFormat(p, text(f!)) : null;
  }),
  FROM_UNIXTIME: fn(1, 2, ([t, f]) => {
    const p = fromUnixSeconds(num(t!));
    if (!p) return null;
    return f === undefined ? formatDateTime(p) : dateFormat(p, text(f));
  }),
  UNIX_TIMESTAMP: fn(1, 1, ([v]) => {
    const p = dateParts(v!);
    return p ? toUnixSeconds(p) : null;
  }),
};

/** Other spellings MySQL accepts for the same functions. */
export const FUNCTION_ALIASES: Readonly<Record<string, string>> = {
  SUBSTR: 'SUBSTRING',
  CEILING: 'CEIL',
  CHARACTER_LENGTH: 'CHAR_LENGTH',
  UCASE: 'UPPER',
  LCASE: 'LOWER',
};

export const AGGREGATES = ['SUM', 'AVG', 'MIN', 'MAX', 'COUNT'] as const;
