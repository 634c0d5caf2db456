// The state-store side of a poll run: where it starts (the scheme's watermark), where the watermark moves when
// it read its whole range, and the health checks that make a failing or stuck poll loud: an alert when runs
// fail, when the watermark lags, and when every new refund parks. Each alert kind is raised once per period per
// scheme (claimed in the store), so a scheme lagging all day alerts hourly, not every poll.
import { activityInfo, log } from '@temporalio/activity';
import type { Alerter } from '../alerts';
import type { PollHealth } from '../store/poll-health';
import type { PollWatermarks } from '../store/watermarks';
import { activitySyncMetrics } from '../temporal/metrics';

export interface PollHealthSettings {
  /** Alert when the watermark is further behind now than this (ERP_BRIDGE_WATERMARK_LAG_ALERT, default 1 h). */
  watermarkLagAlertMs: number;
  /** Alert when every refund reaching an outcome has parked for this long (ERP_BRIDGE_ALL_PARKED_ALERT, default 1 h). */
  allParkedAlertMs: number;
}

export const DEFAULT_POLL_HEALTH: PollHealthSettings = { watermarkLagAlertMs: 3600_000, allParkedAlertMs: 3600_000 };
/** Failing runs and a lagging watermark are alerted again after this long (a new failure streak at once). */
export const HEALTH_ALERT_REPEAT_MS = 3600_000;

export interface PollRunDeps {
  watermarks?: PollWatermarks;
  health?: PollHealth;
  alerter?: Alerter;
  pollHealth?: PollHealthSettings;
  now?: () => number;
}

export interface BeginPollRunInput { schemeId: string }
export interface BeginPollRunResult {
  /** The scheme's stored watermark (ISO-8601), absent before its first complete run. */
  watermark?: string;
}

export interface CompletePollRunInput {
  schemeId: string;
  /** Move the watermark to this time (ISO-8601): set only when the run read everything from the watermark to it. */
  advanceTo?: string;
}

export interface FailPollRunInput {
  schemeId: string;
  /** The range the run was reading; absent when it failed before knowing it (the store unreachable). */
  from?: string;
  to?: string;
  reason: string;
}

/** `2 h 5 min`, `40 s`: for alert text. */
export function describeDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}

export function createPollRunActivities(deps: PollRunDeps) {
  const now = deps.now ?? Date.now;
  const settings = deps.pollHealth ?? DEFAULT_POLL_HEALTH;
  let warned = false;
  const noStore = (): void => {
    // Only in-process tools without a state store (the benchmark, the corpus recorder) get here.
    if (!warned) log.warn('no state store: poll watermarks and poll health are not kept');
    warned = true;
  };

  /** Raises a scheme alert unless another run raised the same kind within the period. */
  async function alertOnce(schemeId: string, kind: 'lag' | 'parked' | 'failure', reason: string, failures?: number): Promise<boolean> {
    if (!deps.alerter || !deps.health) return false;
    // Runs failing and a lagging watermark are alerted hourly while they last; an all-parked streak once (each
    // park was alerted already, and a quiet scheme's one parked refund must not page every hour until it syncs).
    if (!(await deps.health.claimAlert(schemeId, kind, kind === 'parked' ? 'once' : HEALTH_ALERT_REPEAT_MS))) return false;
    deps.alerter.schemeFailing({ schemeId, failures: failures ?? (await deps.health.failures(schemeId)), lastReason: reason });
    return true;
  }

  async function recordLag(schemeId: string, watermark: Date | undefined): Promise<void> {
    if (!watermark) return;
    const lagMs = Math.max(0, now() - watermark.getTime());
    activitySyncMetrics().watermarkLag({ schemeId, seconds: lagMs / 1000 });
    if (lagMs > settings.watermarkLagAlertMs) {
      await alertOnce(schemeId, 'lag', `watermark ${watermark.toISOString()} is ${describeDuration(lagMs)} behind (alert after ${describeDuration(settings.watermarkLagAlertMs)}): polls are failing or not running`);
    } else {
      await deps.health?.clearAlert(schemeId, 'lag');
    }
  }

  return {
    /** The run's starting point, and the health checks: watermark lag (metric and alert) and all-parked. */
    async beginPollRun(input: BeginPollRunInput): Promise<BeginPollRunResult> {
      if (!deps.watermarks) {
        noStore();
        return {};
      }
      const watermark = await deps.watermarks.get(input.schemeId);
      await recordLag(input.schemeId, watermark);
      const parked = await deps.health?.allParked(input.schemeId);
      if (parked && now() - parked.since.getTime() > settings.allParkedAlertMs) {
        await alertOnce(
          input.schemeId,
          'parked',
          `every refund since ${parked.since.toISOString()} parked (${parked.count}), none synced for ${describeDuration(now() - parked.since.getTime())} ` +
            `(alert after ${describeDuration(settings.allParkedAlertMs)}): see \`erp-bridge status\``,
        );
      }
      return watermark ? { watermark: watermark.toISOString() } : {};
    },

    /** The run completed: its failure streak ends, and the watermark moves forward if it read its whole range. */
    async completePollRun(input: CompletePollRunInput): Promise<BeginPollRunResult> {
      if (!deps.watermarks) {
        noStore();
        return {};
      }
      await deps.health?.runCompleted(input.schemeId);
      const watermark = input.advanceTo
        ? await deps.watermarks.advance(input.schemeId, new Date(input.advanceTo), activityInfo().workflowExecution?.workflowId ?? 'unknown')
        : await deps.watermarks.get(input.schemeId);
      await recordLag(input.schemeId, watermark);
      return watermark ? { watermark: watermark.toISOString() } : {};
    },

    /** The run failed (page cap, a slice that kept shifting, Jushuitan or the store down through every retry): alert. */
    async failPollRun(input: FailPollRunInput): Promise<{ failures: number; alerted: boolean }> {
      const workflowId = activityInfo().workflowExecution?.workflowId ?? 'unknown';
      const range = input.from && input.to ? `, range ${input.from} .. ${input.to}` : '';
      // The cause first: an alert keeps the first 200 characters of a reason.
      const reason = `poll run failed: ${input.reason} (run ${workflowId}${range})`;
      let failures: number | undefined;
      try {
        if (deps.health) {
          failures = await deps.health.runFailed(input.schemeId, input.reason);
          return { failures, alerted: await alertOnce(input.schemeId, 'failure', reason, failures) };
        }
        noStore();
      } catch (err) {
        // The store is down too: alert without deduplication rather than not at all.
        log.warn('poll health not updated; alerting without it', { error: String(err) });
      }
      deps.alerter?.schemeFailing({ schemeId: input.schemeId, failures: failures ?? 1, lastReason: reason });
      return { failures: failures ?? 1, alerted: deps.alerter !== undefined };
    },
  };
}
