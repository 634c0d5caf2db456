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
