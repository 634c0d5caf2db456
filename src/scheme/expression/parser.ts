// Recursive-descent parser for `_function` expressions, with MySQL operator precedence:
// OR < AND < NOT < comparison/IS/IN/LIKE < + - < * / % < unary minus.
import { Dec } from '../decimal';
import { ValueSyntaxError } from '../errors';
import type { CollectionCatalog } from '../lookup-spec';
import type { RowSourceName } from '../paths';
import { walkExpr, type AggregateName, type CompareOp, type Expr } from './ast';
import { AGGREGATES, FUNCTION_ALIASES, SCALAR_FUNCTIONS } from './functions';
import { tokenize, type Token } from './tokenizer';

const COMPARE_OPS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const RESERVED = new Set(['AND', 'OR', 'NOT', 'IS', 'NULL', 'IN', 'LIKE', 'CASE', 'WHEN', 'THEN', 'ELSE', 'END', 'TRUE', 'FALSE']);

/** Parses the expression in `text` starting at `start` (after `_function`); offsets in errors are positions in `text`. */
export function parseExpression(text: string, start: number, catalog: CollectionCatalog): Expr {
  const tokens = tokenize(text, start, catalog);
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[at++]!;
  const isWord = (tok: Token, ...words: string[]): boolean => tok.t === 'word' && words.includes(tok.upper);
  const isOp = (tok: Token, ...ops: string[]): boolean => tok.t === 'op' && ops.includes(tok.text);
  const show = (tok: Token): string => {
    switch (tok.t) {
      case 'end':
        return 'the end of the expression';
      case 'word':
      case 'op':
      case 'number':
        return `"${tok.text}"`;
      case 'path':
        return `{{${tok.path.raw}}}`;
      case 'string':
        return 'a string';
      case 'lookup':
        return 'a lookup';
    }
  };
  const fail = (message: string, tok: Token = peek()): never => {
    throw new ValueSyntaxError(message, tok.pos);
  };
  const expectWord = (word: string): void => {
    if (!isWord(peek(), word)) fail(`expected ${word}, found ${show(peek())}`);
    next();
  };
  const expectOp = (op: string): void => {
    if (!isOp(peek(), op)) fail(`expected "${op}", found ${show(peek())}`);
    next();
  };

  const expr = (): Expr => or();
  const or = (): Expr => {
    let left = and();
    while (isWord(peek(), 'OR')) {
      next();
      left = { k: 'or', left, right: and() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isWord(peek(), 'AND')) {
      next();
      left = { k: 'and', left, right: not() };
    }
    return left;
  };
  const not = (): Expr => {
    if (isWord(peek(), 'NOT')) {
      next();
      return { k: 'not', operand: not() };
    }
    return predicate();
  };
  const predicate = (): Expr => {
    let left = additive();
    for (;;) {
      const tok = peek();
      if (tok.t === 'op' && COMPARE_OPS.has(tok.text)) {
        next();
        left = { k: 'compare', op: tok.text as CompareOp, left, right: additive() };
      } else if (isWord(tok, 'IS')) {
        next();
        const negated = isWord(peek(), 'NOT');
        if (negated) next();
        expectWord('NULL');
        left = { k: 'isNull', operand: left, negated };
      } else if (isWord(tok, 'IN', 'LIKE') || (isWord(tok, 'NOT') && isWord(tokens[at + 1]!, 'IN', 'LIKE'))) {
        const negated = isWord(tok, 'NOT');
        if (negated) next();
        const kw = next() as Extract<Token, { t: 'word' }>;
        if (kw.upper === 'LIKE') {
          left = { k: 'like', operand: left, pattern: additive(), negated };
        } else {
          expectOp('(');
          const list = [expr()];
          while (isOp(peek(), ',')) {
            next();
            list.push(expr());
          }
          expectOp(')');
          left = { k: 'in', operand: left, list, negated };
        }
      } else {
        return left;
      }
    }
  };
  const additive = (): Expr => {
    let left = multiplicative();
    while (isOp(peek(), '+', '-')) {
      const op = next() as Extract<Token, { t: 'op' }>;
      left = { k: 'arith', op: op.text as '+' | '-', left, right: multiplicative() };
    }
    return left;
  };
  const multiplicative = (): Expr => {
    let left = unary();
    while (isOp(peek(), '*', '/', '%')) {
      const op = next() as Extract<Token, { t: 'op' }>;
      left = { k: 'arith', op: op.text as '*' | '/' | '%', left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp(peek(), '-')) {
      next();
      return { k: 'negate', operand: unary() };
    }
    if (isOp(peek(), '+')) {
      next();
      return unary();
    }
    return primary();
  };
  const primary = (): Expr => {
    const tok = next();
    switch (tok.t) {
      case 'number':
        return { k: 'literal', value: new Dec(tok.text) };
      case 'string':
        return tok.parts.every((p) => 'text' in p)
          ? { k: 'literal', value: tok.parts.map((p) => ('text' in p ? p.text : '')).join('') }
          : { k: 'text', parts: tok.parts };
      case 'path':
        return { k: 'path', path: tok.path };
      case 'lookup':
        return { k: 'lookup', spec: tok.spec };
      case 'op':
        if (tok.text === '(') {
          const inner = expr();
          expectOp(')');
          return inner;
        }
        return fail(`unexpected ${show(tok)}`, tok);
      case 'end':
        return fail('the expression ends too early', tok);
      case 'word':
        break;
    }
    switch (tok.upper) {
      case 'TRUE':
        return { k: 'literal', value: true };
      case 'FALSE':
        return { k: 'literal', value: false };
      case 'NULL':
        return { k: 'literal', value: null };
      case 'CASE':
        return caseExpr();
    }
    if (RESERVED.has(tok.upper)) return fail(`unexpected ${tok.upper}`, tok);
    if (!isOp(peek(), '(')) {
      return fail(`unknown word "${tok.text}" (fields are written as placeholders, e.g. {{${tok.text}}})`, tok);
    }
    return call(tok);
  };
  const caseExpr = (): Expr => {
    const subject = isWord(peek(), 'WHEN') ? undefined : expr();
    const branches: Array<{ when: Expr; then: Expr }> = [];
    while (isWord(peek(), 'WHEN')) {
      next();
      const when = expr();
      expectWord('THEN');
      branches.push({ when, then: expr() });
    }
    if (branches.length === 0) fail(`CASE needs at least one WHEN, found ${show(peek())}`);
    let otherwise: Expr | undefined;
    if (isWord(peek(), 'ELSE')) {
      next();
      otherwise = expr();
    }
    expectWord('END');
    return { k: 'case', subject, branches, otherwise };
  };
  const call = (nameTok: Extract<Token, { t: 'word' }>): Expr => {
    expectOp('(');
    const args: Expr[] = [];
    if (!isOp(peek(), ')')) {
      args.push(expr());
      while (isOp(peek(), ',')) {
        next();
        args.push(expr());
      }
    }
    expectOp(')');
    const upper = nameTok.upper;
    if ((AGGREGATES as readonly string[]).includes(upper)) return aggregate(nameTok, upper as AggregateName, args);
    const name = FUNCTION_ALIASES[upper] ?? upper;
    const f = SCALAR_FUNCTIONS[name];
    if (!f) return fail(`unknown function ${nameTok.text}`, nameTok);
    if (name === 'UNIX_TIMESTAMP' && args.length === 0) {
      return fail('UNIX_TIMESTAMP() needs a date argument: mapping has no clock', nameTok);
    }
    if (args.length < f.min || args.length > f.max) {
      const wanted = f.min === f.max ? `${f.min}` : f.max === Number.POSITIVE_INFINITY ? `at least ${f.min}` : `${f.min} to ${f.max}`;
      return fail(`${name} takes ${wanted} argument${wanted === '1' ? '' : 's'}, got ${args.length}`, nameTok);
    }
    return { k: 'call', name, args };
  };
  const aggregate = (nameTok: Token, name: AggregateName, args: Expr[]): Expr => {
    if (args.length !== 1) return fail(`${name} takes 1 argument, got ${args.length}`, nameTok);
    const arg = args[0]!;
    const sources = new Set<RowSourceName>();
    for (const e of walkExpr(arg)) {
      if (e.k === 'aggregate') fail(`${name} cannot contain another aggregate`, nameTok);
      if (e.k === 'path' && e.path.source) sources.add(e.path.source);
      if (e.k === 'text') for (const p of e.parts) if ('path' in p && p.path.source) sources.add(p.path.source);
      if (e.k === 'lookup') for (const c of e.spec.where) if ('path' in c.value && c.value.path.source) sources.add(c.value.path.source);
    }
    if (sources.size !== 1) {
      return fail(`${name} runs over the rows of one row source: write e.g. ${name}({{reftables.batchs_qty}})`, nameTok);
    }
    return { k: 'aggregate', name, arg, source: [...sources][0]! };
  };

  const result = expr();
  if (peek().t !== 'end') fail(`unexpected ${show(peek())} after the expression`);
  return result;
}
