// Issue 16, points 2, 3 and 4 at the activity level, against a small in-memory bill store:
// a bill is claimed only when our own Save reply created it; a failed status check is a failure, never
// "no bill"; a retried write waits out the earlier request before it looks; nothing is sent once cancelled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CancelledFailure } from '@temporalio/common';
import { createKingdeeActivities } from '../../src/activities/kingdee';
import { meteredBillStore } from '../../src/activities/metered';
import { KingdeeTransientError, KingdeeUnknownOutcomeError } from '../../src/connectors/kingdee/errors';
import { BUSINESS_ERROR } from '../../src/temporal/failure-types';
import { body, ctx, env, failureOf, FakeBills, FORM, NO, runIn } from '../support/fake-bills';


test('point 2: a bill found on a retried save is adopted, never claimed as ours', async () => {
  const bills = new FakeBills(1);
  const acts = createKingdeeActivities({ bills });
  bills.plant('A', '777'); // a clerk booked it while our first save got a 503
  const saved = await runIn(env({ attempt: 2 }), acts.saveBill, { formId: FORM, billNo: NO, body });
  assert.deepEqual(saved, { id: '777', number: NO, status: 'A', created: false });
  assert.deepEqual(bills.calls, ['find'], 'no second save');
});

test('point 2: a lost Save reply is resolved by a lookup, and what it finds is not claimed', async () => {
  const bills = new FakeBills(1);
  bills.failures.save = () => {
    bills.failures = {};
    bills.plant('A', '778'); // it committed; the reply was lost
    return new KingdeeUnknownOutcomeError(ctx('Save'), 'socket hang up');
  };
  const saved = await runIn(env(), createKingdeeActivities({ bills }).saveBill, { formId: FORM, billNo: NO, body });
  assert.equal(saved.created, false);
  assert.equal(saved.id, '778');
});

test('point 2: only our own Save reply makes the bill ours', async () => {
  const bills = new FakeBills(1);
  const saved = await runIn(env(), createKingdeeActivities({ bills }).saveBill, { formId: FORM, billNo: NO, body });
  assert.equal(saved.created, true);
  assert.equal(saved.status, 'A');
});

test('point 2: a duplicate number found at save is someone else\'s bill', async () => {
  const bills = new FakeBills(1);
  bills.plant('B', '779');
  const saved = await runIn(env(), createKingdeeActivities({ bills }).saveBill, { formId: FORM, billNo: NO, body });
  assert.deepEqual([saved.created, saved.id, saved.status], [false, '779', 'B']);
});

test('point 3: a lost save reply whose status check fails is a retryable failure, not "no bill"', async () => {
  const bills = new FakeBills(1);
  bills.failures.save = () => new KingdeeUnknownOutcomeError(ctx('Save'), 'socket hang up');
  bills.failures.find = () => new KingdeeTransientError(ctx('ExecuteBillQuery'), 'HTTP 503', { httpStatus: 503 });
  const f = await failureOf(runIn(env(), createKingdeeActivities({ bills }).saveBill, { formId: FORM, billNo: NO, body }));
  assert.equal(f.nonRetryable, false);
  assert.match(f.message, /status check by FBillNo failed/);
});

test('point 3: cancel-submit and delete do not report success when the status check fails', async () => {
  for (const [name, status] of [['cancelSubmit', 'C'], ['deleteBill', 'C']] as const) {
    const bills = new FakeBills(1);
    bills.plant(status);
    bills.failures.find = () => new KingdeeTransientError(ctx('ExecuteBillQuery'), 'HTTP 503', { httpStatus: 503 });
    const f = await failureOf(runIn(env(), createKingdeeActivities({ bills })[name], { formId: FORM, billNo: NO }));
    assert.equal(f.nonRetryable, false, `${name} is retried`);
    assert.equal(bills.bills.get(NO)?.status, 'C', 'the audited bill is still there');
  }
});

test('chaos: a replayed submit\'s status error does not win when the re-check fails; it is retried', async () => {
  const bills = new FakeBills(1);
  bills.plant('B'); // our first submit committed, its reply was dropped; the replay says 单据已经提交
  bills.failures.find = () => new KingdeeTransientError(ctx('ExecuteBillQuery'), 'HTTP 502', { httpStatus: 502 });
  const f = await failureOf(runIn(env(), createKingdeeActivities({ bills }).submitBill, { formId: FORM, billNo: NO }));
  assert.notEqual(f.type, BUSINESS_ERROR, 'not parked as a business error');
  assert.equal(f.nonRetryable, false);
  // And once the check works, the retry sees status B and is done without writing again.
  bills.failures = {};
  await runIn(env({ attempt: 2, scheduledAt: Date.now() - 10 }), createKingdeeActivities({ bills }).submitBill, { formId: FORM, billNo: NO });
  assert.deepEqual(bills.calls.filter((c) => c === 'submit'), ['submit']);
});

test('point 4: a retried save waits out the earlier request before it looks, so it never saves twice', async () => {
  const bills = new FakeBills(300);
  // The first attempt's save is still running in Kingdee: it commits 150 ms after this attempt was scheduled.
  const scheduledAt = Date.now();
  const committed = new Promise<void>((resolve) => setTimeout(() => { bills.plant('A', '780'); resolve(); }, 150));
  const saved = await runIn(env({ attempt: 2, scheduledAt }), createKingdeeActivities({ bills }).saveBill, { formId: FORM, billNo: NO, body });
  await committed;
  assert.deepEqual(bills.calls, ['find'], 'looked once, after the first request ended; saved nothing');
  assert.equal(saved.id, '780');
  assert.equal(bills.bills.size, 1);
});

test('the metered bill store the worker uses keeps the configured request timeout (a retried write waits that long, not 120 s)', () => {
  const metered = meteredBillStore(new FakeBills(1234));
  assert.equal(metered.requestTimeoutMs, 1234);
});

test('point 5: a write cancelled before its request is sent sends nothing', async () => {
  const bills = new FakeBills(10_000);
  bills.plant('A');
  const e = env({ attempt: 2, scheduledAt: Date.now() });
  const run = runIn(e, createKingdeeActivities({ bills }).submitBill, { formId: FORM, billNo: NO });
  setTimeout(() => e.cancel(), 20);
  await assert.rejects(run, (err: unknown) => err instanceof CancelledFailure);
  assert.deepEqual(bills.calls, [], 'no lookup and no submit were sent');
  assert.equal(bills.bills.get(NO)?.status, 'A');
});

test('removeOwnBill undoes our bill from audited back to nothing', async () => {
  const bills = new FakeBills(1);
  const ours = bills.plant('C', '781');
  await runIn(env(), createKingdeeActivities({ bills }).removeOwnBill, { formId: FORM, billNo: NO, id: ours.id });
  assert.equal(bills.bills.size, 0);
  assert.deepEqual(bills.calls.filter((c) => c !== 'find'), ['unAudit', 'delete']);
});

test('removeOwnBill leaves a bill with another FID in place and says so', async () => {
  const bills = new FakeBills(1);
  bills.plant('B', '900');
  const f = await failureOf(runIn(env(), createKingdeeActivities({ bills }).removeOwnBill, { formId: FORM, billNo: NO, id: '781' }));
  assert.equal(f.type, BUSINESS_ERROR);
  assert.match(f.message, /FID 900, not the FID 781 this refund created: left in place/);
  assert.equal(bills.bills.get(NO)?.status, 'B');
});

test('a draft is saved in place (its FID kept) and becomes status A', async () => {
  const bills = new FakeBills(1);
  const draft = bills.plant('Z', '782');
  const r = await runIn(env(), createKingdeeActivities({ bills }).completeDraft, { formId: FORM, billNo: NO, id: draft.id, body });
  assert.equal(r.status, 'A');
  assert.equal(bills.bills.get(NO)?.id, '782');
});
