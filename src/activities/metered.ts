// Every request to Jushuitan and Kingdee, counted and timed by system, operation and outcome on the meter of the
// activity that made it. The connectors stay free of Temporal: runtime/deps.ts wraps them as it builds them.
import type { NumbersOperation } from '../connectors/kingdee';
import type { BatcherBackend } from '../kingdee-batching';
import { activitySyncMetrics, type ExternalSystem } from '../temporal/metrics';
import type { BillStore, RefundSource, Schemes } from './ports';

/** The operation label's values: one per connector call the activities make. */
export const API_OPERATIONS = ['refund_query', 'find_bill', 'save', 'submit', 'audit', 'cancel_assign', 'delete', 'unaudit', 'lookups'] as const;

type ApiOperation = (typeof API_OPERATIONS)[number];

/** Records one call on the current activity's meter; outside an activity (tests, CLI) it just runs. */
function timed<T>(system: ExternalSystem, operation: ApiOperation, call: () => Promise<T>): Promise<T> {
  let metrics;
  try {
    metrics = activitySyncMetrics();
  } catch {
    return call(); // no activity context: nothing to record on
  }
  return metrics.timeApiCall(system, operation, call);
}

export function meteredRefundSource(source: RefundSource): RefundSource {
  return { queryRefundPage: (q) => timed('jushuitan', 'refund_query', () => source.queryRefundPage(q)) };
}

export function meteredBillStore(bills: BillStore): BillStore {
  return {
    // The writes wait out one request timeout before re-checking a bill: the configured one, not the default.
    requestTimeoutMs: bills.requestTimeoutMs,
    findBill: (formId, billNo) => timed('kingdee', 'find_bill', () => bills.findBill(formId, billNo)),
    save: (formId, model, options) => timed('kingdee', 'save', () => bills.save(formId, model, options)),
    submit: (formId, numbers) => timed('kingdee', 'submit', () => bills.submit(formId, numbers)),
    audit: (formId, numbers) => timed('kingdee', 'audit', () => bills.audit(formId, numbers)),
    cancelAssign: (formId, numbers) => timed('kingdee', 'cancel_assign', () => bills.cancelAssign(formId, numbers)),
    delete: (formId, numbers) => timed('kingdee', 'delete', () => bills.delete(formId, numbers)),
    unAudit: (formId, numbers) => timed('kingdee', 'unaudit', () => bills.unAudit(formId, numbers)),
  };
}

const BATCH_OPERATION: Record<'BatchSave' | NumbersOperation, ApiOperation> = {
  BatchSave: 'save', Submit: 'submit', Audit: 'audit', CancelAssign: 'cancel_assign', Delete: 'delete', UnAudit: 'unaudit',
};

/**
 * One Kingdee session under the batcher: every request it sends is one call (of many bills), counted with its
 * outcome, including the failures the batcher then recovers from by itself (a 5xx reconciled and resent). Each
 * is recorded on the meter of the activity whose work set the batch off.
 */
export function meteredWriteBackend(backend: BatcherBackend): BatcherBackend {
  return {
    get requestTimeoutMs() {
      return backend.requestTimeoutMs;
    },
    findBills: (formId, numbers) => timed('kingdee', 'find_bill', () => backend.findBills(formId, numbers)),
    sendBatch: (op, formId, payload) => timed('kingdee', BATCH_OPERATION[op], () => backend.sendBatch(op, formId, payload)),
    save: (formId, model, options) => timed('kingdee', 'save', () => backend.save(formId, model, options)),
  };
}

/** Lookups are Kingdee queries (one per collection, cached): timed as one call per resolution. */
export function meteredSchemes(schemes: Schemes): Schemes {
  return {
    sourceConfig: (id) => schemes.sourceConfig(id),
    eligibility: (id, record) => schemes.eligibility(id, record),
    project: (id, record) => schemes.project(id, record),
    prepare: (id, record, answers) => schemes.prepare(id, record, answers),
    lookups: (id, record) => timed('kingdee', 'lookups', () => schemes.lookups(id, record)),
    lookupsForMany: (id, records) => timed('kingdee', 'lookups', () => schemes.lookupsForMany(id, records)),
    ...(schemes.workflowIdPrefix ? { workflowIdPrefix: schemes.workflowIdPrefix.bind(schemes) } : {}),
  };
}
