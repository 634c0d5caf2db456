// The lean workflow's two Kingdee steps at the activity level (activities/bill-steps.ts), against the in-memory
// bill store: ensureBillSaved claims a bill only when its own Save created it and writes nothing when the bill is
// there; advanceBill submits and audits, writes the decision only once audited, and every failure names the step
// it happened at and the steps done before it (the workflow parks there and compensates on an audit refusal).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBillStepActivities, type AdvanceBillInput, type EnsureBillSavedInput } from '../../src/activities/bill-steps';
import type { DecisionInput } from '../../src/activities/decisions';
import { kingdeeBillCalls } from '../../src/activities/kingdee';
import type { MapRefundResult } from '../../src/activities/mapping';
import { KingdeeBusinessError, KingdeeTransientError } from '../../src/connectors/kingdee/errors';
import { BUSINESS_ERROR } from '../../src/temporal/failure-types';
import { body, ctx, env, failureOf, FakeBills, FORM, NO, runIn } from '../support/fake-bills';

const mapped: MapRefundResult = { kind: 'ready', formId: FORM, billNo: NO, endState: 'audited', body, warnings: [] };
const input: EnsureBillSavedInput = { schemeId: 's1', record: { as_id: NO }, answers: {} };
const decision: DecisionInput = { schemeId: 's1', asId: NO, decision: 'synced', recordModified: '2026-01-02 03:04:05' };

function stepsWith(bills: FakeBills, options: { mapping?: MapRefundResult; ledgerFails?: () => boolean } = {}) {
  const recorded: DecisionInput[] = [];
  const acts = createBillStepActivities({
    kingdee: kingdeeBillCalls({ bills }),
    mapRefund: async () => options.mapping ?? mapped,
    recordDecision: async (d) => {
      if (options.ledgerFails?.()) throw new Error('state store unreachable');
      recorded.push(d);
      return { recorded: true };
    },
    requestTimeoutMs: bills.requestTimeoutMs,
  });
  return { acts, recorded };
}
const advance = (status: string): AdvanceBillInput => ({ formId: FORM, billNo: NO, status, endState: 'audited', decision });
const stepDetails = (f: { details?: unknown[] | null }) => f.details?.[0] as { step: string; done: string[] };

test('no bill with the number: it is saved and claimed as created by this attempt', async () => {
  const bills = new FakeBills(1);
  const r = await runIn(env(), stepsWith(bills).acts.ensureBillSaved, input);
  assert.equal(r.kind, 'ready');
  assert.ok(r.kind === 'ready' && r.found === null && r.bill.created && r.bill.status === 'A');
  assert.deepEqual(bills.calls, ['find', 'save']);
});

test('a bill already there is adopted as it is: nothing written, not claimed', async () => {
  const bills = new FakeBills(1);
  bills.plant('B', '555');
  const r = await runIn(env(), stepsWith(bills).acts.ensureBillSaved, input);
  assert.ok(r.kind === 'ready');
  assert.deepEqual(r.found, { id: '555', status: 'B' });
  assert.deepEqual(r.bill, { id: '555', number: NO, status: 'B', created: false });
  assert.deepEqual(bills.calls, ['find']);
});

test('a draft is saved in place (its FID kept) and not claimed', async () => {
  const bills = new FakeBills(1);
  bills.plant('Z', '556');
  const r = await runIn(env(), stepsWith(bills).acts.ensureBillSaved, input);
  assert.ok(r.kind === 'ready');
  assert.deepEqual(r.bill, { id: '556', number: NO, status: 'A', created: false });
  assert.equal(bills.calls.filter((c) => c === 'save').length, 1);
});

test('a retry that finds the bill adopts it: a save of an earlier attempt is never claimed', async () => {
  const bills = new FakeBills(1);
  bills.plant('A', '777');
  const r = await runIn(env({ attempt: 2, scheduledAt: Date.now() - 10 }), stepsWith(bills).acts.ensureBillSaved, input);
  assert.ok(r.kind === 'ready' && !r.bill.created);
  assert.ok(!bills.calls.includes('save'));
});

test('a record that maps to nothing (skip) or to errors reaches no Kingdee call', async () => {
  for (const mapping of [{ kind: 'skip', reason: 'not a return' }, { kind: 'errors', errors: ['FStockId: no warehouse'] }] as MapRefundResult[]) {
    const bills = new FakeBills(1);
    const r = await runIn(env(), stepsWith(bills, { mapping }).acts.ensureBillSaved, input);
    assert.deepEqual(r, mapping);
    assert.deepEqual(bills.calls, []);
  }
});

test('a failed find is a retryable failure at find, never "no bill"', async () => {
  const bills = new FakeBills(1);
  bills.failures.find = () => new KingdeeTransientError(ctx('ExecuteBillQuery'), 'HTTP 503', { httpStatus: 503 });
  const f = await failureOf(runIn(env(), stepsWith(bills).acts.ensureBillSaved, input));
  assert.equal(f.nonRetryable, false);
  assert.deepEqual(stepDetails(f), { step: 'find', done: [] });
  assert.ok(!bills.calls.includes('save'));
});

test('advanceBill submits, audits, then records the decision once', async () => {
  const bills = new FakeBills(1);
  bills.plant('A');
  const { acts, recorded } = stepsWith(bills);
  assert.deepEqual(await runIn(env(), acts.advanceBill, advance('A')), { status: 'C' });
  assert.deepEqual(bills.calls, ['submit', 'audit']);
  assert.deepEqual(recorded, [decision]);
});

test('an audit Kingdee refuses: a business failure at audit after submit, and no decision recorded', async () => {
  const bills = new FakeBills(1);
  bills.plant('A');
  bills.failures.audit = () => new KingdeeBusinessError(ctx('Audit'), { msgCode: 0, fieldErrors: [{ fieldName: null, message: '退货数量超出可退数量', dIndex: 0 }] });
  const { acts, recorded } = stepsWith(bills);
  const f = await failureOf(runIn(env(), acts.advanceBill, advance('A')));
  assert.equal(f.type, BUSINESS_ERROR);
  assert.equal(f.nonRetryable, true);
  assert.match(f.message, /退货数量超出可退数量/);
  assert.deepEqual(stepDetails(f), { step: 'audit', done: ['submit'] });
  assert.deepEqual(recorded, []);
});

test('a ledger write that fails is retried without writing to Kingdee again', async () => {
  const bills = new FakeBills(1);
  bills.plant('A');
  let down = true;
  const { acts, recorded } = stepsWith(bills, { ledgerFails: () => down });
  const f = await failureOf(runIn(env(), acts.advanceBill, advance('A')));
  assert.equal(f.nonRetryable, false, 'retried: the decision must reach the store');
  assert.deepEqual(stepDetails(f), { step: 'audit', done: ['submit', 'audit'] });
  down = false;
  const writes = bills.calls.length;
  assert.deepEqual(await runIn(env({ attempt: 2, scheduledAt: Date.now() - 10 }), acts.advanceBill, advance('A')), { status: 'C' });
  assert.deepEqual(bills.calls.slice(writes).filter((c) => c !== 'find'), [], 'the bill is audited already: only status checks');
  assert.deepEqual(recorded, [decision]);
});
