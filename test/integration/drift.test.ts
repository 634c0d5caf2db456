// Drift after sync, end to end on the simulators and the harness's dev server: a synced refund cancelled later in
// Jushuitan becomes SyncStatus='Drifted' after the next poll (also once its execution is gone), an alert is posted,
// and `reverse` leaves no bill; a drifted quantity is `resync`ed to a matching bill; `accept` closes a drift and
// keeps the bill; a new version that changes nothing the scheme reads is no drift; Kingdee refusing to un-audit a bill
// with downstream documents parks the drift with Kingdee's reason, and the stock `temporal` CLI's update works too.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTemporalCli } from '../../src/temporal/temporal-cli';
import { after, before, test } from 'node:test';
import { isEligibleRefund } from '../../src/sim/world';
import type { StoredRecord } from '../../src/sim/kingdee';
import { actOnDrift, driftStatus } from '../../src/temporal/drift-ops';
import { decisionsLedger } from '../../src/store/decisions';
import { driftWorkflowId, refundWorkflowId, type DriftRefundResult } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { recordingAlerter } from '../support/recording-alerter';
import { waitUntil } from '../support/wait';

const SCHEME = 'jst-refund-to-sales-return';
let temporal: TestTemporal;
let stack: SyncStack;
const alerter = recordingAlerter();
type Item = { r_qty: number; qty: number; price: number; amount: number };
type Refund = Record<string, unknown> & { as_id: number; modified: string; items: Item[]; batchs: unknown[] };

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 30, seed: 23 }, undefined, { alerter });
  await stack.backfill();
  for (const asId of stack.eligibleAsIds()) assert.equal((await stack.resultOf(asId)).status, 'Synced', `refund ${asId} synced`);
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

const bills = (): StoredRecord[] => stack.systems.kingdee.store.records('SAL_RETURNSTOCK');
const billsOf = (asId: string): StoredRecord[] => bills().filter((b) => b.values.FBillNo === asId);
const eligible = (): Refund[] => stack.systems.world.refunds.filter(isEligibleRefund) as unknown as Refund[];
/** A new version in the simulator: later than the synced one, still inside the stack's poll range. */
function change(asId: string, set: Record<string, unknown>): void {
  const before = stack.systems.jushuitan.store.get(Number(asId))!;
  const later = before.modified.replace(/:(\d\d)$/, (_m, s: string) => `:${String((Number(s) + 1) % 60).padStart(2, '0')}`);
  assert.ok(later > before.modified, 'the new version is newer (pick a record whose seconds are not 59)');
  stack.systems.jushuitan.store.touch([Number(asId)], { ...set, modified: later });
}
async function driftShows(asId: string): Promise<{ reason?: string }> {
  return waitUntil(`visibility to show ${asId} Drifted`, async () => {
    for await (const w of temporal.client.workflow.list({ query: `JstAsId='${asId}' AND SyncStatus='Drifted'` })) {
      return { reason: w.typedSearchAttributes.getAll().find((p) => p.key.name === 'SyncReason')?.value as string | undefined };
    }
    return undefined;
  });
}
const driftResult = (asId: string): Promise<DriftRefundResult> => temporal.client.workflow.getHandle(driftWorkflowId(asId)).result();
const pickable = (r: Refund) => !r.modified.endsWith(':59') && r.batchs.length === 0;

test('a synced refund cancelled in Jushuitan drifts at the next poll, even after retention removed its execution; reverse deletes the bill', async () => {
  const target = eligible().find(pickable)!;
  const asId = String(target.as_id);
  assert.equal(billsOf(asId).length, 1);
  // Retention: the refund's execution is gone; only the state store's ledger knows it was synced.
  await temporal.client.workflowService.deleteWorkflowExecution({ namespace: temporal.namespace, workflowExecution: { workflowId: refundWorkflowId(asId) } });
  await waitUntil('the execution to be deleted', async () => temporal.client.workflow.getHandle(refundWorkflowId(asId)).describe().then(() => undefined, () => true));

  change(asId, { status: 'Cancelled' });
  const polled = await stack.backfill();
  assert.equal(polled.counts.drifted, 1, JSON.stringify(polled.counts));
  assert.equal(polled.counts.started, 0, 'nothing synced again');
  const shown = await driftShows(asId);
  assert.match(shown.reason ?? '', /no longer eligible: status is Cancelled/);
  const alert = alerter.parked.find((a) => a.asId === asId);
  assert.ok(alert, 'an alert was posted');
  assert.match(alert.reason, /changed in Jushuitan after its decision/);

  // Validators answer at once: a reason is required.
  const refused = await actOnDrift(temporal.client, 'reverse', asId, ' ').catch((err: Error) => ({ accepted: false, message: err.message }));
  assert.equal(refused.accepted, false);
  const outcome = await actOnDrift(temporal.client, 'reverse', asId, 'cancelled by the buyer after audit');
  assert.ok(outcome.accepted, outcome.message);
  assert.equal((await driftResult(asId)).status, 'Reversed');
  assert.deepEqual(billsOf(asId), [], 'no bill left in Kingdee');
  const ledger = (await decisionsLedger(stack.store).find(SCHEME, [asId])).get(asId);
  assert.equal(ledger?.decision, 'reversed');

  // The next poll compares with the ledger's new word: the same drift is not reported again.
  const again = await stack.backfill();
  assert.equal(again.counts.drifted ?? 0, 0, JSON.stringify(again.counts));
});

test('a drifted quantity is resynced to a matching bill', async () => {
  const target = eligible().find((r) => pickable(r) && r.status === 'Confirmed' && r.items.some((i) => i.r_qty >= 2) && billsOf(String(r.as_id)).length === 1)!;
  assert.ok(target, 'the seed has a refund with a line of 2 or more');
  const asId = String(target.as_id);
  const items = target.items.map((i) => (i.r_qty >= 2 ? { ...i, r_qty: i.r_qty - 1, qty: i.qty - 1, amount: Number((i.price * (i.qty - 1)).toFixed(2)) } : i));
  const oldBill = billsOf(asId)[0]!;
  change(asId, { items });
  const polled = await stack.backfill();
  assert.equal(polled.counts.drifted, 1, JSON.stringify(polled.counts));
  assert.match((await driftShows(asId)).reason ?? '', /r_qty: \d+ → \d+/);
  const state = await driftStatus(temporal.client, asId);
  assert.equal(state.billNo, asId);

  const outcome = await actOnDrift(temporal.client, 'resync', asId, 'quantity corrected in Jushuitan');
  assert.ok(outcome.accepted, outcome.message);
  assert.equal((await driftResult(asId)).status, 'Resynced');
  assert.equal((await stack.resultOf(asId)).status, 'Synced');
  const [bill, ...others] = billsOf(asId);
  assert.ok(bill, 'a bill again');
  assert.deepEqual(others, [], 'exactly one');
  assert.notEqual(bill.id, oldBill.id, 'the old bill was reversed and a new one written');
  assert.equal(bill.values.FDocumentStatus, 'C');
  const qty = (b: StoredRecord) => b.entries.map((e) => Number(e.values.FRealQty)).sort();
  assert.deepEqual(qty(bill), items.filter((i) => i.r_qty > 0).map((i) => i.r_qty).sort());
  assert.notDeepEqual(qty(bill), qty(oldBill));
});

test('accept closes a drift and keeps the bill; a change the scheme does not read is no drift', async () => {
  const [accepted, untouched] = eligible().filter((r) => pickable(r) && r.status === 'Confirmed' && billsOf(String(r.as_id)).length === 1 &&
    stack.systems.jushuitan.store.get(r.as_id)!.modified === r.modified);
  assert.ok(accepted && untouched, 'two refunds not yet changed');
  const asId = String(accepted.as_id);
  const billBefore = billsOf(asId)[0]!;
  change(asId, { items: accepted.items.map((i, n) => (n === 0 ? { ...i, price: i.price + 1, amount: Number((i.amount + i.r_qty).toFixed(2)) } : i)) });
  // The buyer's phone is not a field the scheme reads: a new version, but no drift.
  change(String(untouched.as_id), { receiver_mobile: '13900000000' });
  const polled = await stack.backfill();
  assert.equal(polled.counts.drifted, 1, JSON.stringify(polled.counts));
  await driftShows(asId);

  const outcome = await actOnDrift(temporal.client, 'accept', asId, 'price difference settled outside Kingdee');
  assert.ok(outcome.accepted, outcome.message);
  const result = await driftResult(asId);
  assert.equal(result.status, 'Accepted');
  assert.equal(result.reason, 'price difference settled outside Kingdee');
  assert.deepEqual(billsOf(asId).map((b) => b.id), [billBefore.id], 'Kingdee stays as is');
  const ledger = (await decisionsLedger(stack.store).find(SCHEME, [asId])).get(asId);
  assert.equal(ledger?.decision, 'accepted');
  assert.match(ledger?.reason ?? '', /price difference settled/);
  // A closed drift takes no more actions; the next poll finds nothing new.
  const late = await actOnDrift(temporal.client, 'reverse', asId, 'too late');
  assert.equal(late.accepted, false);
  const again = await stack.backfill();
  assert.equal(again.counts.drifted ?? 0, 0, JSON.stringify(again.counts));
});

test('Kingdee refusing the un-audit (downstream documents) parks the drift with its reason; the stock CLI reverses it later', async () => {
  const target = eligible().find((r) => pickable(r) && r.status === 'Confirmed' && billsOf(String(r.as_id)).length === 1 &&
    stack.systems.jushuitan.store.get(r.as_id)!.modified === r.modified)!;
  const asId = String(target.as_id);
  const bill = billsOf(asId)[0]!;
  stack.systems.kingdee.store.setDownstream('SAL_RETURNSTOCK', bill.id);
  change(asId, { status: 'Cancelled' });
  assert.equal((await stack.backfill()).counts.drifted, 1);
  await driftShows(asId);

  assert.ok((await actOnDrift(temporal.client, 'reverse', asId, 'cancelled')).accepted);
  const parked = await waitUntil('the drift to park on the refusal', async () => {
    const s = await driftStatus(temporal.client, asId);
    return s.parkedReason ? s : undefined;
  });
  assert.equal(parked.status, 'Drifted', 'still open for the next action');
  assert.match(parked.parkedReason!, /Kingdee refused to un-audit SAL_RETURNSTOCK .*下游单据/);
  assert.ok(alerter.parked.some((a) => a.asId === asId && a.step === 'drift-reverse' && /下游单据/.test(a.reason)), 'the refusal is alerted');
  assert.deepEqual(billsOf(asId).map((b) => b.id), [bill.id], 'the bill is untouched');

  // The downstream document is gone: the stock CLI's update reverses it.
  stack.systems.kingdee.store.setDownstream('SAL_RETURNSTOCK', bill.id, false);
  await promisify(execFile)(ensureTemporalCli(), [
    'workflow', 'update', 'execute', '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', temporal.namespace,
    '--workflow-id', driftWorkflowId(asId), '--name', 'reverse', '--input', JSON.stringify({ reason: 'receivable deleted' }),
  ]);
  assert.equal((await driftResult(asId)).status, 'Reversed');
  assert.deepEqual(billsOf(asId), []);
});
