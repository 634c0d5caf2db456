// A real FilterString parser and evaluator (kingdee-webapi.md §9.10): = <> != > < >= <=, [not] like,
// [not] in (…), is [not] null, and/or/not, parentheses; single-quoted strings with '' escaping; keywords
// and keys case-insensitive. Evaluation is SQL three-valued: a comparison with NULL is unknown, and only
// rows where the whole filter is true pass. Literals are coerced to the type of the field they meet.
import type { FieldKind } from './forms';
import { toBool, toDate } from './values';
import { readQuotedLiteral } from '../../lib/quoted-literal';

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
}

export type CompareOp = '=' | '<>' | '>' | '<' | '>=' | '<=';
export type Operand = { kind: 'field'; key: string } | { kind: 'literal'; value: string | number };
export type FilterExpr =
  | { kind: 'and' | 'or'; left: FilterExpr; right: FilterExpr }
  | { kind: 'not'; expr: FilterExpr }
  | { kind: 'compare'; op: CompareOp; left: Operand; right: Operand }
  | { kind: 'like'; negated: boolean; left: Operand; pattern: Operand }
  | { kind: 'in'; negated: boolean; left: Operand; list: Operand[] }
  | { kind: 'isNull'; negated: boolean; operand: Operand };

type Token =
  | { t: 'ident'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'op'; v: CompareOp | '!='; pos: number }
  | { t: 'punct'; v: '(' | ')' | ','; pos: number }
  | { t: 'end'; pos: number };

const KEYWORDS = new Set(['and', 'or', 'not', 'like', 'in', 'is', 'null']);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const operandBefore = (): boolean => {
    const last = tokens[tokens.length - 1];
    return last !== undefined && (last.t === 'num' || last.t === 'str' || (last.t === 'ident' && !KEYWORDS.has(last.v.toLowerCase())) || (last.t === 'punct' && last.v === ')'));
  };
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const start = i;
      const literal = readQuotedLiteral(text, start);
      if (!literal) throw new FilterSyntaxError(`unterminated string starting at position ${start}`);
      i = literal.end;
      tokens.push({ t: 'str', v: literal.value, pos: start });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? '') && !operandBefore())) {
      const m = /^-?\d+(\.\d+)?/.exec(text.slice(i))!;
      tokens.push({ t: 'num', v: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i))!;
      tokens.push({ t: 'ident', v: m[0], pos: i });
      i += m[0].length;
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ t: 'punct', v: c, pos: i });
      i++;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '>=' || two === '<=' || two === '<>' || two === '!=') {
        tokens.push({ t: 'op', v: two, pos: i });
        i += 2;
      } else if (c === '=' || c === '<' || c === '>') {
        tokens.push({ t: 'op', v: c, pos: i });
        i++;
      } else {
        throw new FilterSyntaxError(`unexpected character '${c}' at position ${i}`);
      }
    }
  }
  tokens.push({ t: 'end', pos: text.length });
  return tokens;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.at]!;
  }

  private next(): Token {
    return this.tokens[this.at++]!;
  }

  private isKeyword(word: string, token: Token = this.peek()): boolean {
    return token.t === 'ident' && token.v.toLowerCase() === word;
  }

  private expectKeyword(word: string): void {
    if (!this.isKeyword(word)) this.fail(`expected '${word.toUpperCase()}'`);
    this.at++;
  }

  private expectPunct(p: '(' | ')' | ','): void {
    const t = this.peek();
    if (t.t !== 'punct' || t.v !== p) this.fail(`expected '${p}'`);
    this.at++;
  }

  private fail(what: string): never {
    const t = this.peek();
    const found = t.t === 'end' ? 'end of filter' : `'${String(t.v)}'`;
    throw new FilterSyntaxError(`${what} but found ${found} at position ${t.pos}`);
  }

  parseAll(): FilterExpr {
    const expr = this.parseOr();
    if (this.peek().t !== 'end') this.fail('expected AND, OR or the end');
    return expr;
  }

  private parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.isKeyword('or')) {
      this.at++;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): FilterExpr {
    let left = this.parseNot();
    while (this.isKeyword('and')) {
      this.at++;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): FilterExpr {
    if (this.isKeyword('not')) {
      this.at++;
      return { kind: 'not', expr: this.parseNot() };
    }
    return this.parsePredicate();
  }

  private parsePredicate(): FilterExpr {
    const t = this.peek();
    if (t.t === 'punct' && t.v === '(') {
      this.at++;
      const inner = this.parseOr();
      this.expectPunct(')');
      return inner;
    }
    const left = this.parseOperand();
    const op = this.peek();
    if (op.t === 'op') {
      this.at++;
      return { kind: 'compare', op: op.v === '!=' ? '<>' : op.v, left, right: this.parseOperand() };
    }
    if (this.isKeyword('is')) {
      this.at++;
      const negated = this.isKeyword('not');
      if (negated) this.at++;
      this.expectKeyword('null');
      return { kind: 'isNull', negated, operand: left };
    }
    const negated = this.isKeyword('not');
    if (negated) this.at++;
    if (this.isKeyword('like')) {
      this.at++;
      return { kind: 'like', negated, left, pattern: this.parseOperand() };
    }
    if (this.isKeyword('in')) {
      this.at++;
      this.expectPunct('(');
      const list = [this.parseOperand()];
      while (this.peek().t === 'punct' && (this.peek() as { v: string }).v === ',') {
        this.at++;
        list.push(this.parseOperand());
      }
      this.expectPunct(')');
      return { kind: 'in', negated, left, list };
    }
    return this.fail('expected a comparison, LIKE, IN or IS');
  }

  private parseOperand(): Operand {
    const t = this.next();
    if (t.t === 'num' || t.t === 'str') return { kind: 'literal', value: t.v };
    if (t.t === 'ident' && !KEYWORDS.has(t.v.toLowerCase())) return { kind: 'field', key: t.v };
    this.at--;
    return this.fail('expected a field key, a number or a quoted string');
  }
}

/** The expression, or undefined for an empty filter. Throws FilterSyntaxError. */
export function parseFilter(text: string): FilterExpr | undefined {
  if (text.trim() === '') return undefined;
  return new Parser(tokenize(text)).parseAll();
}

/** Every field key the filter mentions (to resolve them against the form before evaluating). */
export function filterFieldKeys(expr: FilterExpr | undefined): string[] {
  if (!expr) return [];
  const keys: string[] = [];
  const visit = (o: Operand): void => {
    if (o.kind === 'field') keys.push(o.key);
  };
  const walk = (e: FilterExpr): void => {
    switch (e.kind) {
      case 'and':
      case 'or':
        walk(e.left);
        walk(e.right);
        break;
      case 'not':
        walk(e.expr);
        break;
      case 'compare':
        visit(e.left);
        visit(e.right);
        break;
      case 'like':
        visit(e.left);
        visit(e.pattern);
        break;
      case 'in':
        visit(e.left);
        e.list.forEach(visit);
        break;
      case 'isNull':
        visit(e.operand);
    }
  };
  walk(expr);
  return keys;
}

/** A value with the type of the field it came from (`literal` for constants in the filter). */
export interface TypedValue {
  value: unknown;
  kind: FieldKind | 'literal';
}

type Truth = boolean | null;

function comparable(v: TypedValue, kind: FieldKind | 'literal', other: TypedValue): number | string | null {
  const x = v.value;
  if (x === null || x === undefined) return null;
  switch (kind) {
    case 'number':
    case 'ref': {
      const n = typeof x === 'number' ? x : Number(String(x).trim());
      return String(x).trim() === '' || Number.isNaN(n) ? null : n;
    }
    case 'bool':
      return toBool(x) ? 1 : 0;
    case 'date':
      return typeof x === 'string' ? (toDate(x) ?? null) : null;
    case 'literal': {
      // Constant against constant: numeric when both sides read as numbers (`1=0`, `'1'='1'` stays textual).
      if (typeof x === 'number' && (typeof other.value === 'number' || !Number.isNaN(Number(other.value)))) return x;
      if (typeof other.value === 'number' && typeof x === 'string' && x.trim() !== '' && !Number.isNaN(Number(x))) return Number(x);
      return String(x);
    }
    default:
      return String(x);
  }
}

function compare(a: TypedValue, b: TypedValue): number | null {
  const kind = a.kind !== 'literal' ? a.kind : b.kind;
  const x = comparable(a, kind, b);
  const y = comparable(b, kind, a);
  if (x === null || y === null) return null;
  if (typeof x !== typeof y) return null;
  return x < y ? -1 : x > y ? 1 : 0;
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

const notTruth = (t: Truth): Truth => (t === null ? null : !t);

/** True only when the filter is definitely true for the row `read` describes. */
export function evaluateFilter(expr: FilterExpr | undefined, read: (key: string) => TypedValue): boolean {
  if (!expr) return true;
  const operand = (o: Operand): TypedValue => (o.kind === 'field' ? read(o.key) : { value: o.value, kind: 'literal' });
  const evalExpr = (e: FilterExpr): Truth => {
    switch (e.kind) {
      case 'and': {
        const l = evalExpr(e.left);
        if (l === false) return false;
        const r = evalExpr(e.right);
        return r === false ? false : l === null || r === null ? null : true;
      }
      case 'or': {
        const l = evalExpr(e.left);
        if (l === true) return true;
        const r = evalExpr(e.right);
        return r === true ? true : l === null || r === null ? null : false;
      }
      case 'not':
        return notTruth(evalExpr(e.expr));
      case 'compare': {
        const c = compare(operand(e.left), operand(e.right));
        if (c === null) return null;
        switch (e.op) {
          case '=': return c === 0;
          case '<>': return c !== 0;
          case '>': return c > 0;
          case '<': return c < 0;
          case '>=': return c >= 0;
          case '<=': return c <= 0;
        }
        return null;
      }
      case 'like': {
        const value = operand(e.left).value;
        const pattern = operand(e.pattern).value;
        if (value === null || value === undefined || pattern === null || pattern === undefined) return null;
        const hit = likeRegex(String(pattern)).test(String(value));
        return e.negated ? !hit : hit;
      }
      case 'in': {
        const left = operand(e.left);
        let unknown = false;
        for (const item of e.list) {
          const c = compare(left, operand(item));
          if (c === 0) return !e.negated;
          if (c === null) unknown = true;
        }
        return unknown ? null : e.negated;
      }
      case 'isNull': {
        const v = operand(e.operand).value;
        const isNull = v === null || v === undefined;
        return e.negated ? !isNull : isNull;
      }
    }
  };
  return evalExpr(expr) === true;
}
