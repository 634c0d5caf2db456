// Splits a `_function` expression into tokens. Placeholders and nested lookups become single tokens,
// so record values are never spliced into the expression text.
import { ValueSyntaxError } from '../errors';
import { parseLookup, type CollectionCatalog, type LookupSpec } from '../lookup-spec';
import { parsePath, parseTemplate, type PathRef, type TemplatePart } from '../paths';
import { readQuotedLiteral } from '../../lib/quoted-literal';

export type Token =
  | { t: 'number'; text: string; pos: number }
  | { t: 'string'; parts: TemplatePart[]; pos: number }
  | { t: 'path'; path: PathRef; pos: number }
  | { t: 'lookup'; spec: LookupSpec; pos: number }
  | { t: 'word'; text: string; upper: string; pos: number }
  | { t: 'op'; text: string; pos: number }
  | { t: 'end'; pos: number };

const NUMBER = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_]*/;
const OPERATORS = ['<=', '>=', '<>', '!=', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ','];

/** Tokens of `text` from `start` (offsets are positions in `text`). */
export function tokenize(text: string, start: number, catalog: CollectionCatalog): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const rest = text.slice(i);
    if (rest.startsWith('{{')) {
      const close = text.indexOf('}}', i + 2);
      if (close < 0) throw new ValueSyntaxError('unclosed {{ (missing }})', i);
      tokens.push({ t: 'path', path: parsePath(text.slice(i + 2, close), i), pos: i });
      i = close + 2;
      continue;
    }
    if (ch === "'") {
      const at = i;
      const literal = readQuotedLiteral(text, at);
      if (!literal) throw new ValueSyntaxError('unterminated string literal (missing closing quote)', at);
      i = literal.end;
      tokens.push({ t: 'string', parts: parseTemplate(literal.value, at + 1), pos: at });
      continue;
    }
    if (ch === '"' || ch === '`') throw new ValueSyntaxError(`strings are written in single quotes, not ${ch}`, i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ t: 'number', text: number[0], pos: i });
      i += number[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      if (/^_?findCollection$/i.test(word[0])) {
        const { spec, end } = parseLookup(text, i, catalog, true);
        tokens.push({ t: 'lookup', spec, pos: i });
        i = end;
        continue;
      }
      if (/^_?endFind$/i.test(word[0])) throw new ValueSyntaxError(`${word[0]} without a lookup before it`, i);
      tokens.push({ t: 'word', text: word[0], upper: word[0].toUpperCase(), pos: i });
      i += word[0].length;
      continue;
    }
    const op = OPERATORS.find((o) => rest.startsWith(o));
    if (!op) throw new ValueSyntaxError(`unexpected character "${ch}"`, i);
    tokens.push({ t: 'op', text: op === '!=' ? '<>' : op, pos: i });
    i += op.length;
  }
  tokens.push({ t: 'end', pos: text.length });
  return tokens;
}
