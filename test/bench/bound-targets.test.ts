import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kingdeeBound, kingdeeBounds } from '../../src/bench/bound';
import { DEFAULT_LATENCY_MODEL } from '../../src/sim/kingdee/latency-model';
import type { RunResult } from '../../src/bench/results';
import { checkTargets } from '../../src/bench/targets';

test('the Kingdee bound is concurrency over the Kingdee time one refund needs', () => {
  const b = kingdeeBound({ concurrency: 4, queryMs: 150, writeMs: 300, findsPerRefund: 1, writesPerRefund: 3, lookupQueriesPerRefund: 0.06 });
  assert.equal(b.busyMsPerRefund, 1.06 * 150 + 900);
  assert.ok(Math.abs(b.refundsPerSecond - 4000 / 1059) < 1e-9);
  assert.match(b.formula, /4 \/ \(\(1 find \+ 0\.06 lookups\) × 150 ms \+ 3 writes × 300 ms\)/);
  assert.equal(kingdeeBound({ concurrency: 4, queryMs: 0, writeMs: 0, findsPerRefund: 1, writesPerRefund: 3, lookupQueriesPerRefund: 0 }).refundsPerSecond, Infinity);
});

test('both Kingdee bounds come from the latency model: single-bill as today, batched per §5 at the batch size', () => {
  const b = kingdeeBounds({ sessions: 4, batchSize: 20, model: DEFAULT_LATENCY_MODEL, lookupQueriesPerRefund: 0 });
  assert.equal(b.singleBill.busyMsPerRefund, 150 + 300 + 250 + 250);
  assert.equal(b.batched.busyMsPerRefund, 150 / 20 + 5 + 200 / 20 + 100 + 2 * (200 / 20 + 50));
  assert.ok(Math.abs(b.batched.refundsPerSecond - 4000 / b.batched.busyMsPerRefund) < 1e-9);
  assert.ok(b.batched.refundsPerSecond > 3 * b.singleBill.refundsPerSecond);
  assert.equal(kingdeeBounds({ sessions: 1, batchSize: 1, model: DEFAULT_LATENCY_MODEL, lookupQueriesPerRefund: 0 }).batched.busyMsPerRefund, 950);
});

function run(kind: RunResult['kind'], refundsPerSecond: number, extra: Partial<RunResult> = {}): RunResult {
  return {
    kind, title: kind, childWorkflow: 'syncRefund', latencies: { jushuitanMs: 0, kingdeeQueryMs: 0, kingdeeWriteMs: 0 },
    refunds: 100, completed: 100, stalled: false, auditedBills: 100, wallMs: 100_000 / refundsPerSecond, fanOutMs: 1000, refundsPerSecond,
    latency: { count: 100, p50Ms: 1, p95Ms: 2, maxMs: 3 }, ratioToCeiling: null,
    jushuitanPages: { fetched: 2, minimum: 2, calls: 2, rateLimited: 0 },
    kingdee: { callsByOperation: {}, queriesByForm: {}, findQueriesPerRefund: 1, lookupQueriesPerRefund: 0.03, writeOrCheckPerRefund: 4, logins: 1, maxInFlight: 4, billsPerWriteCall: 1 },
    apiCallsPerRefund: {},
    temporal: { sampledChildren: 10, activitiesPerRefund: 4.02, childActivitiesByType: {}, pollerActivities: 2, localActivitiesPerRefund: 2, workflowTasksPerRefund: 5, historyEventsPerRefund: 33 },
    cpuMsPerRefund: { bench: 10, server: 20, total: 30 },
    loadAverage: { atStart: 1, atEnd: 1 },
    throughput: { bucketSeconds: 1, points: [] },
    ...extra,
  };
}

test('targets: met and missed are told apart, and a run that did not take place is not measured', () => {
  const bounds = kingdeeBounds({ sessions: 4, batchSize: 20, model: DEFAULT_LATENCY_MODEL, lookupQueriesPerRefund: 0 });
  const realistic = bounds.batched.refundsPerSecond * 0.9;
  const checks = checkTargets(
    [run('ceiling', 30), run('engine', 12, { ratioToCeiling: 0.4 }), run('realistic', realistic, { kingdee: { ...run('engine', 1).kingdee, writeOrCheckPerRefund: 0.3 } })],
    bounds,
  );
  // engine share, ×single-bill, share of batched, write-or-check, history events, lookups
  assert.deepEqual(checks.map((c) => c.met), [false, true, true, true, false, true]);
  assert.equal(checks[0]!.actual, '40%');
  assert.match(checks[2]!.actual, /^90% /);

  const partial = checkTargets([run('ceiling', 30)], bounds);
  assert.deepEqual(partial.map((c) => c.met), [null, null, null, null, null, null]);
});
