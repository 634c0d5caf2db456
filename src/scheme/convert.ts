// Converts evaluated values to a row's type (scheme-language.md §2, Types): strings print numbers without
// exponent, numbers are JSON numbers, booleans accept true/false/1/0 in any case.
import { Dec, formatDec, isDec, toDec } from './decimal';
import { EvaluationError } from './errors';
import { booleanSpelling, type SqlValue } from './expression/sql-value';
import type { JsonScalar } from './types';

export type ScalarType = 'string' | 'number' | 'bool';

/** The converted value, or undefined when the value is empty (the field is left out). */
export function convertRaw(raw: unknown, type: ScalarType, what: string): Exclude<JsonScalar, null> | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'string' && raw === '') return undefined;
  if (typeof raw === 'object' && !isDec(raw)) throw new EvaluationError(`${what} is not a single value`);
  switch (type) {
    case 'string':
      if (typeof raw === 'number') {
        const d = toDec(raw);
        if (!d) throw new EvaluationError(`${what} is not a finite number`);
        return formatDec(d);
      }
      return isDec(raw) ? formatDec(raw) : String(raw);
    case 'number': {
      if (typeof raw === 'boolean') throw new EvaluationError(`${what} is ${raw}, not a number`);
      const d = isDec(raw) ? raw : toDec(raw as string | number);
      if (!d) throw new EvaluationError(`${what} is ${JSON.stringify(raw)}, not a number`);
      return exactNumber(d, what);
    }
    case 'bool': {
      if (typeof raw === 'boolean') return raw;
      const b = booleanSpelling(isDec(raw) ? formatDec(raw) : String(raw));
      if (b === undefined) throw new EvaluationError(`${what} is ${JSON.stringify(isDec(raw) ? formatDec(raw) : raw)}, not a boolean (true/false/1/0)`);
      return b;
    }
  }
}

/** Kingdee stores amounts and quantities as decimal(23,10): 13 integer digits, 10 decimals. */
export const KINGDEE_INTEGER_DIGITS = 13;
export const KINGDEE_DECIMALS = 10;

/**
 * The JSON number for `d`, or an error naming the value when Kingdee could not hold it or JSON could not
 * carry it exactly: money and quantities are exact or rejected, never Infinity, null or rounded on the way.
 */
export function exactNumber(d: Dec, what: string): number {
  const shown = () => {
    const text = d.isFinite() ? formatDec(d) : d.toString();
    return text.length > 40 ? `${text.slice(0, 20)}…(${text.length} characters)` : text;
  };
  if (!d.isFinite()) throw new EvaluationError(`${what} is ${shown()}, not a finite number`);
  if (d.abs().gte(new Dec(10).pow(KINGDEE_INTEGER_DIGITS))) {
    throw new EvaluationError(`${what} is ${shown()}: more than ${KINGDEE_INTEGER_DIGITS} integer digits, beyond Kingdee's decimal(23,10)`);
  }
  if (d.decimalPlaces() > KINGDEE_DECIMALS) {
    throw new EvaluationError(`${what} is ${shown()}: more than ${KINGDEE_DECIMALS} decimals, beyond Kingdee's decimal(23,10)`);
  }
  const n = d.toNumber();
  if (!new Dec(n).equals(d)) throw new EvaluationError(`${what} is ${shown()}, which a JSON number cannot carry exactly`);
  return n;
}

/** An expression result: as convertRaw, except that a boolean printed as text is 1 or 0 (MySQL). */
export function convertSql(v: SqlValue, type: ScalarType, what: string): Exclude<JsonScalar, null> | undefined {
  if (typeof v === 'boolean' && type === 'string') return v ? '1' : '0';
  return convertRaw(v, type, what);
}
