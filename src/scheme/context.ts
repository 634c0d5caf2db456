// The evaluation context of a mapping row: the record, its row sources, and the current row of each
// enclosing entry array. Resolves placeholders and reads lookup answers.
import { EvaluationError, LookupAnswersMissingError } from './errors';
import { describeWhere, matchText, whereKey, type LookupAnswers, type Where } from './lookup-answers';
import type { LookupSpec } from './lookup-spec';
import type { PathRef, RowSourceName } from './paths';
import type { Row, RowSet } from './row-sources';
import type { Collection } from './types';

export interface EvalContext {
  record: Readonly<Record<string, unknown>>;
  rows: RowSet;
  current: Readonly<Partial<Record<RowSourceName, Row>>>;
  /** The row source of the innermost enclosing entry array. */
  innermost?: RowSourceName;
}

export function headerContext(record: Readonly<Record<string, unknown>>, rows: RowSet): EvalContext {
  return { record, rows, current: {} };
}

export function rowContext(ctx: EvalContext, source: RowSourceName, row: Row): EvalContext {
  return { ...ctx, current: { ...ctx.current, [source]: row }, innermost: source };
}

/**
 * `SOURCE.field`: the current row of that source, else its first row. A bare field: the innermost current
 * row's field, else the header field, else the first `reftables` row's (flattened) field.
 */
export function resolvePath(ctx: EvalContext, ref: PathRef): unknown {
  if (ref.source) return (ctx.current[ref.source] ?? ctx.rows[ref.source][0])?.[ref.field];
  if (ctx.innermost) {
    const row = ctx.current[ctx.innermost];
    if (row && Object.hasOwn(row, ref.field)) return row[ref.field];
  }
  if (Object.hasOwn(ctx.record, ref.field)) return ctx.record[ref.field];
  return ctx.rows.reftables[0]?.[ref.field];
}

/** The lookup's conditions as text, or the name of the first condition whose value is empty. */
export function lookupWhere(ctx: EvalContext, spec: LookupSpec): { where: Where } | { emptyField: string; source: string } {
  const where: Record<string, string> = {};
  for (const c of spec.where) {
    let value: string;
    if ('literal' in c.value) {
      value = c.value.literal.trim();
    } else {
      const raw = resolvePath(ctx, c.value.path);
      if (typeof raw === 'object' && raw !== null) throw new EvaluationError(`{{${c.value.path.raw}}} is not a single value`);
      value = matchText(raw);
    }
    if (value === '') return { emptyField: c.field, source: 'literal' in c.value ? "''" : `{{${c.value.path.raw}}}` };
    where[c.field] = value;
  }
  return { where };
}

export interface LookupOutcome {
  /** The found field's raw value; undefined when nothing was found. */
  value: unknown;
  /** Why there is no value (for required rows). */
  reason?: string;
  warning?: string;
}

export function readLookup(ctx: EvalContext, spec: LookupSpec, collection: Collection, answers: LookupAnswers): LookupOutcome {
  // Business words for the operator: the Kingdee form and the collection's name, never its internal id.
  const label = collection.kingdee ? `Kingdee ${collection.kingdee.formId} (${collection.name})` : `collection ${collection.name}`;
  const w = lookupWhere(ctx, spec);
  if ('emptyField' in w) return { value: undefined, reason: `no ${collection.noun} looked up in ${label}: ${w.emptyField} is empty (${w.source})` };
  const answer = answers[collection.id]?.[whereKey(w.where)];
  if (!answer) {
    throw new LookupAnswersMissingError(`lookup answers do not cover ${label} where ${describeWhere(w.where)}: resolve the lookups of this record first`);
  }
  const where = describeWhere(w.where);
  if (!answer.row) return { value: undefined, reason: `no ${collection.noun} in ${label} where ${where}` };
  const warning = answer.matches > 1 ? `${answer.matches} ${collection.noun} rows in ${label} where ${where}; took the first` : undefined;
  if (!Object.hasOwn(answer.row, spec.find)) {
    throw new LookupAnswersMissingError(`lookup answers for ${label} do not carry field ${spec.find}: resolve them with this scheme`);
  }
  const value = answer.row[spec.find];
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) {
    return { value: undefined, reason: `the ${collection.noun} in ${label} where ${where} has no ${spec.find}`, warning };
  }
  return { value, warning };
}
