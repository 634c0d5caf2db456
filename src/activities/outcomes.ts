// Where a refund's outcome leaves the workflow: a metric for every outcome, an alert when it parks.
// Runs as a local activity; the alerter only queues (it groups and sends in the background), so it is fast.
import { activityInfo } from '@temporalio/activity';
import type { Alerter } from '../alerts';
import { activitySyncMetrics } from '../temporal/metrics';
import type { SyncStep } from '../workflows/messages';

export interface OutcomeEvent {
  status: 'Synced' | 'Parked' | 'Skipped';
  schemeId: string;
  asId: string;
  step?: SyncStep;
  reason?: string;
}

export function createOutcomeActivities(deps: { alerter?: Alerter }) {
  return {
    async reportOutcome(e: OutcomeEvent): Promise<void> {
      const outcome = e.status === 'Synced' ? 'synced' : e.status === 'Parked' ? 'parked' : 'skipped';
      activitySyncMetrics().refundOutcome(outcome, { schemeId: e.schemeId, reason: e.step ? `${e.step}: ${e.reason ?? ''}` : e.reason });
      if (e.status === 'Parked') {
        deps.alerter?.refundParked({
          asId: e.asId,
          schemeId: e.schemeId,
          step: e.step ?? 'unknown',
          reason: e.reason ?? '',
          workflowId: activityInfo().workflowExecution?.workflowId ?? '',
        });
      }
    },
  };
}
