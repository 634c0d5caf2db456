// Simulated wire latency for one run, through the simulators' in-process fault APIs, and the per-form count
// of Kingdee queries (the Kingdee counters are per operation only; each form's latency rule counts its matches).
import type { SimulatedSystems } from '../sim/simulated-systems';
import type { Latencies } from './options';

/** Kingdee operations that read (answered after the query latency); every other business call writes. */
export const KINGDEE_QUERY_OPS = ['ExecuteBillQuery', 'BillQuery', 'View'] as const;
export const KINGDEE_WRITE_OPS = ['Save', 'BatchSave', 'Draft', 'Submit', 'Audit', 'UnAudit', 'CancelAssign', 'Delete'] as const;

export interface LatencyHandle {
  /** ExecuteBillQuery calls per watched form so far. */
  queriesByForm(): Record<string, number>;
}

/**
 * Sets every call's latency: Jushuitan on all its paths; Kingdee per operation, with ExecuteBillQuery
 * given one rule per watched form (so its calls are counted per form). Rules are added even at 0 ms.
 * Login calls get no latency: one per run, not part of the per-refund cost.
 */
export function applyLatencies(systems: SimulatedSystems, latencies: Latencies, watchedForms: readonly string[]): LatencyHandle {
  systems.jushuitan.faults.set({ paths: ['query', 'getInitToken', 'refreshToken'], latency: { fixedMs: latencies.jushuitanMs } });

  const faults = systems.kingdee.faults;
  const formRules = new Map<string, number>();
  for (const formId of new Set(watchedForms)) {
    formRules.set(formId, faults.add({ fault: 'latency', op: 'ExecuteBillQuery', formId, latencyMs: latencies.kingdeeQueryMs }));
  }
  for (const op of KINGDEE_QUERY_OPS.filter((o) => o !== 'ExecuteBillQuery')) {
    faults.add({ fault: 'latency', op, latencyMs: latencies.kingdeeQueryMs });
  }
  for (const op of KINGDEE_WRITE_OPS) faults.add({ fault: 'latency', op, latencyMs: latencies.kingdeeWriteMs });

  return {
    queriesByForm() {
      const rules = new Map(faults.list().map((r) => [r.id, r]));
      return Object.fromEntries([...formRules].map(([formId, id]) => [formId, rules.get(id)?.matched ?? 0]));
    },
  };
}
