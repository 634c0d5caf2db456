// Decimal arithmetic for money and quantities: one private Decimal constructor so the engine never
// changes decimal.js's global configuration and never touches binary floating point.
import Decimal from 'decimal.js';

export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -60, toExpPos: 60 });
export type Dec = Decimal;

export function isDec(value: unknown): value is Dec {
  return Decimal.isDecimal(value);
}

/** Plain decimal numerals only (no hex, no Infinity, no NaN), surrounding blanks allowed. */
const NUMERAL = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;

/** The decimal a text or JS number stands for, or undefined when it is not a plain number. */
export function toDec(value: string | number): Dec | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? new Dec(value) : undefined;
  return NUMERAL.test(value) ? new Dec(value.trim()) : undefined;
}

/** Fixed-point text, never exponent notation, no negative zero. */
export function formatDec(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed();
}
