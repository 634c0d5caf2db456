import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emptyTally, spreadSample } from '../../src/bench/measure';
import { scenariosFor } from '../../src/bench/options';
import { buildRunResult, withCeilingRatios, type RawRun } from '../../src/bench/results';
import { emptyCounts } from '../../src/workflows/messages';

const [engine] = scenariosFor({ runs: ['engine'], realistic: { jushuitanMs: 80, kingdeeQueryMs: 150, kingdeeWriteMs: 300 } });

function raw(): RawRun {
  const ops = (calls: number) => ({ calls, bills: calls, successes: calls, businessFailures: 0, faultsFired: calls });
  return {
    scenario: engine!,
    refunds: 4,
    pageSize: 50,
    pollStartMs: 10_000,
    pollCounts: { ...emptyCounts(), pages: 1, fetched: 4, started: 4 },
    children: [
      { workflowId: 'a', runId: '1', status: 'COMPLETED', startMs: 10_100, closeMs: 11_100, historyLength: 33 },
      { workflowId: 'b', runId: '1', status: 'COMPLETED', startMs: 10_100, closeMs: 12_100, historyLength: 33 },
      { workflowId: 'c', runId: '1', status: 'COMPLETED', startMs: 10_200, closeMs: 14_200, historyLength: 33 },
      { workflowId: 'd', runId: '1', status: 'RUNNING', startMs: 10_300, historyLength: 12 },
    ],
    stalled: true,
    jushuitan: { total: 2, byPath: { '/open/refund/single/query': { calls: 2, outcomes: { '0': 1, '199': 1 } } }, byOutcome: {}, maxPageSize: 50, maxWindowSeconds: 86_400 },
    kingdee: { operations: { ExecuteBillQuery: ops(7), Save: ops(4), Submit: ops(4), Audit: ops(3), ValidateUser: ops(1) }, inFlight: 0, maxInFlight: 4 },
    kingdeeQueriesByForm: { SAL_RETURNSTOCK: 4, BD_Customer: 1, SAL_OUTSTOCK: 1 },
    forms: { target: 'SAL_RETURNSTOCK', lookups: ['BD_Customer', 'SAL_OUTSTOCK', 'BD_MATERIAL'] },
    childHistories: { ...emptyTally(), executions: 2, activityTasks: 8, localActivityMarkers: 4, workflowTasks: 10, events: 66, activitiesByType: { findBill: 2, saveBill: 2, submitBill: 2, auditBill: 2 } },
    pollerHistories: { ...emptyTally(), executions: 1, activityTasks: 1 },
    auditedBills: 3,
    cpu: { benchMs: 400, serverMs: null },
    loadAverage: { atStart: 1, atEnd: 2 },
  };
}

test('a run result counts only completed children, from the poll start to the last close', () => {
  const r = buildRunResult(raw());
  assert.equal(r.completed, 3);
  assert.equal(r.wallMs, 4200);
  assert.equal(r.fanOutMs, 300);
  assert.ok(Math.abs(r.refundsPerSecond! - 3 / 4.2) < 1e-9);
  assert.deepEqual(r.latency, { count: 3, p50Ms: 2000, p95Ms: 4000, maxMs: 4000 });
  assert.equal(r.stalled, true);
  assert.deepEqual(r.cpuMsPerRefund, { bench: 100, server: null, total: null }, 'no server CPU where /proc cannot be read');
});

test('Kingdee calls are split into finds, lookups and writes per refund', () => {
  const r = buildRunResult(raw());
  assert.equal(r.kingdee.findQueriesPerRefund, 1);
  assert.equal(r.kingdee.lookupQueriesPerRefund, 0.5);
  assert.equal(r.kingdee.writeOrCheckPerRefund, (4 + 4 + 4 + 3) / 4);
  assert.equal(r.kingdee.logins, 1);
  assert.equal(r.apiCallsPerRefund['kingdee ExecuteBillQuery SAL_RETURNSTOCK (find)'], 1);
  assert.equal(r.apiCallsPerRefund['kingdee ExecuteBillQuery (other forms)'], 1 / 4, 'queries on forms nobody watched are still shown');
  assert.deepEqual(r.jushuitanPages, { fetched: 1, minimum: 1, calls: 2, rateLimited: 1 });
});

test('Temporal tasks per refund add the poller share to the sampled child averages', () => {
  const r = buildRunResult(raw());
  assert.equal(r.temporal.activitiesPerRefund, 4 + 1 / 4);
  assert.equal(r.temporal.localActivitiesPerRefund, 2);
  assert.equal(r.temporal.workflowTasksPerRefund, 5);
  assert.deepEqual(r.temporal.childActivitiesByType, { findBill: 1, saveBill: 1, submitBill: 1, auditBill: 1 });
});

test('ratios are taken against the ceiling run', () => {
  const base = buildRunResult(raw());
  const [ceiling, other] = withCeilingRatios([{ ...base, kind: 'ceiling', refundsPerSecond: 20 }, { ...base, refundsPerSecond: 5 }]);
  assert.equal(ceiling!.ratioToCeiling, 1);
  assert.equal(other!.ratioToCeiling, 0.25);
  assert.equal(withCeilingRatios([base])[0]!.ratioToCeiling, null);
});

test('a spread sample takes items from across the whole list', () => {
  assert.deepEqual(spreadSample([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5), [1, 3, 5, 7, 9]);
  assert.deepEqual(spreadSample([1, 2], 5), [1, 2]);
  assert.deepEqual(spreadSample([1, 2], 0), []);
});
