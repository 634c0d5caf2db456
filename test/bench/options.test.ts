import assert from 'node:assert/strict';
import { test } from 'node:test';
import { benchOptionsFrom, scenariosFor } from '../../src/bench/options';

const workerDefaults = { maxConcurrentActivities: 50, maxConcurrentWorkflowTasks: 40 };

test('defaults: 2,000 refunds, the issue latencies, Kingdee concurrency 4, the worker configuration', () => {
  const o = benchOptionsFrom({}, workerDefaults);
  assert.equal(o.refunds, 2000);
  assert.deepEqual(o.realistic, { jushuitanMs: 80, kingdeeQueryMs: 150, kingdeeWriteMs: 300 });
  assert.equal(o.kingdeeConcurrency, 4);
  assert.deepEqual(o.worker, workerDefaults);
  assert.deepEqual(o.runs, ['ceiling', 'engine', 'realistic']);
});

test('CLI strings are parsed and checked', () => {
  const o = benchOptionsFrom({ refunds: '300', maxActivities: '8', only: 'realistic, ceiling', jstLatency: '0' }, workerDefaults);
  assert.equal(o.refunds, 300);
  assert.equal(o.worker.maxConcurrentActivities, 8);
  assert.deepEqual(o.runs, ['ceiling', 'realistic'], 'runs keep their fixed order');
  assert.equal(o.realistic.jushuitanMs, 0);
  assert.throws(() => benchOptionsFrom({ refunds: '0' }, workerDefaults), /--refunds must be at least 1/);
  assert.throws(() => benchOptionsFrom({ only: 'fast' }, workerDefaults), /--only takes/);
  assert.throws(() => benchOptionsFrom({ kingdeeQueryLatency: '-5' }, workerDefaults), /must not be negative/);
});

test('each run has its own as_id range, child workflow and latencies', () => {
  const scenarios = scenariosFor(benchOptionsFrom({}, workerDefaults));
  assert.deepEqual(scenarios.map((s) => s.childWorkflow), ['noopRefund', 'syncRefund', 'syncRefund']);
  assert.equal(new Set(scenarios.map((s) => s.asIdStart)).size, 3);
  assert.deepEqual(scenarios[1]!.latencies, { jushuitanMs: 0, kingdeeQueryMs: 0, kingdeeWriteMs: 0 });
  assert.deepEqual(scenarios[2]!.latencies, { jushuitanMs: 80, kingdeeQueryMs: 150, kingdeeWriteMs: 300 });
});
