// A refund parked for a missing customer syncs by itself once the customer exists: no signal, no update.
// ERP_BRIDGE_PARK_RETRY is seconds here (the worker passes it to the parkRetryPolicy activity).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { after, before, test } from 'node:test';
import { isEligibleRefund } from '../../src/sim/world';
import { statusQuery, refundWorkflowId } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { recordingAlerter } from '../support/recording-alerter';
import { waitUntil } from '../support/wait';

let temporal: TestTemporal;
let stack: SyncStack;
const alerter = recordingAlerter();

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 12, seed: 31 }, undefined, { parkRetryMs: 2_000, alerter });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

test('a refund parked for a missing customer retries by itself and syncs once the customer exists', async () => {
  const shop = stack.systems.world.shops[1]!;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
  const stranded = stack.systems.world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name === shop.name).map((r) => String(r.as_id));
  assert.ok(stranded.length >= 1, 'the seed gives the shop an eligible refund');
  await stack.backfill();

  const handle = temporal.client.workflow.getHandle(refundWorkflowId(stranded[0]!));
  // Parked on the missing customer, with its next retry time in the status (and `erp-bridge status`).
  const parked = await waitUntil('the refund to park with a next retry time', async () => {
    const s = await handle.query(statusQuery);
    return s.status === 'Parked' && s.nextRetryAt ? s : undefined;
  });
  assert.match(parked.reason ?? '', /no customer/);
  // The CLI may land between a retry and the next park (the waits are seconds here): ask until it is parked.
  await waitUntil('erp-bridge status to show the next automatic retry', async () => {
    const cli = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'status', stranded[0]!], {
      env: { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: temporal.namespace },
    });
    return /next automatic retry at \d{4}-\d\d-\d\dT/.test(cli.stdout) ? true : undefined;
  });
  assert.ok(Date.parse(parked.nextRetryAt!) > Date.parse('2026-01-01'), 'a real time');
  // It retried at least once on its own (the customer is still missing): a timeline entry, and only one alert.
  await waitUntil('an automatic retry', async () => ((await handle.query(statusQuery)).timeline.some((t) => t.step === 'auto-retry') ? true : undefined));
  const described = await handle.describe();
  assert.equal(described.status.name, 'RUNNING');

  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber));
  for (const asId of stranded) {
    const result = await stack.resultOf(asId);
    assert.equal(result.status, 'Synced', `refund ${asId} synced by itself`);
    assert.ok(stack.systems.kingdee.store.records('SAL_RETURNSTOCK').some((b) => b.values.FBillNo === asId), `a bill for ${asId}`);
  }
  const alertsFor = alerter.parked.filter((a) => a.asId === stranded[0]);
  assert.equal(alertsFor.length, 1, `one parked alert, not one per retry: ${JSON.stringify(alertsFor)}`);
  const history = await handle.fetchHistory();
  const signals = history.events?.filter((e) => e.workflowExecutionSignaledEventAttributes || e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
  assert.deepEqual(signals, [], 'no signal or update was needed');
});
