// One batch of writes to Kingdee, read bill by bill (kingdee-batching.md §3.5–§3.8): results keyed by FBillNo;
// a call-level failure or a lost reply is reconciled by ONE `FBillNo in (…)` query, only the missing bills are
// resent under the same numbers, and a second call-level failure is bisected down to the bill that breaks it.
import {
  KingdeeBusinessError,
  KingdeeUnknownOutcomeError,
  type FoundBill,
  type KingdeeCallContext,
  type KingdeeFieldError,
  type NumbersOperation,
} from '../connectors/kingdee';
import { errorForStatus } from '../connectors/kingdee/reply';
import type { NormalStatus } from '../connectors/kingdee/responses';

export interface WriteBackend {
  /** A write sent this long ago has ended in Kingdee, reply or not. */
  readonly requestTimeoutMs: number;
  findBills(formId: string, numbers: string[]): Promise<Map<string, FoundBill>>;
  sendBatch(op: 'BatchSave' | NumbersOperation, formId: string, payload: { models: Array<Record<string, unknown>>; options?: Record<string, unknown> } | { numbers: string[] }): Promise<NormalStatus>;
}

export type WriteKind = { op: 'BatchSave'; options: Record<string, unknown> } | { op: NumbersOperation };

export interface WriteItem {
  billNo: string;
  /** BatchSave only. */
  model?: Record<string, unknown>;
  /** A Save reply named it: `{ id, number }`; found by reconciliation: `{ id, number, adopted }`; other writes: undefined. */
  resolve(result: SaveOutcome | undefined): void;
  reject(err: unknown): void;
}

export interface SaveOutcome {
  id: string;
  number: string;
  adopted?: { status: string };
}

/** Status each operation leaves a bill in (undefined: the bill is gone). */
const TARGET: Record<NumbersOperation, (bill: FoundBill | undefined) => boolean> = {
  Submit: (b) => b?.status === 'B' || b?.status === 'C',
  Audit: (b) => b?.status === 'C',
  CancelAssign: (b) => b?.status === 'A',
  UnAudit: (b) => b?.status === 'D',
  Delete: (b) => b === undefined,
};

/** What one reply says about each bill sent. */
interface ReadReply {
  done: Map<WriteItem, { id: string; number: string }>;
  rejected: Map<WriteItem, KingdeeFieldError[]>;
  /** Neither named as done nor rejected. */
  unknown: WriteItem[];
  /** The reply is about the call, not its bills (errors without DIndex, or one error and nothing done). */
  callLevel: boolean;
}

/** Per-bill reading of a reply: successes by FBillNo (never by position or IsSuccess), rejections by DIndex. */
export function readReply(status: NormalStatus, items: WriteItem[]): ReadReply {
  const byNumber = new Map(items.map((i) => [i.billNo, i]));
  const done = new Map<WriteItem, { id: string; number: string }>();
  for (const s of status.successes) {
    const item = s.number !== '' ? byNumber.get(s.number) : undefined;
    if (item) done.set(item, { id: s.id, number: s.number });
  }
  const single = items.length === 1;
  const callLevel = !single && (status.errors.some((e) => e.withoutDIndex) || (status.successes.length === 0 && status.errors.length === 1));
  const rejected = new Map<WriteItem, KingdeeFieldError[]>();
  if (!callLevel) {
    for (const e of status.errors) {
      const item = single ? items[0] : items[e.dIndex];
      if (!item || done.has(item)) continue;
      rejected.set(item, [...(rejected.get(item) ?? []), { ...e, dIndex: 0 }]);
    }
  }
  const unknown = items.filter((i) => !done.has(i) && !rejected.has(i));
  return { done, rejected, unknown, callLevel: callLevel || (status.errors.length === 0 && !status.isSuccess && unknown.length > 0) };
}

export interface WriteBatchDeps {
  backend: WriteBackend;
  sleep(ms: number): Promise<void>;
  /** Counts calls by outcome, for tests and the benchmark. */
  onCall?(op: string, bills: number): void;
}

/** Runs one batch to the end: every item is resolved or rejected. */
export async function runWriteBatch(deps: WriteBatchDeps, formId: string, kind: WriteKind, items: WriteItem[]): Promise<void> {
  await round(deps, formId, kind, dedupe(items), false);
}

/** One item per FBillNo: a duplicate inside a batch waits for nothing and gets the first one's outcome. */
function dedupe(items: WriteItem[]): WriteItem[] {
  const first = new Map<string, WriteItem[]>();
  for (const item of items) first.set(item.billNo, [...(first.get(item.billNo) ?? []), item]);
  return [...first.values()].map((same) =>
    same.length === 1 ? same[0]! : { ...same[0]!, resolve: (r) => same.forEach((i) => i.resolve(r)), reject: (e) => same.forEach((i) => i.reject(e)) },
  );
}

async function round(deps: WriteBatchDeps, formId: string, kind: WriteKind, items: WriteItem[], failedBefore: boolean): Promise<void> {
  const ctx = (bills: WriteItem[]): KingdeeCallContext => ({ operation: kind.op, formId, billNumbers: bills.map((i) => i.billNo) });
  let unknown: WriteItem[];
  let callError: unknown;
  let callLevel = true;
  try {
    deps.onCall?.(kind.op, items.length);
    const status = await deps.backend.sendBatch(
      kind.op,
      formId,
      kind.op === 'BatchSave' ? { models: items.map((i) => i.model!), options: kind.options } : { numbers: items.map((i) => i.billNo) },
    );
    const read = readReply(status, items);
    for (const [item, entity] of read.done) item.resolve(kind.op === 'BatchSave' ? entity : undefined);
    for (const [item, errors] of read.rejected) item.reject(errorForStatus({ ...status, isSuccess: false, errors, successes: [] }, ctx([item])));
    unknown = read.unknown;
    callLevel = read.callLevel;
    if (callLevel) callError = errorForStatus({ ...status, isSuccess: false }, ctx(items));
  } catch (err) {
    unknown = items;
    callError = err;
    // A lost reply: the server may still be writing. Wait out the request before looking (§3.8).
    if (err instanceof KingdeeUnknownOutcomeError) await deps.sleep(deps.backend.requestTimeoutMs);
  }
  if (unknown.length === 0) return;

  let found: Map<string, FoundBill>;
  try {
    found = await deps.backend.findBills(formId, unknown.map((i) => i.billNo));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    for (const item of unknown) item.reject(new KingdeeUnknownOutcomeError(ctx([item]), `the reconciliation query failed (${why}): the write may have committed`));
    return;
  }
  const reached = (item: WriteItem): boolean => (kind.op === 'BatchSave' ? found.has(item.billNo) : TARGET[kind.op](found.get(item.billNo)));
  for (const item of unknown.filter(reached)) {
    const bill = found.get(item.billNo);
    // Found, not named in a reply: proof of existence, never of creation.
    item.resolve(kind.op === 'BatchSave' && bill ? { id: bill.id, number: bill.number, adopted: { status: bill.status } } : undefined);
  }
  const missing = unknown.filter((i) => !reached(i));
  if (missing.length === 0) return;

  if (!callLevel && kind.op !== 'BatchSave') {
    // Answered, yet not named: a number the server skipped (e.g. it does not exist). Not for resending.
    for (const item of missing) {
      const now = found.get(item.billNo);
      item.reject(new KingdeeBusinessError(ctx([item]), { msgCode: 10, fieldErrors: [] }, `not processed by ${kind.op} (the bill is ${now ? `in status ${now.status}` : 'not found'})`));
    }
    return;
  }
  if (failedBefore && missing.length === 1) {
    missing[0]!.reject(callError ?? new KingdeeUnknownOutcomeError(ctx(missing), 'neither saved nor rejected, twice'));
    return;
  }
  if (!failedBefore) return round(deps, formId, kind, missing, true);
  const half = Math.ceil(missing.length / 2);
  await round(deps, formId, kind, missing.slice(0, half), true);
  await round(deps, formId, kind, missing.slice(half), true);
}
