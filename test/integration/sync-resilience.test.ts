// Done-when of the durable sync: a worker stopped mid-backfill and started again loses and duplicates
// nothing, and a Save whose reply is lost after it committed (commit-then-drop) does not make a second bill.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { countRefunds } from '../../src/temporal/refund-ops';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

let temporal: TestTemporal;
let stack: SyncStack;

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 150, seed: 5 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

test('worker restarts mid-backfill and lost Save replies end with exactly one audited bill per refund', async () => {
  const kingdee = stack.systems.kingdee;
  kingdee.faults.add({ fault: 'commitThenDrop', op: 'Save', formId: 'SAL_RETURNSTOCK', every: 7, times: 10 });
  kingdee.faults.add({ fault: 'commitThenDrop', op: 'Audit', every: 11, times: 5 });
  const since = new Date(Date.now() - 1000);
  const eligible = stack.eligibleAsIds();

  const backfill = stack.backfill();
  // Stop the worker once some refunds are through, while others are mid-flight.
  await waitUntil('some refunds to sync', async () => ((await countRefunds(temporal.client, { status: 'Synced', since })) >= 10 ? true : undefined));
  await stack.stopWorker();
  await stack.startWorker();
  const result = await backfill;
  assert.equal(result.counts.started + result.counts.alreadyDone, eligible.length);

  const results = await Promise.all(eligible.map((asId) => stack.resultOf(asId)));
  assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['Synced']));
  const bills = kingdee.store.records('SAL_RETURNSTOCK');
  assert.equal(bills.length, eligible.length, 'one bill per eligible refund');
  assert.equal(new Set(bills.map((b) => b.values.FBillNo)).size, bills.length, 'no FBillNo twice');
  assert.ok(bills.every((b) => b.values.FDocumentStatus === 'C'));
  const fired = kingdee.faults.list().reduce((n, rule) => n + rule.fired, 0);
  assert.ok(fired > 0, 'commit-then-drop faults actually fired');
});
