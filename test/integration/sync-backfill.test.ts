// Done-when of the durable sync: a generated set of refunds backfills to exactly one audited, linked return
// bill per eligible refund, every other refund skipped with its reason, nothing else in Kingdee; and the
// same window run again creates nothing new.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { StoredRecord } from '../../src/sim/kingdee';
import { isEligibleRefund } from '../../src/sim/world';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { captureHistory } from '../support/histories';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { refundWorkflowId } from '../../src/workflows/messages';

let temporal: TestTemporal;
let stack: SyncStack;

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 300, seed: 11 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

function returnBills(): StoredRecord[] {
  return stack.systems.kingdee.store.records('SAL_RETURNSTOCK');
}

test('every eligible refund becomes exactly one audited return bill linked to its outbound lines', async () => {
  const world = stack.systems.world;
  const eligible = stack.eligibleAsIds();
  const result = await stack.backfill({}, 'backfill-for-history');

  assert.equal(result.counts.fetched, world.refunds.length, 'every record was read once');
  assert.equal(result.counts.started, eligible.length);
  const skippedTotal = Object.values(result.counts.skipped).reduce((a, b) => a + b, 0);
  assert.equal(skippedTotal, world.refunds.length - eligible.length, 'every ineligible record is counted as skipped');
  for (const reason of Object.keys(result.counts.skipped)) assert.match(reason, /status is|good_status is|type .* moves no goods|no line was received/);

  const results = await Promise.all(eligible.map((asId) => stack.resultOf(asId)));
  for (const r of results) assert.equal(r.status, 'Synced', `refund ${r.asId}: ${JSON.stringify(r)}`);

  const bills = returnBills();
  assert.equal(bills.length, eligible.length, 'nothing else in Kingdee');
  const byNumber = new Map(bills.map((b) => [String(b.values.FBillNo), b]));
  assert.equal(byNumber.size, bills.length, 'no FBillNo twice');

  for (const refund of world.refunds.filter(isEligibleRefund)) {
    const bill = byNumber.get(String(refund.as_id));
    assert.ok(bill, `a bill for ${refund.as_id}`);
    assert.equal(bill.values.FDocumentStatus, 'C', `bill ${refund.as_id} is audited`);
    const outbound = world.outboundBills.find((b) => b.soId === refund.so_id)!;
    const expectedEntries = new Set(
      refund.items.filter((i) => Number(i.r_qty) > 0).map((i) => outbound.entries.find((e) => e.onlineLineId === i.outer_oi_id)!.entryId),
    );
    const linked = new Set(bill.entries.flatMap((e) => e.links.map((l) => (assert.equal(l.sourceBillId, outbound.fid), l.sourceEntryId))));
    assert.deepEqual(linked, expectedEntries, `bill ${refund.as_id} links the returned outbound entries`);
  }
  // What the Web UI shows on the refund's page: the bill number and the mapped model, without buyer data.
  const first = world.refunds.find((r) => String(r.as_id) === eligible[0])!;
  const metadata = await temporal.client.workflow.getHandle(refundWorkflowId(first.as_id.toString())).query<{ currentDetails?: string }>('__temporal_workflow_metadata');
  assert.match(metadata.currentDetails ?? '', new RegExp(`Synced.*Kingdee bill ${first.as_id}`));
  assert.match(metadata.currentDetails ?? '', /"FBillNo": "\d+"/);
  for (const pii of [first.receiver_name, first.receiver_mobile, first.shop_buyer_id]) assert.ok(!metadata.currentDetails?.includes(String(pii)));

  await captureHistory(process.env.TEMPORAL_ADDRESS!, 'backfill-for-history');
  await captureHistory(process.env.TEMPORAL_ADDRESS!, 'backfill-for-history-slice-1');
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(eligible[0]!));
});

test('running the same window again creates nothing new', async () => {
  const before = returnBills().length;
  const again = await stack.backfill();
  assert.equal(again.counts.started, 0);
  assert.equal(again.counts.alreadyDone, stack.eligibleAsIds().length);
  assert.equal(returnBills().length, before);
});
