// Issue 16, point 9: an error its connector calls final is not retried; refused credentials are configuration.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { toActivityFailure } from '../../src/activities/errors';
import { createOutcomeActivities, CONFIG_ALERT_EVERY_MS, type OutcomeEvent } from '../../src/activities/outcomes';
import { KingdeeConfig, MAX_REQUEST_TIMEOUT_MS } from '../../src/connectors/kingdee/config';
import { KingdeeLoginError, KingdeeSessionLostError, KingdeeTransientError } from '../../src/connectors/kingdee/errors';
import { CONFIG_ERROR } from '../../src/temporal/failure-types';
import { KINGDEE_WRITE_START_TO_CLOSE_MS } from '../../src/temporal/kingdee-timeouts';
import { MockActivityEnvironment } from '@temporalio/testing';
import type { Alerter } from '../../src/alerts';
import type { RefundParkedAlert } from '../../src/alerts/digest';

const ctx = { operation: 'ExecuteBillQuery', formId: 'SAL_RETURNSTOCK' };
const failure = (err: unknown) => {
  const f = toActivityFailure(err);
  assert.ok(f instanceof ApplicationFailure);
  return f;
};

test('a signed-login credential the server refuses is a configuration error, not retried', () => {
  const f = failure(new KingdeeSessionLostError(ctx, 'signed-header credentials rejected', false));
  assert.deepEqual([f.type, f.nonRetryable], [CONFIG_ERROR, true]);
  const login = failure(new KingdeeLoginError({ operation: 'LoginByAppSecret' }, 'login refused', 0));
  assert.deepEqual([login.type, login.nonRetryable], [CONFIG_ERROR, true]);
});

test('retryable connector errors stay retryable', () => {
  assert.equal(failure(new KingdeeSessionLostError(ctx, 'session lost')).nonRetryable, false);
  assert.equal(failure(new KingdeeTransientError(ctx, 'HTTP 503', { httpStatus: 503 })).nonRetryable, false);
});

test('a non-retryable error of any connector is not retried', () => {
  class FinalError extends Error { readonly retryable = false; }
  assert.equal(failure(new FinalError('no')).nonRetryable, true);
});

test('a configuration park raises one alert for all refunds within the hour', async () => {
  const alerts: RefundParkedAlert[] = [];
  const alerter = { refundParked: (e: RefundParkedAlert) => alerts.push(e) } as unknown as Alerter;
  let now = 1_000_000;
  const { reportOutcome } = createOutcomeActivities({ alerter, now: () => now });
  const env = new MockActivityEnvironment();
  const parked = (asId: string): OutcomeEvent => ({ status: 'Parked', schemeId: 's', asId, step: 'lookups', reason: 'configuration: login refused', configuration: true });
  for (const asId of ['1', '2', '3']) await env.run(reportOutcome, parked(asId));
  assert.equal(alerts.length, 1);
  now += CONFIG_ALERT_EVERY_MS;
  await env.run(reportOutcome, parked('4'));
  assert.equal(alerts.length, 2, 'raised again after the period');
  const business = (asId: string): OutcomeEvent => ({ status: 'Parked', schemeId: 's', asId, step: 'audit', reason: 'over-return' });
  await env.run(reportOutcome, business('5'));
  await env.run(reportOutcome, business('6'));
  assert.equal(alerts.length, 4, 'business parks alert each refund');
});

test('point 4: the Kingdee request timeout is capped so a retried write fits its activity timeout', () => {
  assert.ok(3 * MAX_REQUEST_TIMEOUT_MS < KINGDEE_WRITE_START_TO_CLOSE_MS, 'wait out + check + write fit');
  const base = { baseUrl: 'http://erp.example.com/k3cloud/', acctId: 'a', username: 'u', password: 'p' };
  const tooLong = KingdeeConfig.safeParse({ ...base, requestTimeoutMs: MAX_REQUEST_TIMEOUT_MS + 1 });
  assert.equal(tooLong.success, false);
  assert.match(JSON.stringify(tooLong.error?.issues), /waits out one request/);
  assert.equal(KingdeeConfig.parse(base).requestTimeoutMs <= MAX_REQUEST_TIMEOUT_MS, true);
});

test('a cancelled refund raises an alert; synced and skipped ones do not', async () => {
  const alerts: RefundParkedAlert[] = [];
  const alerter = { refundParked: (e: RefundParkedAlert) => alerts.push(e) } as unknown as Alerter;
  const { reportOutcome } = createOutcomeActivities({ alerter });
  const env = new MockActivityEnvironment();
  await env.run(reportOutcome, { status: 'Synced', schemeId: 's', asId: '1' } satisfies OutcomeEvent);
  await env.run(reportOutcome, { status: 'Skipped', schemeId: 's', asId: '2', reason: 'booked by hand' } satisfies OutcomeEvent);
  await env.run(reportOutcome, { status: 'Cancelled', schemeId: 's', asId: '3', reason: 'cancelled' } satisfies OutcomeEvent);
  assert.deepEqual(alerts.map((a) => [a.asId, a.step, a.reason]), [['3', 'cancelled', 'cancelled']]);
});
