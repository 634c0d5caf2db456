// Decisions outlive retention: with the closed executions of a synced and a skipped refund deleted from Temporal
// (as retention would), a backfill over their range books neither again; the ledger in PostgreSQL says why.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decisionsLedger } from '../../src/store/decisions';
import { isEligibleRefund } from '../../src/sim/world';
import { refundWorkflowId, skipSignal, type SyncRefundResult } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

let temporal: TestTemporal;
let stack: SyncStack;
before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 12, seed: 816 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

test('a synced and a skipped refund whose executions are gone are not booked again', async () => {
  const world = stack.systems.world;
  const eligible = world.refunds.filter(isEligibleRefund);
  // One shop loses its Kingdee customer: its refund parks, then an operator skips it ("booked by hand").
  const skipped = eligible[0]!;
  const shop = world.shops.find((s) => s.name === skipped.shop_name)!;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
  await stack.backfill({}, `retention-first-${stack.taskQueue}`);
  const skippedId = refundWorkflowId(String(skipped.as_id));
  await waitUntil('the refund parks', async () => ((await temporal.client.workflow.getHandle(skippedId).query<{ status: string }>('status')).status === 'Parked' ? true : undefined));
  await temporal.client.workflow.getHandle(skippedId).signal(skipSignal, { reason: 'booked by hand' });
  assert.equal((await stack.resultOf(String(skipped.as_id))).status, 'Skipped');

  const synced = eligible.find((r) => r.shop_name !== skipped.shop_name)!;
  const result: SyncRefundResult = await stack.resultOf(String(synced.as_id));
  assert.equal(result.status, 'Synced');

  const ledger = decisionsLedger(stack.store);
  const decided = await ledger.find('jst-refund-to-sales-return', [String(synced.as_id), String(skipped.as_id)]);
  assert.equal(decided.get(String(synced.as_id))?.decision, 'synced');
  assert.equal(decided.get(String(synced.as_id))?.billNo, result.billNo);
  assert.equal(decided.get(String(skipped.as_id))?.decision, 'skipped');
  assert.match(decided.get(String(skipped.as_id))?.reason ?? '', /booked by hand/);

  // Retention removes both closed executions; the customer comes back, so a new run could book the skipped one.
  for (const asId of [synced.as_id, skipped.as_id]) {
    await temporal.client.workflowService.deleteWorkflowExecution({ namespace: temporal.namespace, workflowExecution: { workflowId: refundWorkflowId(String(asId)) } });
    await waitUntil(`execution of ${asId} deleted`, async () => {
      try {
        await temporal.client.workflow.getHandle(refundWorkflowId(String(asId))).describe();
        return undefined;
      } catch {
        return true;
      }
    });
  }
  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber));
  const billsBefore = stack.systems.kingdee.store.records('SAL_RETURNSTOCK').length;

  const again = await stack.backfill({}, `retention-second-${stack.taskQueue}`);
  assert.ok(again.counts.alreadyDone >= 2, `both decided records counted as done: ${JSON.stringify(again.counts)}`);
  const bills = stack.systems.kingdee.store.records('SAL_RETURNSTOCK');
  assert.equal(bills.length, billsBefore, 'no new bill');
  assert.equal(bills.filter((b) => String(b.values.FBillNo) === String(skipped.as_id)).length, 0, 'the skipped refund is not booked');
  assert.equal(bills.filter((b) => String(b.values.FBillNo) === String(synced.as_id)).length, 1, 'the synced refund keeps one bill');
  for (const asId of [synced.as_id, skipped.as_id]) {
    await assert.rejects(temporal.client.workflow.getHandle(refundWorkflowId(String(asId))).describe(), 'no new workflow was started');
  }
});
