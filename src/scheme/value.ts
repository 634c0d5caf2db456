// Classifies and parses one 配置值: empty, constant, template, lookup or `_function` expression
// (scheme-language.md §2). Everything is parsed here, at load time.
import { toDec } from './decimal';
import { ValueSyntaxError } from './errors';
import { parseExpression } from './expression/parser';
import { booleanSpelling } from './expression/sql-value';
import { parseLookup, startsLookup, type CollectionCatalog } from './lookup-spec';
import { isRowSource, parseTemplate, ROW_SOURCES } from './paths';
import type { RowType, ValueAst } from './types';

const FUNCTION_PREFIX = /^_function(\s|$)/i;

/** The constant converted to the row's type, or a syntax error saying why it cannot be. */
export function constantOf(text: string, type: 'string' | 'number' | 'bool'): string | number | boolean {
  if (type === 'string') return text;
  if (type === 'number') {
    const d = toDec(text);
    if (!d) throw new ValueSyntaxError(`"${text}" is not a number (the row's type is number)`, 0);
    return d.toNumber();
  }
  const b = booleanSpelling(text);
  if (b === undefined) throw new ValueSyntaxError(`"${text}" is not a boolean (true/false/1/0; the row's type is bool)`, 0);
  return b;
}

export function parseValue(text: string, type: RowType, catalog: CollectionCatalog): ValueAst {
  const start = text.length - text.trimStart().length;
  const trimmed = text.trim();
  if (type === 'object') {
    if (trimmed !== '') throw new ValueSyntaxError('an object row groups its child rows and has no value', start);
    return { kind: 'empty' };
  }
  if (type === 'array') {
    if (trimmed === '') return { kind: 'empty' };
    if (isRowSource(trimmed)) return { kind: 'source', source: trimmed };
    throw new ValueSyntaxError(`an array row's value names a row source (${ROW_SOURCES.join(', ')}) or is empty`, start);
  }
  if (trimmed === '') return { kind: 'empty' };
  if (FUNCTION_PREFIX.test(trimmed)) {
    return { kind: 'expression', expr: parseExpression(text, start + '_function'.length, catalog) };
  }
  if (startsLookup(trimmed)) return { kind: 'lookup', spec: parseLookup(text, start, catalog, false).spec };
  if (trimmed.includes('{{')) return { kind: 'template', parts: parseTemplate(trimmed, start) };
  if (trimmed.includes('}}')) throw new ValueSyntaxError('}} without an opening {{', text.indexOf('}}'));
  return { kind: 'constant', value: constantOf(text, type) };
}
