// mapRecord: (scheme, record, lookup answers) → the Kingdee Save request body, or business errors that
// name the row and the reason. Pure and deterministic: fields come out in mapping-row order.
import { headerContext, readLookup, resolvePath, rowContext, type EvalContext } from './context';
import { convertRaw, convertSql, type ScalarType } from './convert';
import { EvaluationError } from './errors';
import { formatDec, toDec } from './decimal';
import { evaluateExpr, type ExprEnv } from './expression/evaluate';
import { describe, fromRaw, toText } from './expression/sql-value';
import type { LookupAnswers } from './lookup-answers';
import type { LookupSpec } from './lookup-spec';
import { buildRowSources } from './row-sources';
import type { Collection, JsonValue, MappingRow, Scheme } from './types';

export interface KingdeeSaveBody {
  formid: string;
  data: { [option: string]: JsonValue; Model: { [field: string]: JsonValue } };
}

export interface MappingError {
  /** The mapping row (target path), e.g. `FEntity.FMaterialId`. */
  row: string;
  /** What and where, e.g. `FRetcustId: no customer in Kingdee BD_Customer (customers) where FName=天猫旗舰店`. */
  message: string;
}

export type MappingResult =
  | { ok: true; body: KingdeeSaveBody; warnings: string[] }
  | { ok: false; errors: MappingError[]; warnings: string[] };

type Scalar = string | number | boolean;
type Evaluated = { value: Scalar } | { empty: string };

class RecordMapper {
  readonly errors: MappingError[] = [];
  readonly warnings: string[] = [];
  private readonly collections: Map<string, Collection>;

  constructor(
    scheme: Scheme,
    private readonly answers: LookupAnswers,
  ) {
    this.collections = new Map(scheme.collections.map((c) => [c.id, c]));
  }

  /** The object of `rows` in `ctx`; `line` names the entry line for messages. */
  object(rows: readonly MappingRow[], ctx: EvalContext, line: string): Record<string, JsonValue> {
    const out: Record<string, JsonValue> = {};
    for (const row of rows) {
      const value = this.row(row, ctx, line);
      if (value !== undefined) out[row.key] = value;
    }
    return out;
  }

  private fail(row: MappingRow, line: string, reason: string): void {
    this.errors.push({ row: row.path, message: `${row.path}${line}: ${reason}` });
  }

  private row(row: MappingRow, ctx: EvalContext, line: string): JsonValue | undefined {
    if (row.type === 'object') {
      const obj = this.object(row.children, ctx, line);
      if (Object.keys(obj).length > 0) return obj;
      if (row.required) this.fail(row, line, 'all of its fields are empty');
      return undefined;
    }
    if (row.type === 'array') {
      if (row.value.kind === 'source') {
        const source = row.value.source;
        const elements = ctx.rows[source].map((r, i) => this.object(row.children, rowContext(ctx, source, r), ` (line ${i + 1})`));
        if (elements.length > 0) return elements;
        if (row.required) this.fail(row, line, `no rows in ${source}`);
        return undefined;
      }
      const element = this.object(row.children, ctx, line);
      if (Object.keys(element).length > 0) return [element];
      if (row.required) this.fail(row, line, 'all of its fields are empty');
      return undefined;
    }
    let result: Evaluated;
    try {
      result = this.scalar(row, row.type, ctx);
      if ('value' in result) checkBounds(row, result.value);
    } catch (err) {
      if (!(err instanceof EvaluationError)) throw err;
      this.fail(row, line, err.message);
      return undefined;
    }
    if ('empty' in result) {
      if (row.required) this.fail(row, line, result.empty);
      return undefined;
    }
    return row.basedata ? { [row.basedata]: result.value } : result.value;
  }

  private lookup(spec: LookupSpec, ctx: EvalContext): { value: unknown; reason?: string } {
    const collection = this.collections.get(spec.collection)!;
    const outcome = readLookup(ctx, spec, collection, this.answers);
    if (outcome.warning && !this.warnings.includes(outcome.warning)) this.warnings.push(outcome.warning);
    return outcome;
  }

  private scalar(row: MappingRow, type: ScalarType, ctx: EvalContext): Evaluated {
    const what = `the value of ${row.path}`;
    const done = (value: Scalar | undefined, emptyReason: string): Evaluated => (value === undefined ? { empty: emptyReason } : { value });
    const v = row.value;
    switch (v.kind) {
      case 'empty':
      case 'source':
        return { empty: 'no value is configured' };
      case 'constant':
        return { value: v.value };
      case 'template': {
        const only = v.parts.length === 1 ? v.parts[0]! : undefined;
        if (only && 'path' in only) {
          return done(convertRaw(resolvePath(ctx, only.path), type, `{{${only.path.raw}}}`), `{{${only.path.raw}}} is empty`);
        }
        const text = v.parts
          .map((p) => ('text' in p ? p.text : (toText(fromRaw(resolvePath(ctx, p.path), `{{${p.path.raw}}}`)) ?? '')))
          .join('');
        return done(convertRaw(text, type, what), 'the template gave empty text');
      }
      case 'lookup': {
        const found = this.lookup(v.spec, ctx);
        return done(convertRaw(found.value, type, `the ${v.spec.find} found`), found.reason ?? 'the lookup found nothing');
      }
      case 'expression': {
        const reasons: string[] = [];
        const value = evaluateExpr(v.expr, this.env(ctx, reasons));
        const converted = convertSql(value, type, `the expression's result ${describe(value)}`);
        const why = reasons.length > 0 ? ` (${[...new Set(reasons)].join('; ')})` : '';
        return done(converted, `the expression gave ${value === null ? 'NULL' : 'empty text'}${why}`);
      }
    }
  }

  private env(ctx: EvalContext, reasons: string[]): ExprEnv {
    return {
      resolve: (path) => resolvePath(ctx, path),
      lookup: (spec) => {
        const found = this.lookup(spec, ctx);
        if (found.reason) reasons.push(found.reason);
        return found.value;
      },
      rows: (source) => ctx.rows[source].map((r) => this.env(rowContext(ctx, source, r), reasons)),
    };
  }
}

export function mapRecord(scheme: Scheme, record: Readonly<Record<string, unknown>>, answers: LookupAnswers): MappingResult {
  const rows = buildRowSources(record);
  const mapper = new RecordMapper(scheme, answers);
  const model = mapper.object(scheme.mapping, headerContext(record, rows), '');
  const warnings = [...rows.warnings, ...mapper.warnings];
  if (mapper.errors.length > 0) return { ok: false, errors: mapper.errors, warnings };
  const data: KingdeeSaveBody['data'] = { ...scheme.target.options, IsAutoSubmitAndAudit: scheme.target.autoSubmitAndAudit, Model: model };
  return { ok: true, body: { formid: scheme.target.formId, data }, warnings };
}

/** A numeric value outside the row's declared bounds is an error naming the value and the bound. */
function checkBounds(row: MappingRow, value: unknown): void {
  if (row.min === undefined && row.max === undefined) return;
  const d = typeof value === 'number' || typeof value === 'string' ? toDec(value) : undefined;
  if (!d) return;
  if (row.min !== undefined && d.lt(row.min)) throw new EvaluationError(`${formatDec(d)} is below the scheme's minimum ${row.min}`);
  if (row.max !== undefined && d.gt(row.max)) throw new EvaluationError(`${formatDec(d)} is above the scheme's maximum ${row.max}`);
}
