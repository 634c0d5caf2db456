// `_findCollection find F from C where K1={{v1}} K2=literal [_endFind]`: parsed once at load time, with
// the collection and its fields checked against the scheme's declarations.
import { ValueSyntaxError } from './errors';
import { parsePath, type PathRef } from './paths';
import { readQuotedLiteral } from '../lib/quoted-literal';

export type ConditionValue = { path: PathRef } | { literal: string };

export interface LookupCondition {
  field: string;
  value: ConditionValue;
}

export interface LookupSpec {
  /** The lookup as written, for messages. */
  text: string;
  find: string;
  /** Canonical collection id (resolved from an id or a readable name). */
  collection: string;
  where: LookupCondition[];
}

/** What the parser needs to know about declared collections. */
export interface CollectionCatalog {
  /** Canonical id and field names of a collection named by id or readable name, or undefined. */
  find(ref: string): { id: string; name: string; fields: readonly string[] } | undefined;
}

const START = /^_?findCollection\b/i;
const END = /^_?endFind\b/i;
const WORD = /^[^\s]+/;
const FIELD_EQ = /^([A-Za-z_][\w.]*)\s*=\s*/;

export function startsLookup(text: string): boolean {
  return START.test(text);
}

/**
 * Parses a lookup starting at `text[start]`. With `requireEnd`, a closing `endFind` is mandatory
 * (nested in `_function`); otherwise the lookup runs to the end of the text. Returns the offset after it.
 */
export function parseLookup(
  text: string,
  start: number,
  catalog: CollectionCatalog,
  requireEnd: boolean,
): { spec: LookupSpec; end: number } {
  let i = start;
  const skipBlanks = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const word = (what: string): string => {
    skipBlanks();
    const m = WORD.exec(text.slice(i));
    if (!m) throw new ValueSyntaxError(`lookup: expected ${what}, found the end`, i);
    i += m[0].length;
    return m[0];
  };
  const keyword = (kw: string): void => {
    const at = (skipBlanks(), i);
    const w = word(`"${kw}"`);
    if (w.toLowerCase() !== kw.toLowerCase()) throw new ValueSyntaxError(`lookup: expected "${kw}", found "${w}"`, at);
  };

  const head = START.exec(text.slice(i));
  if (!head) throw new ValueSyntaxError('lookup: expected findCollection', i);
  i += head[0].length;
  keyword('find');
  skipBlanks();
  const findAt = i;
  const find = word('the field to return');
  keyword('from');
  skipBlanks();
  const fromAt = i;
  const collectionRef = word('a collection id or name');
  const collection = catalog.find(collectionRef);
  if (!collection) throw new ValueSyntaxError(`unknown collection "${collectionRef}"`, fromAt);
  const checkField = (field: string, at: number): void => {
    if (!collection.fields.includes(field)) {
      throw new ValueSyntaxError(`collection ${collection.name} has no field "${field}" (declared: ${collection.fields.join(', ')})`, at);
    }
  };
  checkField(find, findAt);
  keyword('where');

  const where: LookupCondition[] = [];
  let closed = false;
  for (;;) {
    skipBlanks();
    if (i >= text.length) break;
    const rest = text.slice(i);
    const end = END.exec(rest);
    if (end) {
      i += end[0].length;
      closed = true;
      break;
    }
    const fieldMatch = FIELD_EQ.exec(rest);
    if (!fieldMatch) throw new ValueSyntaxError(`lookup: expected a condition FIELD=value, found "${WORD.exec(rest)?.[0] ?? rest}"`, i);
    const field = fieldMatch[1]!;
    checkField(field, i);
    i += fieldMatch[0].length;
    where.push({ field, value: conditionValue() });
  }
  if (where.length === 0) throw new ValueSyntaxError('lookup: "where" needs at least one condition FIELD=value', i);
  if (requireEnd && !closed) throw new ValueSyntaxError('a lookup inside _function must end with _endFind (or endFind)', start);
  if (!requireEnd) {
    skipBlanks();
    if (i < text.length) throw new ValueSyntaxError(`unexpected text after the lookup: "${text.slice(i)}"`, i);
  }
  return { spec: { text: text.slice(start, i).trim(), find, collection: collection.id, where }, end: i };

  function conditionValue(): ConditionValue {
    const at = i;
    if (text.startsWith('{{', i)) {
      const close = text.indexOf('}}', i + 2);
      if (close < 0) throw new ValueSyntaxError('unclosed {{ (missing }})', i);
      const path = parsePath(text.slice(i + 2, close), i);
      i = close + 2;
      if (i < text.length && !/\s/.test(text[i]!)) {
        if (requireEnd) throw new ValueSyntaxError('a lookup inside _function must end with _endFind (or endFind) before the expression goes on', i);
        throw new ValueSyntaxError('a condition value is one placeholder or one literal', at);
      }
      return { path };
    }
    if (text[i] === "'") {
      const literal = readQuotedLiteral(text, i);
      if (!literal) throw new ValueSyntaxError('unterminated quoted literal in lookup condition', at);
      i = literal.end;
      return { literal: literal.value };
    }
    const m = WORD.exec(text.slice(i));
    if (!m || m[0] === '') throw new ValueSyntaxError('lookup condition has no value', at);
    if (m[0].includes('{{')) throw new ValueSyntaxError('a condition value is one placeholder or one literal', at);
    i += m[0].length;
    return { literal: m[0] };
  }
}
