// Our metrics, recorded through Temporal's MetricMeter so the worker's Prometheus endpoint (Runtime.install
// telemetryOptions.metrics.prometheus) serves them beside the SDK's own. Names are exported as written here:
// the SDK adds no prefix to custom metrics and no `_total` suffix to counters, so the names carry it.
import { metricMeter as activityMetricMeter } from '@temporalio/activity';
import type { MetricMeter, MetricTags } from '@temporalio/common';

export type RefundOutcome = 'synced' | 'parked' | 'skipped' | 'cancelled' | 'failed';
export type ExternalSystem = 'jushuitan' | 'kingdee';

export const METRIC_NAMES = {
  refunds: 'erp_bridge_refunds_total',
  apiCalls: 'erp_bridge_api_calls_total',
  apiErrors: 'erp_bridge_api_errors_total',
  apiLatency: 'erp_bridge_api_latency_ms',
  parked: 'erp_bridge_parked_refunds',
} as const;

export interface SyncMetrics {
  /** A refund reached an outcome (tags: scheme, outcome, reason). */
  refundOutcome(outcome: RefundOutcome, e: { schemeId: string; reason?: string }): void;
  /** One call to an external API (tags: system, operation, outcome ok|error; errors also by kind). */
  apiCall(e: { system: ExternalSystem; operation: string; latencyMs: number; errorKind?: string }): void;
  /** The number of refunds parked right now for a scheme (a gauge: the last value set wins). */
  parkedNow(e: { schemeId: string; count: number }): void;
  /** Runs `fn`, recording it as one API call; its result or error passes through unchanged. */
  timeApiCall<T>(system: ExternalSystem, operation: string, fn: () => Promise<T>, now?: () => number): Promise<T>;
}

/**
 * The instruments, created once on `meter`. For the worker process pass `Runtime.instance().metricMeter`
 * (from @temporalio/worker, after Runtime.install); inside one activity, `activitySyncMetrics()` adds the
 * activity's own tags (activity type, task queue, namespace).
 */
export function createSyncMetrics(meter: MetricMeter): SyncMetrics {
  const refunds = meter.createCounter(METRIC_NAMES.refunds, '', 'Refunds that reached an outcome, by scheme, outcome and reason');
  const apiCalls = meter.createCounter(METRIC_NAMES.apiCalls, '', 'Calls to Jushuitan and Kingdee, by system, operation and outcome');
  const apiErrors = meter.createCounter(METRIC_NAMES.apiErrors, '', 'Failed calls to Jushuitan and Kingdee, by system, operation and error kind');
  const apiLatency = meter.createHistogram(METRIC_NAMES.apiLatency, 'int', 'ms', 'Latency of calls to Jushuitan and Kingdee, in milliseconds');
  const parked = meter.createGauge(METRIC_NAMES.parked, 'int', '', 'Refunds parked right now, by scheme');

  const metrics: SyncMetrics = {
    refundOutcome(outcome, e) {
      safely(() => refunds.add(1, { scheme: e.schemeId, outcome, reason: reasonTag(e.reason) }));
    },
    apiCall(e) {
      safely(() => {
        const tags: MetricTags = { system: e.system, operation: e.operation };
        apiCalls.add(1, { ...tags, outcome: e.errorKind === undefined ? 'ok' : 'error' });
        if (e.errorKind !== undefined) apiErrors.add(1, { ...tags, kind: e.errorKind });
        apiLatency.record(Math.max(0, Math.round(e.latencyMs)), tags);
      });
    },
    parkedNow(e) {
      safely(() => parked.set(Math.max(0, Math.trunc(e.count)), { scheme: e.schemeId }));
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

/**
 * A reason as a bounded label: Prometheus keeps one series per distinct value, so ids and numbers inside
 * free-text reasons are folded (`material 10023 not found` → `material # not found`) and length is capped.
 * Callers that have a reason code should pass the code.
 */
export function reasonTag(reason: string | undefined): string {
  if (!reason?.trim()) return 'none';
  const folded = reason.replace(/\s+/g, ' ').trim().replace(/[A-Za-z]*\d[\w.-]*/g, '#');
  return folded.length > 64 ? folded.slice(0, 64) : folded;
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
