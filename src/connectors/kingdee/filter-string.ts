// Builds Kingdee FilterString text. Field keys and operators come from code; every value goes through
// a literal encoder, so a quote in a shop name can never change the query (kingdee-webapi.md §6).

export type FilterValue = string | number | boolean;

const FIELD_KEY = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

function fieldKey(key: string): string {
  if (!FIELD_KEY.test(key)) throw new Error(`not a Kingdee field key: ${JSON.stringify(key)}`);
  return key;
}

/** A literal: numbers as digits, everything else single-quoted with `'` doubled. */
export function literal(value: FilterValue): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number for a FilterString: ${value}`);
    return String(value);
  }
  const text = typeof value === 'boolean' ? (value ? '1' : '0') : value;
  return `'${text.replace(/'/g, "''")}'`;
}

export type Condition =
  | { op: '=' | '<>' | '>' | '<' | '>=' | '<='; key: string; value: FilterValue }
  | { op: 'in'; key: string; values: readonly FilterValue[] }
  | { op: 'is null' | 'is not null'; key: string };

export function condition(c: Condition): string {
  const key = fieldKey(c.key);
  switch (c.op) {
    case 'in':
      if (c.values.length === 0) return '1=0'; // an empty IN matches nothing, as SQL would
      return `${key} in (${c.values.map(literal).join(',')})`;
    case 'is null':
    case 'is not null':
      return `${key} ${c.op}`;
    default:
      return `${key}${c.op}${literal(c.value)}`;
  }
}

/** Joins conditions with AND, parenthesising each so a raw fixed filter cannot leak precedence. */
export function and(...parts: Array<Condition | string | undefined>): string {
  const texts = parts
    .filter((p): p is Condition | string => p !== undefined && p !== '')
    .map((p) => (typeof p === 'string' ? p : condition(p)));
  return texts.length <= 1 ? (texts[0] ?? '') : texts.map((t) => `(${t})`).join(' and ');
}

export const eq = (key: string, value: FilterValue): Condition => ({ op: '=', key, value });
export const isIn = (key: string, values: readonly FilterValue[]): Condition => ({ op: 'in', key, values });
