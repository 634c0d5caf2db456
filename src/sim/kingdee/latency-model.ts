// The latency model of kingdee-batching.md §5: a call costs a base plus a share per bill (writes) or per
// number in an `in (…)` filter (queries), so batching is charged for what it sends, never free.
import { z } from 'zod';
import { getCi } from './values';

export const LatencyModel = z.object({
  queryBaseMs: z.number().nonnegative().default(150),
  queryPerNumberMs: z.number().nonnegative().default(5),
  saveBaseMs: z.number().nonnegative().default(200),
  savePerBillMs: z.number().nonnegative().default(100),
  operationBaseMs: z.number().nonnegative().default(200),
  operationPerBillMs: z.number().nonnegative().default(50),
});
export type LatencyModel = z.infer<typeof LatencyModel>;
export type LatencyModelInput = z.input<typeof LatencyModel>;

/** The documented defaults (query 150 + 5/number, save 200 + 100/bill, submit/audit/… 200 + 50/bill). */
export const DEFAULT_LATENCY_MODEL: LatencyModel = LatencyModel.parse({});

const QUERY_OPS = new Set(['executebillquery', 'billquery', 'view']);
const SAVE_OPS = new Set(['save', 'batchsave', 'draft']);
const NUMBER_OPS = new Set(['submit', 'audit', 'unaudit', 'cancelassign', 'delete']);

/** Numbers listed in the `in (…)` lists of a FilterString (quoted literals with `''` escapes, or bare numbers). */
export function numbersInFilter(filter: string): number {
  let count = 0;
  for (const match of filter.matchAll(/\bin\s*\(((?:'(?:[^']|'')*'|[^)'])*)\)/gi)) {
    const list = match[1] ?? '';
    count += [...list.matchAll(/'(?:[^']|'')*'|[^,\s]+/g)].length;
  }
  return count;
}

/** Bills a call carries: models in a BatchSave, numbers (or ids) in a status operation, 1 otherwise. */
export function billsInCall(op: string, data: Record<string, unknown> | undefined): number {
  if (!data) return 1;
  const lower = op.toLowerCase();
  if (SAVE_OPS.has(lower)) {
    const model = getCi(data, 'Model');
    return Array.isArray(model) ? Math.max(1, model.length) : 1;
  }
  if (NUMBER_OPS.has(lower)) {
    const numbers = getCi(data, 'Numbers');
    if (Array.isArray(numbers)) return Math.max(1, numbers.length);
    const ids = getCi(data, 'Ids');
    return typeof ids === 'string' ? Math.max(1, ids.split(',').filter((s) => s.trim() !== '').length) : 1;
  }
  return 1;
}

/** Milliseconds the model charges for one call; 0 for logins and anything it does not price. */
export function modelLatencyMs(model: LatencyModel, op: string, data: Record<string, unknown> | undefined): number {
  const lower = op.toLowerCase();
  if (QUERY_OPS.has(lower)) {
    const filter = data ? getCi(data, 'FilterString') : undefined;
    return model.queryBaseMs + model.queryPerNumberMs * (typeof filter === 'string' ? numbersInFilter(filter) : 0);
  }
  if (SAVE_OPS.has(lower)) return model.saveBaseMs + model.savePerBillMs * billsInCall(op, data);
  if (NUMBER_OPS.has(lower)) return model.operationBaseMs + model.operationPerBillMs * billsInCall(op, data);
  return 0;
}
