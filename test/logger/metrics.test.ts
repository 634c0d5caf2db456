// Metrics definitions (src/temporal/metrics.ts) against a fake MetricMeter. (Kept beside the logger tests:
// both are the worker's observability output.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MetricCounter, MetricGauge, MetricHistogram, MetricMeter, MetricTags, NumericMetricValueType } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { activitySyncMetrics, createSyncMetrics, LABEL_VALUES, METRIC_NAMES } from '../../src/temporal/metrics';
import { reasonCategory, REASON_CATEGORIES } from '../../src/temporal/reason-category';
import { meteredWriteBackend } from '../../src/activities/metered';
import { KingdeeTransientError } from '../../src/connectors/kingdee/errors';

interface Recorded {
  name: string;
  kind: 'counter' | 'histogram' | 'gauge';
  unit?: string;
  valueType: NumericMetricValueType;
  values: Array<{ value: number; tags: MetricTags }>;
}

class FakeMeter implements MetricMeter {
  readonly metrics = new Map<string, Recorded>();
  constructor(private readonly baseTags: MetricTags = {}) {}

  private metric(name: string, kind: Recorded['kind'], valueType: NumericMetricValueType, unit?: string): Recorded {
    assert.ok(!this.metrics.has(name), `${name} created twice`);
    const m: Recorded = { name, kind, unit, valueType, values: [] };
    this.metrics.set(name, m);
    return m;
  }
  private recorder(m: Recorded, tags: MetricTags) {
    return (value: number, extra?: MetricTags) => void m.values.push({ value, tags: { ...this.baseTags, ...tags, ...extra } });
  }
  createCounter(name: string, unit?: string, description?: string): MetricCounter {
    const m = this.metric(name, 'counter', 'int', unit);
    const make = (tags: MetricTags): MetricCounter => ({ name, unit, description, kind: 'counter', valueType: 'int', add: this.recorder(m, tags), withTags: (t) => make({ ...tags, ...t }) });
    return make({});
  }
  createHistogram(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricHistogram {
    const m = this.metric(name, 'histogram', valueType, unit);
    const make = (tags: MetricTags): MetricHistogram => ({ name, unit, description, kind: 'histogram', valueType, record: this.recorder(m, tags), withTags: (t) => make({ ...tags, ...t }) });
    return make({});
  }
  createGauge(name: string, valueType: NumericMetricValueType = 'int', unit?: string, description?: string): MetricGauge {
    const m = this.metric(name, 'gauge', valueType, unit);
    const make = (tags: MetricTags): MetricGauge => ({ name, unit, description, kind: 'gauge', valueType, set: this.recorder(m, tags), withTags: (t) => make({ ...tags, ...t }) });
    return make({});
  }
  withTags(tags: MetricTags): MetricMeter {
    return new FakeMeter({ ...this.baseTags, ...tags });
  }
  values(name: string) {
    return this.metrics.get(name)?.values ?? [];
  }
}

test('the instruments exist with the documented names, kinds and units', () => {
  const meter = new FakeMeter();
  createSyncMetrics(meter);
  const summary = [...meter.metrics.values()].map((m) => [m.name, m.kind, m.unit ?? '']);
  assert.deepEqual(summary, [
    [METRIC_NAMES.refunds, 'counter', ''],
    [METRIC_NAMES.apiCalls, 'counter', ''],
    [METRIC_NAMES.apiErrors, 'counter', ''],
    [METRIC_NAMES.apiLatency, 'histogram', 'ms'],
    [METRIC_NAMES.parked, 'gauge', ''],
    [METRIC_NAMES.drifted, 'counter', ''],
    [METRIC_NAMES.autoRetries, 'counter', ''],
    [METRIC_NAMES.watermarkLag, 'gauge', 's'],
  ]);
});

test('refund outcomes are counted by scheme, outcome and a reason category from a fixed set, never free text', () => {
  const meter = new FakeMeter();
  const m = createSyncMetrics(meter);
  m.refundOutcome('synced', { schemeId: 's1' });
  m.refundOutcome('parked', { schemeId: 's1', step: 'mapping', reason: 'FRetcustId: no customer in collection 255f… (customers) where FName=京东自营店' });
  m.refundOutcome('parked', { schemeId: 's1', step: 'audit', reason: 'Kingdee Audit: 退货数量超出可退数量' });
  m.refundOutcome('skipped', { schemeId: 's2', reason: 'returned offline, booked by hand by 张三 on 2026-01-21' });
  assert.deepEqual(meter.values(METRIC_NAMES.refunds), [
    { value: 1, tags: { scheme: 's1', outcome: 'synced', reason: 'none' } },
    { value: 1, tags: { scheme: 's1', outcome: 'parked', reason: 'missing_reference' } },
    { value: 1, tags: { scheme: 's1', outcome: 'parked', reason: 'over_return' } },
    { value: 1, tags: { scheme: 's2', outcome: 'skipped', reason: 'none' } },
  ]);
});

test('park reasons fall into the documented categories', () => {
  const cases: Array<[string, string, string]> = [
    ['eligibility', 'invalid Jushuitan record: items.0.qty: a quantity must be …', 'validation'],
    ['lookups', 'FMaterialId: no material in collection d36b… where FNumber=SKU-1', 'missing_reference'],
    ['mapping', 'FDate: not a date: 2026-13-01', 'mapping'],
    ['audit', 'Kingdee Audit failed: 退货数量超出可退数量', 'over_return'],
    ['save', 'Kingdee ValidateUser: login refused for user erp-bridge: LoginResultType 0', 'config'],
    ['save', 'Kingdee Save: 503 Service Unavailable (retries exhausted)', 'unavailable'],
    ['compensate', 'something nobody foresaw', 'other'],
  ];
  for (const [step, reason, category] of cases) assert.equal(reasonCategory(step, reason), category, `${step}: ${reason}`);
  assert.deepEqual([...LABEL_VALUES.reason].filter((r) => r !== 'none'), [...REASON_CATEGORIES]);
});

test('API calls: counted by outcome, errors by kind, latency recorded in whole milliseconds', async () => {
  const meter = new FakeMeter();
  const m = createSyncMetrics(meter);
  m.apiCall({ system: 'kingdee', operation: 'save', latencyMs: 120.6 });
  let t = 0;
  const clock = () => t;
  const result = await m.timeApiCall('jushuitan', 'refund.query', async () => {
    t += 250;
    return 'page';
  }, clock);
  assert.equal(result, 'page');
  class KingdeeBusinessError extends Error {
    override name = 'KingdeeBusinessError';
  }
  await assert.rejects(
    m.timeApiCall('kingdee', 'audit', async () => {
      t += 40;
      throw new KingdeeBusinessError('not auditable');
    }, clock),
    KingdeeBusinessError,
    'the error passes through unchanged',
  );
  assert.deepEqual(meter.values(METRIC_NAMES.apiCalls).map((v) => v.tags), [
    { system: 'kingdee', operation: 'save', outcome: 'ok' },
    { system: 'jushuitan', operation: 'refund.query', outcome: 'ok' },
    { system: 'kingdee', operation: 'audit', outcome: 'error' },
  ]);
  assert.deepEqual(meter.values(METRIC_NAMES.apiErrors), [{ value: 1, tags: { system: 'kingdee', operation: 'audit', kind: 'KingdeeBusinessError' } }]);
  assert.deepEqual(meter.values(METRIC_NAMES.apiLatency).map((v) => v.value), [121, 250, 40]);
});

test('the parked gauge is set per scheme and step; drift, auto-retry and watermark lag have their instruments', () => {
  const meter = new FakeMeter();
  const m = createSyncMetrics(meter);
  m.parkedNow({ schemeId: 's1', step: 'lookups', count: 3 });
  m.parkedNow({ schemeId: 's1', step: 'lookups', count: 0 });
  assert.deepEqual(meter.values(METRIC_NAMES.parked), [
    { value: 3, tags: { scheme: 's1', step: 'lookups' } },
    { value: 0, tags: { scheme: 's1', step: 'lookups' } },
  ]);
  m.declareScheme('s1');
  m.drifted({ schemeId: 's1' });
  m.autoRetried({ schemeId: 's1', step: 'lookups', reason: 'missing_reference' });
  m.watermarkLag({ schemeId: 's1', seconds: 61.4 });
  assert.deepEqual(meter.values(METRIC_NAMES.drifted), [{ value: 0, tags: { scheme: 's1' } }, { value: 1, tags: { scheme: 's1' } }]);
  assert.deepEqual(meter.values(METRIC_NAMES.autoRetries).at(-1), { value: 1, tags: { scheme: 's1', step: 'lookups', reason: 'missing_reference' } });
  assert.deepEqual(meter.values(METRIC_NAMES.watermarkLag), [{ value: 61, tags: { scheme: 's1' } }]);
});

test('a meter that throws never fails the caller', async () => {
  const broken = new FakeMeter();
  const m = createSyncMetrics(broken);
  for (const metric of broken.metrics.values()) metric.values.push = () => { throw new Error('runtime is shut down'); };
  assert.doesNotThrow(() => m.refundOutcome('synced', { schemeId: 's1' }));
  assert.equal(await m.timeApiCall('kingdee', 'view', async () => 7), 7);
});

test("inside an activity, metrics go to the activity's meter, tagged with the activity", async () => {
  const meter = new FakeMeter();
  const env = new MockActivityEnvironment({ activityType: 'saveBill', taskQueue: 'erp-bridge' }, { metricMeter: meter });
  await env.run(async () => activitySyncMetrics().refundOutcome('parked', { schemeId: 's1', step: 'save', reason: 'Kingdee Save: 503 Service Unavailable' }));
  const [recorded] = meter.values(METRIC_NAMES.refunds);
  assert.ok(recorded);
  assert.equal(recorded.value, 1);
  assert.deepEqual(
    { scheme: recorded.tags.scheme, outcome: recorded.tags.outcome, reason: recorded.tags.reason, activityType: recorded.tags.activityType, taskQueue: recorded.tags.taskQueue },
    { scheme: 's1', outcome: 'parked', reason: 'unavailable', activityType: 'saveBill', taskQueue: 'erp-bridge' },
  );
});

test('under the batcher, every Kingdee request is one call: a 5xx it recovers from is still an error', async () => {
  let failNext = true;
  const session = meteredWriteBackend({
    requestTimeoutMs: 5_000,
    findBills: async () => new Map(),
    save: async () => ({ id: '1', number: 'n' }),
    sendBatch: async () => {
      if (failNext) {
        failNext = false;
        throw new KingdeeTransientError({ operation: 'Submit', formId: 'SAL_RETURNSTOCK', billNumbers: ['a', 'b'] }, 'HTTP 503', { httpStatus: 503 });
      }
      return { isSuccess: true, errors: [], successEntitys: [], successMessages: [], msgCode: 0 } as never;
    },
  });
  // One activity (and one fake meter, which refuses a metric created twice) per request.
  const recorded = async (call: () => Promise<unknown>) => {
    const meter = new FakeMeter();
    await new MockActivityEnvironment({ activityType: 'advanceBill', taskQueue: 'erp-bridge-kingdee' }, { metricMeter: meter }).run(async () => call().catch(() => undefined));
    const calls = meter.values(METRIC_NAMES.apiCalls).map((v) => `${v.tags.operation}:${v.tags.outcome}`);
    return [...calls, ...meter.values(METRIC_NAMES.apiErrors).map((v) => `error ${v.tags.kind}`)];
  };
  assert.deepEqual(await recorded(() => session.sendBatch('Submit', 'SAL_RETURNSTOCK', { numbers: ['a', 'b'] })), ['submit:error', 'error KingdeeTransientError']);
  assert.deepEqual(await recorded(() => session.sendBatch('Submit', 'SAL_RETURNSTOCK', { numbers: ['a', 'b'] })), ['submit:ok']);
  assert.deepEqual(await recorded(() => session.sendBatch('BatchSave', 'SAL_RETURNSTOCK', { models: [{ FBillNo: 'a' }] })), ['save:ok']);
  assert.deepEqual(await recorded(() => session.findBills('SAL_RETURNSTOCK', ['a', 'b'])), ['find_bill:ok']);
  assert.equal(session.requestTimeoutMs, 5_000);
});
