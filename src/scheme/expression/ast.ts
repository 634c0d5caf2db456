// The parsed form of a `_function` expression. Built once at load time; evaluated per record and row.
import type { LookupSpec } from '../lookup-spec';
import type { PathRef, RowSourceName, TemplatePart } from '../paths';
import type { SqlValue } from './sql-value';

export type ArithOp = '+' | '-' | '*' | '/' | '%';
export type CompareOp = '=' | '<>' | '<' | '<=' | '>' | '>=';
export type AggregateName = 'SUM' | 'AVG' | 'MIN' | 'MAX' | 'COUNT';

export type Expr =
  | { k: 'literal'; value: SqlValue }
  /** A quoted string, possibly holding placeholders: their values, never spliced text. */
  | { k: 'text'; parts: TemplatePart[] }
  /** A bare placeholder: the raw value. */
  | { k: 'path'; path: PathRef }
  | { k: 'lookup'; spec: LookupSpec }
  | { k: 'negate'; operand: Expr }
  | { k: 'not'; operand: Expr }
  | { k: 'arith'; op: ArithOp; left: Expr; right: Expr }
  | { k: 'compare'; op: CompareOp; left: Expr; right: Expr }
  | { k: 'and' | 'or'; left: Expr; right: Expr }
  | { k: 'isNull'; operand: Expr; negated: boolean }
  | { k: 'in'; operand: Expr; list: Expr[]; negated: boolean }
  | { k: 'like'; operand: Expr; pattern: Expr; negated: boolean }
  | { k: 'case'; subject?: Expr; branches: Array<{ when: Expr; then: Expr }>; otherwise?: Expr }
  | { k: 'call'; name: string; args: Expr[] }
  | { k: 'aggregate'; name: AggregateName; arg: Expr; source: RowSourceName };

/** The direct sub-expressions of a node. */
export function childrenOf(e: Expr): Expr[] {
  switch (e.k) {
    case 'negate':
    case 'not':
    case 'isNull':
      return [e.operand];
    case 'arith':
    case 'compare':
    case 'and':
    case 'or':
      return [e.left, e.right];
    case 'in':
      return [e.operand, ...e.list];
    case 'like':
      return [e.operand, e.pattern];
    case 'case':
      return [...(e.subject ? [e.subject] : []), ...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise ? [e.otherwise] : [])];
    case 'call':
      return e.args;
    case 'aggregate':
      return [e.arg];
    default:
      return [];
  }
}

/** Every sub-expression, depth first. */
export function* walkExpr(e: Expr): Generator<Expr> {
  yield e;
  for (const c of childrenOf(e)) yield* walkExpr(c);
}
