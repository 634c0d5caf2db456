// Evaluates a parsed `_function` expression against an environment that resolves placeholders,
// lookups and row sources. Pure: the environment decides where values come from.
import { Dec, type Dec as DecT } from '../decimal';
import { EvaluationError } from '../errors';
import type { LookupSpec } from '../lookup-spec';
import type { PathRef, RowSourceName, TemplatePart } from '../paths';
import type { AggregateName, Expr } from './ast';
import { SCALAR_FUNCTIONS } from './functions';
import { compare, equals, fromLookup, fromRaw, toNumber, toText, truth, type SqlValue } from './sql-value';

export interface ExprEnv {
  /** Raw value of a placeholder (undefined when it resolves to nothing). */
  resolve(path: PathRef): unknown;
  /** Raw value of the looked-up field (undefined when nothing matched). */
  lookup(spec: LookupSpec): unknown;
  /** One environment per row of a row source, for aggregates. */
  rows(source: RowSourceName): readonly ExprEnv[];
}

/** MySQL: the quotient keeps the dividend's scale plus 4 places (div_precision_increment). */
function divide(a: DecT, b: DecT): DecT {
  return a.div(b).toDecimalPlaces(a.decimalPlaces() + 4, Dec.ROUND_HALF_UP);
}

function likeRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      source += escapeRegExp(pattern[++i]!);
    } else if (ch === '%') {
      source += '[\\s\\S]*';
    } else if (ch === '_') {
      source += '[\\s\\S]';
    } else {
      source += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${source}$`, 'iu');
}

function escapeRegExp(ch: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(ch) ? `\\${ch}` : ch;
}

function textOf(parts: readonly TemplatePart[], env: ExprEnv): string {
  return parts.map((p) => ('text' in p ? p.text : (toText(fromRaw(env.resolve(p.path), `{{${p.path.raw}}}`)) ?? ''))).join('');
}

function aggregate(name: AggregateName, values: SqlValue[]): SqlValue {
  const present = values.filter((v): v is Exclude<SqlValue, null> => v !== null);
  if (name === 'COUNT') return new Dec(present.length);
  if (present.length === 0) return null;
  if (name === 'SUM' || name === 'AVG') {
    const sum = present.reduce<DecT>((acc, v) => acc.plus(toNumber(v)!), new Dec(0));
    return name === 'SUM' ? sum : divide(sum, new Dec(present.length));
  }
  const numeric = present.every((v) => typeof v !== 'string');
  let best = present[0]!;
  for (const v of present.slice(1)) {
    const c = numeric ? toNumber(v)!.comparedTo(toNumber(best)!) : compare(toText(v), toText(best), false)!;
    if (name === 'MIN' ? c < 0 : c > 0) best = v;
  }
  return best;
}

export function evaluateExpr(e: Expr, env: ExprEnv): SqlValue {
  const ev = (x: Expr): SqlValue => evaluateExpr(x, env);
  switch (e.k) {
    case 'literal':
      return e.value;
    case 'text':
      return textOf(e.parts, env);
    case 'path':
      return fromRaw(env.resolve(e.path), `{{${e.path.raw}}}`);
    case 'lookup':
      return fromLookup(env.lookup(e.spec), `the ${e.spec.find} found by the lookup`);
    case 'negate': {
      const v = toNumber(ev(e.operand));
      return v === null ? null : v.negated();
    }
    case 'not': {
      const v = truth(ev(e.operand));
      return v === null ? null : !v;
    }
    case 'arith': {
      const a = toNumber(ev(e.left));
      const b = toNumber(ev(e.right));
      if (a === null || b === null) return null;
      switch (e.op) {
        case '+':
          return a.plus(b);
        case '-':
          return a.minus(b);
        case '*':
          return a.times(b);
        case '/':
          return b.isZero() ? null : divide(a, b);
        case '%':
          return b.isZero() ? null : a.mod(b);
      }
      break;
    }
    case 'compare': {
      const c = compare(ev(e.left), ev(e.right), e.op === '=' || e.op === '<>');
      if (c === null) return null;
      switch (e.op) {
        case '=':
          return c === 0;
        case '<>':
          return c !== 0;
        case '<':
          return c < 0;
        case '<=':
          return c <= 0;
        case '>':
          return c > 0;
        case '>=':
          return c >= 0;
      }
      break;
    }
    case 'and': {
      // Short-circuit as MySQL does, so `{{x}} <> '' AND {{x}} + 1 > 2` never computes on empty text.
      const a = truth(ev(e.left));
      if (a === false) return false;
      const b = truth(ev(e.right));
      if (b === false) return false;
      return a === null || b === null ? null : true;
    }
    case 'or': {
      const a = truth(ev(e.left));
      if (a === true) return true;
      const b = truth(ev(e.right));
      if (b === true) return true;
      return a === null || b === null ? null : false;
    }
    case 'isNull':
      return (ev(e.operand) === null) !== e.negated;
    case 'in': {
      const v = ev(e.operand);
      if (v === null) return null;
      let sawNull = false;
      for (const item of e.list) {
        const eq = equals(v, ev(item));
        if (eq === true) return !e.negated;
        if (eq === null) sawNull = true;
      }
      return sawNull ? null : e.negated;
    }
    case 'like': {
      const v = toText(ev(e.operand));
      const p = toText(ev(e.pattern));
      if (v === null || p === null) return null;
      return likeRegExp(p).test(v) !== e.negated;
    }
    case 'case': {
      const subject = e.subject ? ev(e.subject) : undefined;
      for (const b of e.branches) {
        const hit = subject === undefined ? truth(ev(b.when)) : equals(subject, ev(b.when));
        if (hit === true) return ev(b.then);
      }
      return e.otherwise ? ev(e.otherwise) : null;
    }
    case 'call': {
      const f = SCALAR_FUNCTIONS[e.name];
      if (!f) throw new EvaluationError(`unknown function ${e.name}`);
      if (f.lazy) return f.lazy(e.args.map((a) => () => ev(a)));
      const args = e.args.map(ev);
      if (!f.nullAware && args.some((a) => a === null)) return null;
      return f.apply(args);
    }
    case 'aggregate':
      return aggregate(e.name, env.rows(e.source).map((rowEnv) => evaluateExpr(e.arg, rowEnv)));
  }
  throw new EvaluationError('unsupported expression');
}
