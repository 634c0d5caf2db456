// The targets, checked against a report's runs. A target whose run did not take place is "not measured".
import { kingdeeBounds, type KingdeeBounds } from './bound';
import { latencyModelFor } from './sim-latency';
import { DEFAULT_LATENCY_MODEL } from '../sim/kingdee/latency-model';
import type { BenchOptions } from './options';
import type { RunResult } from './results';

export const TARGETS = {
  engineShareOfCeiling: 0.5,
  realisticShareOfBound: 0.8,
  realisticOverSingleBillBound: 3,
  writeOrCheckPerRefund: 0.5,
  historyEventsPerRefund: 20,
  lookupQueriesPerRefund: 0.2,
} as const;

export interface TargetCheck {
  name: string;
  target: string;
  actual: string;
  /** null: not measured in this invocation. */
  met: boolean | null;
}

/** The run that stands for the happy path: the realistic one, else the engine one. */
export function happyPathRun(runs: readonly RunResult[]): RunResult | undefined {
  return runs.find((r) => r.kind === 'realistic') ?? runs.find((r) => r.kind === 'engine');
}

/** Both Kingdee bounds of the realistic settings' latency model, with the lookups this invocation measured (none: 0). */
export function boundFor(options: Pick<BenchOptions, 'kingdeeConcurrency' | 'realistic' | 'batchSize'>, runs: readonly RunResult[]): KingdeeBounds {
  return kingdeeBounds({
    sessions: options.kingdeeConcurrency,
    batchSize: options.batchSize,
    model: latencyModelFor(options.realistic) ?? DEFAULT_LATENCY_MODEL,
    lookupQueriesPerRefund: happyPathRun(runs)?.kingdee.lookupQueriesPerRefund ?? 0,
  });
}

const fixed = (x: number | null | undefined, digits = 2) => (x === null || x === undefined ? 'n/a' : x.toFixed(digits));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${(x * 100).toFixed(0)}%`);

export function checkTargets(runs: readonly RunResult[], bounds: KingdeeBounds): TargetCheck[] {
  const bound = bounds.batched;
  const single = bounds.singleBill;
  const engine = runs.find((r) => r.kind === 'engine');
  const realistic = runs.find((r) => r.kind === 'realistic');
  const happy = happyPathRun(runs);
  const shareOfBound = realistic?.refundsPerSecond == null ? null : realistic.refundsPerSecond / bound.refundsPerSecond;
  const verdict = (value: number | null | undefined, ok: (v: number) => boolean) => (value === null || value === undefined ? null : ok(value));
  return [
    {
      name: 'Engine overhead run vs ceiling (refunds/s)',
      target: `≥ ${pct(TARGETS.engineShareOfCeiling)}`,
      actual: pct(engine?.ratioToCeiling),
      met: verdict(engine?.ratioToCeiling, (v) => v >= TARGETS.engineShareOfCeiling),
    },
    {
      name: `Realistic run vs single-bill Kingdee bound (${fixed(single.refundsPerSecond)} refunds/s)`,
      target: `≥ ${TARGETS.realisticOverSingleBillBound}×`,
      actual: realistic?.refundsPerSecond == null ? 'n/a' : `${fixed(realistic.refundsPerSecond / single.refundsPerSecond)}×`,
      met: verdict(realistic?.refundsPerSecond == null ? null : realistic.refundsPerSecond / single.refundsPerSecond, (v) => v >= TARGETS.realisticOverSingleBillBound),
    },
    {
      name: `Realistic run vs batched Kingdee bound (${fixed(bound.refundsPerSecond)} refunds/s at ${bounds.batched.batchSize} bills a call)`,
      target: `≥ ${pct(TARGETS.realisticShareOfBound)}`,
      actual: shareOfBound === null ? 'n/a' : `${pct(shareOfBound)} (${fixed(realistic?.refundsPerSecond)} refunds/s)`,
      met: verdict(shareOfBound, (v) => v >= TARGETS.realisticShareOfBound),
    },
    {
      name: `Kingdee write-or-check calls per refund (${happy?.kind ?? 'no'} run)`,
      target: `≤ ${TARGETS.writeOrCheckPerRefund}`,
      actual: fixed(happy?.kingdee.writeOrCheckPerRefund),
      met: verdict(happy?.kingdee.writeOrCheckPerRefund, (v) => v <= TARGETS.writeOrCheckPerRefund),
    },
    {
      name: `History events per refund (${happy?.kind ?? 'no'} run)`,
      target: `≤ ${TARGETS.historyEventsPerRefund}`,
      actual: fixed(happy?.temporal.historyEventsPerRefund, 1),
      met: verdict(happy?.temporal.historyEventsPerRefund, (v) => v <= TARGETS.historyEventsPerRefund),
    },
    {
      name: `Kingdee lookup queries per refund (${happy?.kind ?? 'no'} run)`,
      target: `≤ ${TARGETS.lookupQueriesPerRefund}`,
      actual: fixed(happy?.kingdee.lookupQueriesPerRefund, 3),
      met: verdict(happy?.kingdee.lookupQueriesPerRefund, (v) => v <= TARGETS.lookupQueriesPerRefund),
    },
  ];
}
