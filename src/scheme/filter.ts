// evaluateFilter: is a record eligible for a document? A rule that is not true (false or NULL) skips the
// record with that rule's human reason. Filter rules read the record only (no lookups), so this is sync.
import { headerContext, resolvePath, rowContext, type EvalContext } from './context';
import { EvaluationError, FilterEvaluationError } from './errors';
import { evaluateExpr, type ExprEnv } from './expression/evaluate';
import { fromRaw, toText, truth } from './expression/sql-value';
import { buildRowSources } from './row-sources';
import type { Scheme } from './types';

export type FilterResult = { eligible: true } | { eligible: false; reason: string };

function env(ctx: EvalContext): ExprEnv {
  return {
    resolve: (path) => resolvePath(ctx, path),
    lookup: () => {
      throw new EvaluationError('filter rules cannot use lookups');
    },
    rows: (source) => ctx.rows[source].map((r) => env(rowContext(ctx, source, r))),
  };
}

/** A placeholder's value in a reason: text, or nothing when it is not a single value. */
function reasonValue(raw: unknown): string {
  try {
    return toText(fromRaw(raw, 'value')) ?? '';
  } catch (err) {
    if (err instanceof EvaluationError) return '';
    throw err;
  }
}

export function evaluateFilter(scheme: Scheme, record: Readonly<Record<string, unknown>>): FilterResult {
  const ctx = headerContext(record, buildRowSources(record));
  for (const rule of scheme.filter) {
    let passed: boolean | null;
    try {
      passed = truth(evaluateExpr(rule.expr, env(ctx)));
    } catch (err) {
      if (err instanceof EvaluationError) throw new FilterEvaluationError(rule.index, err.message);
      throw err;
    }
    if (passed !== true) {
      return { eligible: false, reason: rule.reason.map((p) => ('text' in p ? p.text : reasonValue(resolvePath(ctx, p.path)))).join('') };
    }
  }
  return { eligible: true };
}
