// Done-when of the durable sync: parking with a reason, reprocess through our CLI and the stock temporal CLI,
// audit compensation that leaves no bill behind, and skip.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { isEligibleRefund } from '../../src/sim/world';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { skipRefund } from '../../src/temporal/refund-ops';
import { FailedStepKey, SyncStatusKey } from '../../src/temporal/search-attributes';
import { refundWorkflowId, statusQuery, type SyncRefundStatus } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { captureHistory } from '../support/histories';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const run = promisify(execFile);
let temporal: TestTemporal;
let stack: SyncStack;
let missingCustomerShop: string;
let overReturnAsId: string;

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 40, seed: 23 }, (world) => {
    // One eligible refund without lots claims far more than was shipped: Kingdee refuses its audit.
    const refund = world.refunds.find((r) => isEligibleRefund(r) && r.batchs.length === 0 && r.shop_name !== world.shops[2]!.name)!;
    const item = refund.items.find((i) => Number(i.r_qty) > 0)!;
    item.r_qty = 99;
    overReturnAsId = String(refund.as_id);
  });
  const shop = stack.systems.world.shops[2]!;
  missingCustomerShop = shop.name;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

const statusOf = (asId: string) => temporal.client.workflow.getHandle(refundWorkflowId(asId)).query(statusQuery);
const waitForStatus = (asId: string, want: SyncRefundStatus['status']) =>
  waitUntil(`refund ${asId} to be ${want}`, async () => {
    const s = await statusOf(asId);
    return s.status === want ? s : undefined;
  });
const billOf = (asId: string) => stack.systems.kingdee.store.findByNumber('SAL_RETURNSTOCK', asId);

test('refunds of a shop without a Kingdee customer park with that reason; restored and reprocessed, they sync', async () => {
  const world = stack.systems.world;
  const stranded = world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name === missingCustomerShop).map((r) => String(r.as_id));
  assert.ok(stranded.length >= 2, 'the seed gives the shop at least two eligible refunds');
  await stack.backfill();

  for (const asId of stranded) {
    const s = await waitForStatus(asId, 'Parked');
    assert.equal(s.failedStep, 'mapping');
    assert.match(s.reason ?? '', /no customer/);
    assert.ok(s.reason?.includes(missingCustomerShop), 'the reason names the shop');
    const described = await temporal.client.workflow.getHandle(refundWorkflowId(asId)).describe();
    assert.equal(described.typedSearchAttributes.get(SyncStatusKey), 'Parked');
    assert.equal(described.typedSearchAttributes.get(FailedStepKey), 'mapping');
    assert.equal(billOf(asId), undefined);
  }

  const shop = world.shops[2]!;
  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber));
  const env = { ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, ERP_BRIDGE_TASK_QUEUE: stack.taskQueue };
  const [viaOurs, viaTemporal, ...rest] = stranded;
  const ours = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'reprocess', viaOurs!, '--reason', 'customer restored'], { env });
  assert.match(ours.stdout, new RegExp(`refund ${viaOurs}: reprocess accepted`));
  await run(ensureTemporalCli(), [
    'workflow', 'signal', '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', temporal.namespace,
    '--workflow-id', refundWorkflowId(viaTemporal!), '--name', 'reprocess', '--input', '{"reason":"via temporal CLI"}',
  ]);
  for (const asId of rest) await temporal.client.workflow.getHandle(refundWorkflowId(asId)).signal('reprocess');

  for (const asId of stranded) {
    const result = await stack.resultOf(asId);
    assert.equal(result.status, 'Synced');
    assert.equal(billOf(asId)?.values.FDocumentStatus, 'C');
  }
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(viaOurs!));
  const { timeline } = await statusOf(viaTemporal!);
  assert.ok(timeline.some((t) => t.step === 'reprocess' && t.detail === 'via temporal CLI'), 'the signal\'s reason is in the timeline');
});

test('an over-return parks after compensation and leaves no bill behind; skip closes it', async () => {
  const s = await waitForStatus(overReturnAsId, 'Parked');
  assert.equal(s.failedStep, 'audit');
  assert.match(s.reason ?? '', /退货数量超出可退数量|exceed/);
  const steps = s.timeline.map((t) => `${t.step}:${t.outcome}`);
  assert.ok(steps.includes('save:ok') && steps.includes('submit:ok') && steps.includes('audit:failed'), steps.join(' '));
  assert.deepEqual(s.timeline.filter((t) => t.step === 'compensate').map((t) => t.detail), ['removed the bill this attempt created']);
  assert.equal(billOf(overReturnAsId), undefined, 'the bill this attempt created is gone');

  // With its workers down, the operator's skip is not left hanging: it says no worker answered, and goes on.
  await stack.stopWorker();
  const unanswered = await skipRefund(temporal.client, overReturnAsId, 'over-return booked by hand', undefined, 2_000);
  assert.equal(unanswered.accepted, false);
  assert.match(unanswered.message, /no worker answered the skip within 2 s \(is a worker running on task queue sync-/);
  await stack.startWorker();

  // The first skip may still reach the workflow once a worker is back; either way the refund ends skipped.
  const again = await skipRefund(temporal.client, overReturnAsId, 'over-return booked by hand');
  assert.ok(again.accepted || /is skipped/.test(again.message), again.message);
  const result = await stack.resultOf(overReturnAsId);
  assert.deepEqual([result.status, result.reason], ['Skipped', 'over-return booked by hand']);
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(overReturnAsId));
  assert.equal(billOf(overReturnAsId), undefined);
});
