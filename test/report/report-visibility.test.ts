// The report through the real dev server: syncRefund workflows are started on a task queue with no worker,
// their search attributes set at start, and the report must count them from visibility.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Command } from 'commander';
import type { SearchAttributePair } from '@temporalio/common';
import { registerReportCommand } from '../../src/cli/report';
import { collectRefundReport } from '../../src/report/collect';
import type { RefundReport } from '../../src/report/refund-report';
import { FailedStepKey, JstAsIdKey, JstShopIdKey, SchemeIdKey, SyncReasonKey, SyncStatusKey } from '../../src/temporal/search-attributes';
import { refundWorkflowId, type SyncRefundInput, type SyncStatus } from '../../src/workflows/messages';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
const started: string[] = [];
before(async () => {
  temporal = await connectTestTemporal();
});
after(async () => {
  for (const id of started) await temporal.client.workflow.getHandle(id).terminate('report test done').catch(() => undefined);
  await temporal?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Visibility is eventually consistent: read until `done` holds, failing (not hanging) after a deadline. */
async function eventually(read: () => Promise<RefundReport>, done: (r: RefundReport) => boolean, deadlineMs = 20_000): Promise<RefundReport> {
  const deadline = Date.now() + deadlineMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) assert.fail(`visibility never showed the expected refunds; last report: ${JSON.stringify(last)}`);
    await sleep(200);
    last = await read();
  }
  return last;
}

test('report counts syncRefund workflows started in the range by status and reason, and lists the parked ones', async () => {
  const schemeId = `report-it-${randomUUID()}`;
  const taskQueue = temporal.taskQueue('report-no-worker');
  const base = 7_000_000 + Math.floor(Math.random() * 1_000_000) * 10;
  const from = new Date(Date.now() - 60_000);

  const specs: Array<{ status: SyncStatus; step?: string; reason?: string }> = [
    { status: 'Parked', step: 'save', reason: 'customer not found in Kingdee' },
    { status: 'Parked', step: 'save', reason: 'customer not found in Kingdee' },
    { status: 'Parked', step: 'lookups', reason: 'material SKU-9 not found' },
    { status: 'Synced' },
    { status: 'Synced' },
    { status: 'Skipped', reason: 'returned offline' },
  ];
  for (const [i, spec] of specs.entries()) {
    const asId = String(base + i);
    const attributes: SearchAttributePair[] = [
      { key: JstAsIdKey, value: asId },
      { key: JstShopIdKey, value: 'shop-1' },
      { key: SchemeIdKey, value: schemeId },
      { key: SyncStatusKey, value: spec.status },
    ];
    if (spec.step) attributes.push({ key: FailedStepKey, value: spec.step });
    if (spec.reason) attributes.push({ key: SyncReasonKey, value: spec.reason });
    const input: SyncRefundInput = { schemeId, refund: { asId, shopId: 'shop-1', shopName: 'test shop', lines: 1, modified: from.toISOString() }, record: {} };
    const handle = await temporal.client.workflow.start('syncRefund', { taskQueue, workflowId: refundWorkflowId(asId), args: [input], typedSearchAttributes: attributes });
    started.push(handle.workflowId);
  }
  const to = new Date(Date.now() + 5 * 60_000);

  const report = await eventually(
    () => collectRefundReport(temporal.client, { from, to, schemeId }),
    (r) => r.total === specs.length,
  );
  assert.deepEqual(report.byStatus, { Synced: 2, Parked: 3, Skipped: 1, Cancelled: 0, Failed: 0, Running: 0, Unknown: 0 });
  assert.deepEqual(report.byReason, [
    { status: 'Parked', reason: 'customer not found in Kingdee', count: 2 },
    { status: 'Parked', reason: 'material SKU-9 not found', count: 1 },
    { status: 'Skipped', reason: 'returned offline', count: 1 },
  ]);
  assert.deepEqual(report.parked.map((p) => p.asId).sort(), [String(base), String(base + 1), String(base + 2)]);
  assert.deepEqual(report.parked.map((p) => p.failedStep).sort(), ['lookups', 'save', 'save']);

  // The range bounds start time: an hour that ended before these started holds none of them.
  const earlier = await collectRefundReport(temporal.client, { from: new Date(from.getTime() - 3_600_000), to: from, schemeId });
  assert.equal(earlier.total, 0);

  // The CLI command prints the same report as JSON.
  const printed: string[] = [];
  const program = new Command('erp-bridge').exitOverride();
  registerReportCommand(program, (t) => printed.push(t));
  await program.parseAsync(['report', '--from', from.toISOString(), '--to', to.toISOString(), '--scheme', schemeId, '--json'], { from: 'user' });
  assert.equal(printed.length, 1);
  const fromCli = JSON.parse(printed[0]!) as RefundReport;
  assert.deepEqual(fromCli.byStatus, report.byStatus);
  assert.equal(fromCli.parked.length, 3);
});
