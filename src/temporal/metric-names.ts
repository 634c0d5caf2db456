// Our metric names, in a module without SDK imports so workflow code can count through the workflow meter.
// The SDK adds no prefix to custom metrics and no `_total` suffix to counters, so the names carry it.

export const METRIC_NAMES = {
  refunds: 'erp_bridge_refunds_total',
  apiCalls: 'erp_bridge_api_calls_total',
  apiErrors: 'erp_bridge_api_errors_total',
  apiLatency: 'erp_bridge_api_latency_ms',
  parked: 'erp_bridge_parked_refunds',
  drifted: 'erp_bridge_drifted_total',
  autoRetries: 'erp_bridge_auto_retries_total',
  watermarkLag: 'erp_bridge_watermark_lag_seconds',
} as const;

/** Every meter that creates the refunds counter gives it this description (one instrument, one description). */
export const REFUNDS_DESCRIPTION = 'Refunds that reached an outcome, by scheme, outcome and reason';
