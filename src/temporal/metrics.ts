// Our metrics, recorded through Temporal's MetricMeter so the worker's Prometheus endpoint (Runtime.install
// telemetryOptions.metrics.prometheus) serves them beside the SDK's own. Names are exported as written here:
// the SDK adds no prefix to custom metrics and no `_total` suffix to counters, so the names carry it.
import { metricMeter as activityMetricMeter } from '@temporalio/activity';
import type { MetricMeter, MetricTags } from '@temporalio/common';
import { METRIC_NAMES, REFUNDS_DESCRIPTION } from './metric-names';
import { reasonCategory, type ReasonCategory } from './reason-category';

export type RefundOutcome = 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
export type ExternalSystem = 'jushuitan' | 'kingdee';

export { METRIC_NAMES, REFUNDS_DESCRIPTION } from './metric-names';

/** Every label value our metrics may carry, by label: anything else on /metrics is a bug (unbounded series). */
export const LABEL_VALUES = {
  system: ['jushuitan', 'kingdee'],
  outcome: ['ok', 'error', 'synced', 'parked', 'skipped', 'cancelled', 'failed'],
  reason: ['none', 'missing_reference', 'mapping', 'over_return', 'config', 'unavailable', 'validation', 'other'],
  step: ['eligibility', 'lookups', 'mapping', 'find', 'save', 'submit', 'audit', 'compensate', 'unknown'],
} as const;

export interface SyncMetrics {
  /** A refund reached an outcome (tags: scheme, outcome, reason category; `none` unless parked). */
  refundOutcome(outcome: RefundOutcome, e: { schemeId: string; step?: string; reason?: string }): void;
  /** One call to an external API (tags: system, operation, outcome ok|error; errors also by kind). */
  apiCall(e: { system: ExternalSystem; operation: string; latencyMs: number; errorKind?: string }): void;
  /** The number of refunds parked right now for a scheme at a step (a gauge: the last value set wins). */
  parkedNow(e: { schemeId: string; step: string; count: number }): void;
  /** A synced or skipped refund's record changed afterwards (tags: scheme). */
  drifted(e: { schemeId: string }): void;
  /** A park that time can fix was retried without an operator (tags: scheme, step, reason category). */
  autoRetried(e: { schemeId: string; step: string; reason: ReasonCategory }): void;
  /** How far a scheme's watermark is behind now, in seconds. */
  watermarkLag(e: { schemeId: string; seconds: number }): void;
  /** Creates the scheme's counters at 0, so dashboards and alerts see them before the first event. */
  declareScheme(schemeId: string): void;
  /** Runs `fn`, recording it as one API call; its result or error passes through unchanged. */
  timeApiCall<T>(system: ExternalSystem, operation: string, fn: () => Promise<T>, now?: () => number): Promise<T>;
}

/**
 * The instruments, created once on `meter`. For the worker process pass `Runtime.instance().metricMeter`
 * (from @temporalio/worker, after Runtime.install); inside one activity, `activitySyncMetrics()` adds the
 * activity's own tags (activity type, task queue, namespace).
 */
export function createSyncMetrics(meter: MetricMeter): SyncMetrics {
  const refunds = meter.createCounter(METRIC_NAMES.refunds, '', REFUNDS_DESCRIPTION);
  const apiCalls = meter.createCounter(METRIC_NAMES.apiCalls, '', 'Calls to Jushuitan and Kingdee, by system, operation and outcome');
  const apiErrors = meter.createCounter(METRIC_NAMES.apiErrors, '', 'Failed calls to Jushuitan and Kingdee, by system, operation and error kind');
  const apiLatency = meter.createHistogram(METRIC_NAMES.apiLatency, 'int', 'ms', 'Latency of calls to Jushuitan and Kingdee, in milliseconds');
  const parked = meter.createGauge(METRIC_NAMES.parked, 'int', '', 'Refunds parked right now, by scheme and step');
  const drifted = meter.createCounter(METRIC_NAMES.drifted, '', 'Synced or skipped refunds whose record changed afterwards, by scheme');
  const autoRetries = meter.createCounter(METRIC_NAMES.autoRetries, '', 'Parked refunds retried without an operator, by scheme, step and reason category');
  const watermarkLag = meter.createGauge(METRIC_NAMES.watermarkLag, 'int', 's', "How far each scheme's watermark is behind now, in seconds");

  const metrics: SyncMetrics = {
    refundOutcome(outcome, e) {
      const reason = outcome === 'parked' ? reasonCategory(e.step, e.reason) : 'none';
      safely(() => refunds.add(1, { scheme: e.schemeId, outcome, reason }));
    },
    apiCall(e) {
      safely(() => {
        const tags: MetricTags = { system: e.system, operation: e.operation, outcome: e.errorKind === undefined ? 'ok' : 'error' };
        apiCalls.add(1, tags);
        if (e.errorKind !== undefined) apiErrors.add(1, { system: e.system, operation: e.operation, kind: e.errorKind });
        apiLatency.record(Math.max(0, Math.round(e.latencyMs)), tags);
      });
    },
    parkedNow(e) {
      safely(() => parked.set(Math.max(0, Math.trunc(e.count)), { scheme: e.schemeId, step: e.step }));
    },
    drifted(e) {
      safely(() => drifted.add(1, { scheme: e.schemeId }));
    },
    autoRetried(e) {
      safely(() => autoRetries.add(1, { scheme: e.schemeId, step: e.step, reason: e.reason }));
    },
    watermarkLag(e) {
      safely(() => watermarkLag.set(Math.max(0, Math.round(e.seconds)), { scheme: e.schemeId }));
    },
    declareScheme(schemeId) {
      safely(() => {
        drifted.add(0, { scheme: schemeId });
        autoRetries.add(0, { scheme: schemeId, step: 'unknown', reason: 'none' });
      });
    },
    async timeApiCall(system, operation, fn, now = () => performance.now()) {
      const started = now();
      try {
        const result = await fn();
        metrics.apiCall({ system, operation, latencyMs: now() - started });
        return result;
      } catch (err) {
        metrics.apiCall({ system, operation, latencyMs: now() - started, errorKind: errorKind(err) });
        throw err;
      }
    },
  };
  return metrics;
}

/** SyncMetrics on the current activity's meter (tags include the activity type). Call inside an activity. */
export function activitySyncMetrics(): SyncMetrics {
  return createSyncMetrics(activityMetricMeter);
}

/** The error's class name (KingdeeBusinessError, TransportFailure…): a small, stable label set. */
export function errorKind(err: unknown): string {
  if (err instanceof Error) return err.name || 'Error';
  return typeof err;
}

/** Metrics must never fail the work they measure (e.g. a recording after the runtime shut down). */
function safely(record: () => void): void {
  try {
    record();
  } catch {
    /* dropped on purpose */
  }
}
