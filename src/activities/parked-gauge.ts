// The parked gauge (erp_bridge_parked_refunds{scheme,step}) read from Temporal visibility, so it is right
// across worker restarts and several workers. Refreshed from the outcome activity: on every park, on the
// outcome of a refund this process saw parked, and otherwise at most once a minute.
import type { Client } from '@temporalio/client';
import { LABEL_VALUES, type SyncMetrics } from '../temporal/metrics';
import { listRefunds } from '../temporal/refund-ops';

const REFRESH_AT_LEAST_EVERY_MS = 60_000;
/** Parked refunds read per refresh; beyond this the gauge reports what it read (an alert fires far earlier). */
const MAX_LISTED = 10_000;

export interface OutcomeForGauge {
  status: 'Synced' | 'Parked' | 'Skipped' | 'Cancelled';
  schemeId: string;
  asId: string;
  step?: string;
}

export function createParkedGauge(now: () => number = Date.now) {
  const seenParked = new Set<string>();
  const lastRefresh = new Map<string, number>();

  return {
    /** Whether this outcome may have changed the gauge enough to read visibility now. */
    due(e: OutcomeForGauge): boolean {
      if (e.status === 'Parked' || seenParked.has(e.asId)) return true;
      return now() - (lastRefresh.get(e.schemeId) ?? Number.NEGATIVE_INFINITY) >= REFRESH_AT_LEAST_EVERY_MS;
    },

    async refresh(client: Client, metrics: SyncMetrics, e: OutcomeForGauge): Promise<void> {
      lastRefresh.set(e.schemeId, now());
      if (e.status === 'Parked') seenParked.add(e.asId);
      else seenParked.delete(e.asId);
      const rows = await listRefunds(client, { status: 'Parked', schemeId: e.schemeId }, MAX_LISTED);
      // This refund's own status is not in visibility yet (its workflow task has not completed): use the event.
      const parked = rows.filter((r) => r.execution === 'RUNNING' && r.asId !== e.asId).map((r) => r.failedStep);
      if (e.status === 'Parked') parked.push(e.step);
      const steps: readonly string[] = LABEL_VALUES.step;
      const byStep = new Map<string, number>(steps.map((s) => [s, 0]));
      for (const step of parked) {
        const label = step !== undefined && steps.includes(step) ? step : 'unknown';
        byStep.set(label, (byStep.get(label) ?? 0) + 1);
      }
      for (const [step, count] of byStep) metrics.parkedNow({ schemeId: e.schemeId, step, count });
    },
  };
}
