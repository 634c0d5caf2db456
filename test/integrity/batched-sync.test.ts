// Batched Kingdee writes on a real dev server (issue 18): refunds synced through the batcher on two sessions with
// every many-bill switch of the simulator on, a lost BatchSave reply and a failed Audit call: each eligible refund
// ends with exactly one audited bill, no FBillNo twice, over-returns parked with their own error, nothing unknown.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isEligibleRefund } from '../../src/sim/world';
import { refundWorkflowId, statusQuery, type SyncRefundStatus } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const FORM = 'SAL_RETURNSTOCK';
let temporal: TestTemporal;
let stack: SyncStack;
const overReturns: string[] = [];

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(
    temporal,
    { refunds: 30, seed: 41 },
    (world) => {
      const plain = world.refunds.filter((r) => isEligibleRefund(r) && r.batchs.length === 0);
      for (const refund of plain.slice(0, 2)) {
        refund.items.find((i) => Number(i.r_qty) > 0)!.r_qty = 99;
        overReturns.push(String(refund.as_id));
      }
    },
    { kingdeeBatching: { batchSize: 8, lingerMs: 50, sessions: 2 } },
  );
  const kd = stack.systems.kingdee;
  kd.setBehaviours({ overReturnAtSave: true, groupRollback: true, skipUnknownNumbers: true, resultsInLoadOrder: true, sourceLockConflicts: true, errorsWithoutDIndex: true });
  kd.faults.add({ fault: 'commitThenDrop', op: 'BatchSave', nth: 1 });
  kd.faults.add({ fault: 'http5xx', op: 'Audit', nth: 1 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

const statusOf = (asId: string) => temporal.client.workflow.getHandle(refundWorkflowId(asId)).query(statusQuery);

test('batched sync: exactly one audited bill per eligible refund, no FBillNo twice, over-returns parked, in fewer calls', async () => {
  await stack.backfill();
  const parked = new Set(overReturns);
  const normal = stack.eligibleAsIds().filter((a) => !parked.has(a));
  const results = await Promise.all(normal.map((a) => stack.resultOf(a)));
  assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['Synced']));
  for (const asId of overReturns) {
    const s = await waitUntil(`refund ${asId} to park`, async () => {
      const st: SyncRefundStatus = await statusOf(asId);
      return st.status === 'Parked' ? st : undefined;
    });
    assert.match(s.reason ?? '', /超出可退数量/, `${asId} parks with its own Kingdee error`);
  }
  const bills = stack.systems.kingdee.store.records(FORM);
  const numbers = bills.map((b) => String(b.values.FBillNo));
  assert.equal(new Set(numbers).size, numbers.length, 'no FBillNo twice');
  assert.equal(bills.filter((b) => b.values.FDocumentStatus === 'C').length, normal.length, 'one audited bill per synced refund');
  assert.equal(bills.length, normal.length, 'nothing left behind for the parked ones');
  const kd = stack.systems.kingdee.counters;
  assert.ok(kd.get('BatchSave').faultsFired >= 1 && kd.get('Audit').faultsFired >= 1, 'the lost reply and the failed audit did happen');
  assert.ok(kd.get('BatchSave').bills / kd.get('BatchSave').calls > 1, 'several bills per call');
});
