// Issue 16 done-when on a real dev server and the simulators: adopt by status (Z, A, B, C, deleted, and a
// status that cannot advance), resync of closed refunds (batch, per-refund outcomes), reprocess on a synced
// refund refused naming resync, skip during a slow lookup (stock CLI update), cancel during a slow audit,
// the clerk's bill left in place, a terminated run not counted as running, a 400-digit price parked.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { jstRefundWireSchema } from '../../src/connectors/jushuitan/schemas';
import { isEligibleRefund } from '../../src/sim/world';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { listRefunds, listedStatus } from '../../src/temporal/refund-ops';
import { SyncStatusKey } from '../../src/temporal/search-attributes';
import { refundWorkflowId, statusQuery, type SyncRefundStatus } from '../../src/workflows/messages';
import { captureHistory } from '../support/histories';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const SCHEME = 'jst-refund-to-sales-return';
const FORM = 'SAL_RETURNSTOCK';
const run = promisify(execFile);
let temporal: TestTemporal;
let stack: SyncStack;
const overReturns: string[] = [];
let hugePriceAsId: string;
let strandedShop: string;
const since = new Date(Date.now() - 1000);

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 40, seed: 29 }, (world) => {
    const plain = world.refunds.filter((r) => isEligibleRefund(r) && r.batchs.length === 0 && r.shop_name !== world.shops[1]!.name);
    // Two refunds claim far more than was shipped: Kingdee refuses their audit.
    for (const refund of plain.slice(0, 2)) {
      refund.items.find((i) => Number(i.r_qty) > 0)!.r_qty = 99;
      overReturns.push(String(refund.as_id));
    }
    const huge = plain[2]!;
    (huge.items[0] as Record<string, unknown>).price = '1' + '0'.repeat(400);
    hugePriceAsId = String(huge.as_id);
  });
  // The refunds of one shop park at mapping (no Kingdee customer) until it is restored.
  const shop = stack.systems.world.shops[1]!;
  strandedShop = shop.customerNumber;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

const handleOf = (asId: string) => temporal.client.workflow.getHandle(refundWorkflowId(asId));
const statusOf = (asId: string) => handleOf(asId).query(statusQuery);
const waitForStatus = (asId: string, want: SyncRefundStatus['status'], timeoutMs?: number) =>
  waitUntil(`refund ${asId} to be ${want}`, async () => {
    const s = await statusOf(asId);
    return s.status === want ? s : undefined;
  }, timeoutMs);
const billsOf = (asId: string) => stack.systems.kingdee.store.records(FORM).filter((b) => b.values.FBillNo === asId);
const billOf = (asId: string) => stack.systems.kingdee.store.findByNumber(FORM, asId);
const env = () => ({ ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, ERP_BRIDGE_TASK_QUEUE: stack.taskQueue });
/** Runs `erp-bridge …`; a refusal sets exit code 1, which is returned rather than thrown. */
async function cli(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), ...args], { env: env() });
    return { ...r, code: 0 };
  } catch (err) {
    const e = err as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}
let synced: string[] = [];
const takeSynced = () => {
  const asId = synced.shift();
  assert.ok(asId, 'enough synced refunds for every test');
  return asId;
};

test('backfill: eligible refunds sync; a 400-digit price parks naming the field', async () => {
  const result = await stack.backfill();
  assert.ok(result.counts.started > 0);
  const stranded = new Set(stack.systems.world.refunds.filter((r) => r.shop_name === stack.systems.world.shops[1]!.name).map((r) => String(r.as_id)));
  const special = new Set([...overReturns, hugePriceAsId]);
  const normal = stack.eligibleAsIds().filter((a) => !special.has(a) && !stranded.has(a));
  const results = await Promise.all(normal.map((a) => stack.resultOf(a)));
  assert.deepEqual(new Set(results.map((r) => r.status)), new Set(['Synced']));
  synced = normal;

  const huge = await waitForStatus(hugePriceAsId, 'Parked');
  assert.equal(huge.failedStep, 'eligibility');
  assert.match(huge.reason ?? '', /items\.0\.price/);
  assert.equal(billOf(hugePriceAsId), undefined, 'nothing was saved without its price');
});

test('adopt by status: bills set back to Z, A, B or deleted end audited, exactly one; status X parks naming it', async () => {
  const store = stack.systems.kingdee.store;
  const [z, a, b, gone, odd] = [takeSynced(), takeSynced(), takeSynced(), takeSynced(), takeSynced()];
  store.setStatus(FORM, billOf(z)!, 'Z');
  store.setStatus(FORM, billOf(a)!, 'A');
  store.setStatus(FORM, billOf(b)!, 'B');
  store.delete(FORM, billOf(gone)!.id);
  store.setStatus(FORM, billOf(odd)!, 'X');
  const ids = { z: billOf(z)!.id, a: billOf(a)!.id, b: billOf(b)!.id };

  const out = await cli('resync', z, a, b, gone, odd, '--reason', 'bill changed in Kingdee');
  assert.equal(out.code, 0, out.stderr);
  for (const asId of [z, a, b, gone, odd]) assert.match(out.stdout, new RegExp(`refund ${asId} \\(was synced\\): resync started`));

  for (const asId of [z, a, b, gone]) {
    const r = await stack.resultOf(asId);
    assert.equal(r.status, 'Synced', asId);
    assert.equal(billsOf(asId).length, 1, `exactly one bill for ${asId}`);
    assert.equal(billOf(asId)?.values.FDocumentStatus, 'C', `${asId} is audited`);
  }
  assert.deepEqual([billOf(z)!.id, billOf(a)!.id, billOf(b)!.id], [ids.z, ids.a, ids.b], 'the existing bills were advanced, not replaced');
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(z));
  const steps = (await statusOf(z)).timeline.map((t) => `${t.step}:${t.outcome}`);
  assert.ok(steps.includes('resync:info') && steps.includes('save:ok') && steps.includes('submit:ok') && steps.includes('audit:ok'), steps.join(' '));

  const parked = await waitForStatus(odd, 'Parked');
  assert.equal(parked.failedStep, 'find');
  assert.match(parked.reason ?? '', /status "X", which erp-bridge cannot move forward/);
  assert.equal(billOf(odd)?.values.FDocumentStatus, 'X', 'left as found');

  // A batch goes on past a refusal and reports each refund.
  const other = takeSynced();
  const batch = await cli('resync', odd, other);
  assert.equal(batch.code, 1);
  assert.match(batch.stderr, new RegExp(`refused: refund ${odd} is still open \\(Parked\\); use \`erp-bridge reprocess ${odd}\``));
  assert.match(batch.stdout, new RegExp(`refund ${other} \\(was synced\\): resync started`));
  assert.equal((await stack.resultOf(other)).status, 'Synced');
  assert.equal(billsOf(other).length, 1);
});

test('reprocess on a synced refund is refused naming resync; on an invalid record the validator refuses it', async () => {
  const asId = takeSynced();
  const out = await cli('reprocess', asId, hugePriceAsId);
  assert.equal(out.code, 1);
  assert.match(out.stderr, new RegExp(`refund ${asId} is synced; use \`erp-bridge resync ${asId}\``));
  assert.match(out.stderr, new RegExp(`refund ${hugePriceAsId} failed validation \\(.*items\\.0\\.price.*\\); reprocess cannot fix the record`));
  assert.equal((await statusOf(hugePriceAsId)).timeline.filter((t) => t.step === 'reprocess').length, 0, 'nothing was queued');
});

test('skip sent (stock CLI update) while a slow lookup runs ends the refund Skipped, with no bill', async () => {
  const world = stack.systems.world;
  const asId = world.refunds.find((r) => isEligibleRefund(r) && r.shop_name === world.shops[1]!.name)!;
  const id = String(asId.as_id);
  await waitForStatus(id, 'Parked');
  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', strandedShop));
  const faults = stack.systems.kingdee.faults;
  const slow = faults.add({ fault: 'latency', op: 'ExecuteBillQuery', formId: 'BD_Customer', latencyMs: 2000, times: 1 });
  const accepted = await cli('reprocess', id, '--reason', 'customer restored');
  assert.match(accepted.stdout, new RegExp(`refund ${id}: reprocess accepted`));
  await waitUntil('the slow lookup to start', async () => (faults.list().find((r) => r.id === slow)?.fired === 1 ? true : undefined));
  const { stdout } = await run(ensureTemporalCli(), [
    'workflow', 'update', 'execute', '--address', process.env.TEMPORAL_ADDRESS!, '--namespace', temporal.namespace,
    '--workflow-id', refundWorkflowId(id), '--name', 'skip', '--input', '{"reason":"booked by hand"}',
  ]);
  assert.match(stdout, /when the current attempt ends/);
  const result = await stack.resultOf(id);
  assert.deepEqual([result.status, result.reason], ['Skipped', 'booked by hand']);
  assert.equal(billOf(id), undefined);
});

test('cancelling during a slow audit leaves no bill it created and ends Cancelled', async () => {
  const asId = takeSynced();
  stack.systems.kingdee.store.delete(FORM, billOf(asId)!.id);
  const faults = stack.systems.kingdee.faults;
  const slow = faults.add({ fault: 'latency', op: 'Audit', formId: FORM, latencyMs: 2000, times: 1 });
  const counters = stack.systems.kingdee.counters;
  const before = { unAudit: counters.get('UnAudit').successes, cancel: counters.get('CancelAssign').successes };
  assert.match((await cli('resync', asId)).stdout, /resync started/);
  await waitUntil('the slow audit to be sent', async () => (faults.list().find((r) => r.id === slow)?.fired === 1 ? true : undefined));
  await handleOf(asId).cancel();
  await assert.rejects(stack.resultOf(asId), (err: unknown) => err instanceof WorkflowFailedError && /cancel/i.test(String(err.cause?.message ?? err.message)));
  const d = await handleOf(asId).describe();
  assert.equal(d.status.name, 'CANCELLED');
  assert.equal(d.typedSearchAttributes.get(SyncStatusKey), 'Cancelled');
  assert.equal(billOf(asId), undefined, 'the bill this attempt created (and Kingdee audited) was undone');
  // The undo waited for the audit still running in Kingdee, then took the audited bill back: no race with it.
  assert.equal(counters.get('UnAudit').successes, before.unAudit + 1, 'un-audited once the audit had landed');
  assert.equal(counters.get('CancelAssign').successes, before.cancel, 'never raced the running audit with a cancel');
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(asId));
  const steps = (await statusOf(asId).catch(() => undefined))?.timeline.map((t) => `${t.step}:${t.outcome}`);
  if (steps) assert.ok(steps.includes('compensate:ok') && steps.includes('cancelled:info'), steps.join(' '));
});

test('the clerk scenario: a bill booked by hand while our Save got a 503 stays when our audit fails', async () => {
  const asId = overReturns[0]!;
  const parked = await waitForStatus(asId, 'Parked');
  assert.equal(parked.failedStep, 'audit');
  assert.equal(billOf(asId), undefined, 'our own bill was removed when its audit failed');

  const faults = stack.systems.kingdee.faults;
  const outage = faults.add({ fault: 'http5xx', op: 'Save', formId: FORM, every: 1, times: 1 });
  assert.match((await cli('reprocess', asId, '--reason', 'try again')).stdout, /reprocess accepted/);
  await waitUntil('our first Save to get a 503', async () => (faults.list().find((r) => r.id === outage)?.fired === 1 ? true : undefined));
  // Meanwhile a clerk books the same return by hand (same number, same lines).
  const raw = stack.systems.world.refunds.find((r) => String(r.as_id) === asId)!;
  const record = stack.deps.schemes.project(SCHEME, jstRefundWireSchema.parse(raw) as Record<string, unknown>);
  const prepared = stack.deps.schemes.prepare(SCHEME, record, await stack.deps.schemes.lookups(SCHEME, record));
  assert.ok(prepared.ok);
  const clerks = await stack.deps.bills.save(prepared.formId, prepared.model, prepared.options);

  const again = await waitUntil(`refund ${asId} to park again`, async () => {
    const s = await statusOf(asId);
    return s.status === 'Parked' && s.timeline.filter((t) => t.step === 'parked').length >= 2 ? s : undefined;
  }, 180_000); // a retried Save waits out the first request, then checks: slow on a busy two-core machine
  assert.equal(again.failedStep, 'audit');
  assert.match(again.reason ?? '', /was not created by this attempt, so it is left in place/);
  assert.equal(String(billOf(asId)?.id), clerks.id, 'the clerk\'s bill is still there');
  assert.equal(again.billNo, asId, 'the refund still names the bill');
  await captureHistory(process.env.TEMPORAL_ADDRESS!, refundWorkflowId(asId));
});

test('a terminated run never counts as running or parked, and resync brings it back', async () => {
  const asId = overReturns[1]!;
  await waitForStatus(asId, 'Parked');
  await handleOf(asId).terminate('operator gave up');
  const parked = await listRefunds(temporal.client, { status: 'Parked', since });
  assert.ok(!parked.some((r) => r.asId === asId), 'not listed as parked');
  const all = await listRefunds(temporal.client, { since });
  const row = all.find((r) => r.asId === asId)!;
  assert.equal(listedStatus(row.status, row.execution), 'Failed');
  const listed = await cli('list');
  assert.match(listed.stdout, new RegExp(`${asId}\\s+Failed \\(terminated\\)`));

  const out = await cli('resync', asId);
  assert.match(out.stdout, new RegExp(`refund ${asId} \\(was terminated\\): resync started`));
  const back = await waitForStatus(asId, 'Parked');
  assert.equal(back.failedStep, 'audit', 'the new run read Kingdee and went on to the audit Kingdee refuses');
});
