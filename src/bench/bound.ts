// The throughput ceiling Kingdee allows: with `concurrency` calls in flight per user and every call taking
// its simulated latency, a refund occupies Kingdee for the sum of its calls' latencies, so at most
// concurrency / busy-time refunds finish per second, whatever the engine does.

export interface KingdeeBoundInput {
  concurrency: number;
  queryMs: number;
  writeMs: number;
  /** Existence checks (find by FBillNo) a refund needs: 1 on the happy path. */
  findsPerRefund: number;
  /** Writes a refund needs: save, submit, audit. */
  writesPerRefund: number;
  /** Lookup queries per refund, amortised over pages (measured). */
  lookupQueriesPerRefund: number;
}

export interface KingdeeBound {
  /** Milliseconds of Kingdee call time one refund needs. */
  busyMsPerRefund: number;
  refundsPerSecond: number;
  /** The formula with its numbers, for the report. */
  formula: string;
}

export function kingdeeBound(b: KingdeeBoundInput): KingdeeBound {
  const busyMsPerRefund = (b.findsPerRefund + b.lookupQueriesPerRefund) * b.queryMs + b.writesPerRefund * b.writeMs;
  const refundsPerSecond = busyMsPerRefund > 0 ? (b.concurrency * 1000) / busyMsPerRefund : Number.POSITIVE_INFINITY;
  const round = (x: number) => Number(x.toFixed(3));
  const formula =
    `${b.concurrency} / ((${b.findsPerRefund} find + ${round(b.lookupQueriesPerRefund)} lookups) × ${b.queryMs} ms` +
    ` + ${b.writesPerRefund} writes × ${b.writeMs} ms) = ${b.concurrency} / ${round(busyMsPerRefund)} ms`;
  return { busyMsPerRefund, refundsPerSecond, formula };
}

export interface KingdeeBounds {
  /** One bill per call: sessions / Σ(latency of one refund's calls). */
  singleBill: KingdeeBound;
  /** At the batch size: sessions / Σ(per-call latency ÷ batch size + per-bill latency) (kingdee-batching.md §5). */
  batched: KingdeeBound & { batchSize: number };
}

export interface ModelBoundInput {
  sessions: number;
  batchSize: number;
  model: { queryBaseMs: number; queryPerNumberMs: number; saveBaseMs: number; savePerBillMs: number; operationBaseMs: number; operationPerBillMs: number };
  /** Lookup queries per refund, amortised over pages (measured). */
  lookupQueriesPerRefund: number;
}

/** Both Kingdee bounds of the happy path (find, save, submit, audit) from the same latency model. */
export function kingdeeBounds(b: ModelBoundInput): KingdeeBounds {
  const m = b.model;
  const round = (x: number) => Number(x.toFixed(3));
  const lookups = b.lookupQueriesPerRefund * m.queryBaseMs;
  const bound = (batch: number): KingdeeBound => {
    // A find in a batch is one number of an `in (…)` list; a single find is an `=` filter (no per-number share).
    const find = batch > 1 ? m.queryBaseMs / batch + m.queryPerNumberMs : m.queryBaseMs;
    const save = m.saveBaseMs / batch + m.savePerBillMs;
    const op = m.operationBaseMs / batch + m.operationPerBillMs;
    const busyMsPerRefund = find + lookups + save + 2 * op;
    return {
      busyMsPerRefund,
      refundsPerSecond: busyMsPerRefund > 0 ? (b.sessions * 1000) / busyMsPerRefund : Number.POSITIVE_INFINITY,
      formula:
        `${b.sessions} / (find ${round(find)} + lookups ${round(lookups)} + save ${round(save)} + submit ${round(op)} + audit ${round(op)} ms` +
        `${batch > 1 ? ` at ${batch} bills a call` : ''}) = ${b.sessions} / ${round(busyMsPerRefund)} ms`,
    };
  };
  return { singleBill: bound(1), batched: { ...bound(b.batchSize), batchSize: b.batchSize } };
}
