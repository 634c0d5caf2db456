// Where a refund's outcome leaves the workflow: a metric for every outcome (reason as a category, never
// free text), the parked gauge, and an alert when it parks. Runs as a local activity; the alerter only
// queues (it groups and sends in the background), so it is fast.
import { activityInfo, Context, log } from '@temporalio/activity';
import type { Alerter } from '../alerts';
import { activitySyncMetrics } from '../temporal/metrics';
import type { SyncStep } from '../workflows/messages';
import { createParkedGauge } from './parked-gauge';

export interface OutcomeEvent {
  status: 'Synced' | 'Parked' | 'Skipped';
  schemeId: string;
  asId: string;
  step?: SyncStep;
  reason?: string;
}

export function createOutcomeActivities(deps: { alerter?: Alerter }) {
  const gauge = createParkedGauge();
  const declared = new Set<string>();
  return {
    async reportOutcome(e: OutcomeEvent): Promise<void> {
      const metrics = activitySyncMetrics();
      if (!declared.has(e.schemeId)) {
        declared.add(e.schemeId);
        metrics.declareScheme(e.schemeId);
      }
      const outcome = e.status === 'Synced' ? 'synced' : e.status === 'Parked' ? 'parked' : 'skipped';
      metrics.refundOutcome(outcome, { schemeId: e.schemeId, step: e.step, reason: e.reason });
      if (e.status === 'Parked') {
        deps.alerter?.refundParked({
          asId: e.asId,
          schemeId: e.schemeId,
          step: e.step ?? 'unknown',
          reason: e.reason ?? '',
          workflowId: activityInfo().workflowExecution?.workflowId ?? '',
        });
      }
      if (gauge.due(e)) {
        // A gauge is worth less than the outcome: a visibility hiccup is logged, never retried.
        try {
          await gauge.refresh(Context.current().client, metrics, e);
        } catch (err) {
          log.warn('parked gauge not refreshed', { error: String(err) });
        }
      }
    },
  };
}
