// Where a refund's outcome leaves the workflow: a metric for every outcome (reason as a category, never
// free text), the parked gauge, and an alert when it parks or is cancelled. Runs as a local activity; the alerter
// only queues (it groups and sends in the background), so it is fast.
import { activityInfo, Context, log } from '@temporalio/activity';
import type { Alerter } from '../alerts';
import type { PollHealth } from '../store/poll-health';
import { activitySyncMetrics } from '../temporal/metrics';
import type { SyncStep } from '../workflows/messages';
import { createParkedGauge } from './parked-gauge';
import { reasonCategory } from '../temporal/reason-category';

export interface OutcomeEvent {
  status: 'Synced' | 'Parked' | 'Skipped' | 'Cancelled';
  schemeId: string;
  asId: string;
  step?: SyncStep;
  reason?: string;
  /** Parked on a configuration error (credentials refused): one alert for all refunds, not one each. */
  configuration?: boolean;
  /** Parked again after an automatic retry: counted, not alerted again (the first park was). */
  quiet?: boolean;
}

/** A configuration problem is alerted once per this period, however many refunds park on it. */
export const CONFIG_ALERT_EVERY_MS = 60 * 60_000;

const OUTCOME = { Synced: 'synced', Parked: 'parked', Skipped: 'skipped', Cancelled: 'cancelled' } as const;

export function createOutcomeActivities(deps: { alerter?: Alerter; health?: PollHealth; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const gauge = createParkedGauge();
  const declared = new Set<string>();
  /** scheme + reason → when its configuration alert was last raised (per worker process). */
  const configAlerted = new Map<string, number>();
  const firstConfigAlert = (e: OutcomeEvent): boolean => {
    const key = `${e.schemeId}\n${e.step ?? ''}\n${e.reason ?? ''}`;
    const last = configAlerted.get(key);
    if (last !== undefined && now() - last < CONFIG_ALERT_EVERY_MS) return false;
    configAlerted.set(key, now());
    return true;
  };
  /** Feeds the all-parked check (src/activities/poll-runs.ts); like the gauge, worth less than the outcome. */
  const noteForPollHealth = async (e: OutcomeEvent): Promise<void> => {
    if (!deps.health || (e.status !== 'Parked' && e.status !== 'Synced')) return;
    try {
      await (e.status === 'Parked' ? deps.health.refundParked(e.schemeId) : deps.health.refundSynced(e.schemeId));
    } catch (err) {
      log.warn('poll health not updated', { error: String(err) });
    }
  };
  return {
    /** A park that time can fix was retried without an operator (the metric: scheme, step, reason category). */
    async reportAutoRetry(e: { schemeId: string; step: SyncStep; reason: string }): Promise<void> {
      activitySyncMetrics().autoRetried({ schemeId: e.schemeId, step: e.step, reason: reasonCategory(e.step, e.reason) });
    },
    async reportOutcome(e: OutcomeEvent): Promise<void> {
      const metrics = activitySyncMetrics();
      if (!declared.has(e.schemeId)) {
        declared.add(e.schemeId);
        metrics.declareScheme(e.schemeId);
      }
      metrics.refundOutcome(OUTCOME[e.status], { schemeId: e.schemeId, step: e.step, reason: e.reason });
      if ((e.status === 'Parked' || e.status === 'Cancelled') && !e.quiet && (!e.configuration || firstConfigAlert(e))) {
        deps.alerter?.refundParked({
          asId: e.asId,
          schemeId: e.schemeId,
          step: e.status === 'Cancelled' ? 'cancelled' : e.step ?? 'unknown',
          reason: e.configuration ? `${e.reason ?? ''} (alerted once; other refunds parked on the same cause are not alerted again within the hour)` : e.reason ?? '',
          workflowId: activityInfo().workflowExecution?.workflowId ?? '',
        });
      }
      await noteForPollHealth(e);
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
