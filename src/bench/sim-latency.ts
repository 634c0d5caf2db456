// Simulated wire latency for one run, through the simulators' in-process fault APIs, and the per-form count
// of Kingdee queries (the Kingdee counters are per operation only; each form's latency rule counts its matches).
import type { SimulatedSystems } from '../sim/simulated-systems';
import { DEFAULT_LATENCY_MODEL, type LatencyModel } from '../sim/kingdee/latency-model';
import type { Latencies } from './options';

/**
 * The latency model of kingdee-batching.md §5 at the run's settings: the query latency is the query base, the
 * write latency a single-bill Save (base + one bill); the documented shares per bill and per number stay.
 * No latency (0): no model.
 */
export function latencyModelFor(latencies: Latencies): LatencyModel | undefined {
  if (latencies.kingdeeQueryMs === 0 && latencies.kingdeeWriteMs === 0) return undefined;
  const d = DEFAULT_LATENCY_MODEL;
  const writeBase = Math.max(0, latencies.kingdeeWriteMs - d.savePerBillMs);
  return { ...d, queryBaseMs: latencies.kingdeeQueryMs, saveBaseMs: writeBase, operationBaseMs: writeBase };
}

/** Kingdee operations that read (answered after the query latency); every other business call writes. */
export const KINGDEE_QUERY_OPS = ['ExecuteBillQuery', 'BillQuery', 'View'] as const;
export const KINGDEE_WRITE_OPS = ['Save', 'BatchSave', 'Draft', 'Submit', 'Audit', 'UnAudit', 'CancelAssign', 'Delete'] as const;

export interface LatencyHandle {
  /** ExecuteBillQuery calls per watched form so far. */
  queriesByForm(): Record<string, number>;
}

/**
 * Sets every call's latency: Jushuitan on all its paths; Kingdee through the latency model, with ExecuteBillQuery
 * given one 0 ms rule per watched form (so its calls are counted per form).
 * Login calls get no latency: one per run, not part of the per-refund cost.
 */
export function applyLatencies(systems: SimulatedSystems, latencies: Latencies, watchedForms: readonly string[]): LatencyHandle {
  systems.jushuitan.faults.set({ paths: ['query', 'getInitToken', 'refreshToken'], latency: { fixedMs: latencies.jushuitanMs } });

  const faults = systems.kingdee.faults;
  const formRules = new Map<string, number>();
  // Kingdee's latency comes from the model (base per call + per bill); the rules only count queries per form.
  systems.kingdee.setLatencyModel(latencyModelFor(latencies));
  for (const formId of new Set(watchedForms)) {
    formRules.set(formId, faults.add({ fault: 'latency', op: 'ExecuteBillQuery', formId, latencyMs: 0 }));
  }

  return {
    queriesByForm() {
      const rules = new Map(faults.list().map((r) => [r.id, r]));
      return Object.fromEntries([...formRules].map(([formId, id]) => [formId, rules.get(id)?.matched ?? 0]));
    },
  };
}
