// `erp-bridge reconcile` end to end on the simulators and the harness's dev server: refunds parked for a
// missing customer show as `parked` and nothing is `missing`; once reprocessed the set is clean (exit 0); then a bill deleted in Kingdee is `missing`, a second bill with the same number is `duplicate`,
// a changed quantity is `mismatch` and a hand-made bill for an ineligible record is `stray` (exit 1).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { connectorEnv } from '../../src/sim/simulated-systems';
import { isEligibleRefund } from '../../src/sim/world';
import { decisionsLedger } from '../../src/store/decisions';
import type { StoredRecord } from '../../src/sim/kingdee';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { listRefunds, reprocessRefund } from '../../src/temporal/refund-ops';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const to = new Date('2026-01-21T00:00:00Z');
const from = new Date(to.getTime() - 20 * 86_400_000);
let temporal: TestTemporal;
let stack: SyncStack;
let stranded: string[];

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 40, seed: 23, from, to });
  // The refunds of one shop park: its Kingdee customer is missing until the second test restores it.
  const shop = stack.systems.world.shops[2]!;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
  stranded = stack.systems.world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name === shop.name).map((r) => String(r.as_id));
  assert.ok(stranded.length >= 2, 'the seed gives the shop at least two eligible refunds');
  await stack.backfill();
  await visibilityShows('Parked', stranded, 'RUNNING');
});

/** Visibility is eventually consistent: waits until it reports these refunds with this status. */
async function visibilityShows(status: 'Synced' | 'Parked', asIds: readonly string[], execution: string): Promise<void> {
  await waitUntil(`visibility to show ${asIds.length} refunds ${status}`, async () => {
    const rows = await listRefunds(temporal.client, { status }, 100_000);
    const shown = new Set(rows.filter((r) => r.execution === execution).map((r) => r.asId));
    return asIds.every((a) => shown.has(a)) ? true : undefined;
  });
}
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

interface Outcome {
  code: number;
  json: { summary: Record<string, number>; items: Array<{ asId: string; problem: string; detail: string; billNo: string }> };
  stderr: string;
}

async function reconcileCli(extra: string[] = [], extraEnv: Record<string, string> = {}): Promise<Outcome> {
  const env = { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, ...connectorEnv(stack.systems.configs), ...extraEnv };
  const args = [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'reconcile', '--from', from.toISOString(), '--to', to.toISOString(), '--json', ...extra];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, { env });
    return { code: 0, json: JSON.parse(stdout) as Outcome['json'], stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    assert.ok(e.stdout.trim().startsWith('{'), `reconcile printed a report (exit ${e.code}): ${e.stderr}`);
    return { code: e.code, json: JSON.parse(e.stdout) as Outcome['json'], stderr: e.stderr };
  }
}

const bills = (): StoredRecord[] => stack.systems.kingdee.store.records('SAL_RETURNSTOCK');
const billOf = (asId: string): StoredRecord => {
  const bill = bills().find((b) => b.values.FBillNo === asId);
  assert.ok(bill, `a bill for ${asId}`);
  return bill;
};
const copyOf = (bill: StoredRecord, billNo: string): StoredRecord => ({
  id: stack.systems.kingdee.store.newRecordId(),
  values: { ...bill.values, FBillNo: billNo },
  entries: bill.entries.map((e) => ({ ...e, entryId: stack.systems.kingdee.store.newEntryId(), values: { ...e.values }, links: [] })),
});

test('parked refunds are listed as parked with their reason, and nothing is missing', async () => {
  const { code, json } = await reconcileCli();
  assert.equal(code, 1);
  assert.deepEqual(json.items.map((i) => i.asId).sort(), [...stranded].sort());
  for (const item of json.items) {
    assert.equal(item.problem, 'parked');
    assert.match(item.detail, /^mapping: .*no customer/);
  }
  assert.equal(json.summary.missing, 0);
  assert.equal(json.summary.parked, stranded.length);
});

test('once the customer exists and the parked refunds are reprocessed, the set reconciles clean: exit 0', async () => {
  const shop = stack.systems.world.shops[2]!;
  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber));
  // Only this file's refunds: the namespace is shared with other test files.
  for (const asId of stranded) assert.ok((await reprocessRefund(temporal.client, asId, 'customer restored')).accepted);
  const eligible = stack.eligibleAsIds();
  for (const asId of eligible) assert.equal((await stack.resultOf(asId)).status, 'Synced', `refund ${asId} synced`);
  await visibilityShows('Synced', eligible, 'COMPLETED');

  const { code, json, stderr } = await reconcileCli();
  assert.equal(code, 0, `${stderr} ${JSON.stringify(json.items)}`);
  assert.deepEqual(json.items, []);
  const world = stack.systems.world;
  assert.equal(json.summary.records, world.refunds.length);
  assert.equal(json.summary.eligible, stack.eligibleAsIds().length);
  assert.equal(json.summary.synced, stack.eligibleAsIds().length);
  assert.equal(json.summary.skipped, world.refunds.length - stack.eligibleAsIds().length);
});

test('a deleted bill is missing, a second bill is duplicate, a changed quantity is mismatch, a bill for an ineligible record is stray', async () => {
  const store = stack.systems.kingdee.store;
  const [deleted, duplicated, changed] = stack.eligibleAsIds();
  const ineligible = stack.systems.world.refunds.find((r) => !isEligibleRefund(r));
  assert.ok(deleted && duplicated && changed && ineligible, 'the world has three eligible refunds and an ineligible one');

  store.delete('SAL_RETURNSTOCK', billOf(deleted).id);
  store.insert('SAL_RETURNSTOCK', copyOf(billOf(duplicated), duplicated));
  const bill = billOf(changed);
  const entry = bill.entries[0]!;
  store.replace('SAL_RETURNSTOCK', { ...bill, entries: [{ ...entry, values: { ...entry.values, FRealQty: Number(entry.values.FRealQty) + 1 } }, ...bill.entries.slice(1)] });
  store.insert('SAL_RETURNSTOCK', copyOf(bill, String(ineligible.as_id)));

  const { code, json } = await reconcileCli();
  assert.equal(code, 1);
  const problems = Object.fromEntries(json.items.map((i) => [i.asId, i]));
  assert.equal(problems[deleted]?.problem, 'missing');
  assert.match(problems[deleted]!.detail, /no bill in Kingdee/);
  assert.equal(problems[duplicated]?.problem, 'duplicate');
  assert.equal(problems[duplicated]!.billNo, `${duplicated},${duplicated}`);
  assert.equal(problems[changed]?.problem, 'mismatch');
  assert.match(problems[changed]!.detail, /lines differ/);
  assert.equal(problems[String(ineligible.as_id)]?.problem, 'stray');
  assert.equal(json.items.length, 4, JSON.stringify(json.items));
  assert.deepEqual([json.summary.missing, json.summary.duplicate, json.summary.mismatch, json.summary.stray], [1, 1, 1, 1]);
});

test('a drift an operator accepted, read from the shared state store, is no longer stray', async () => {
  const ineligible = stack.systems.world.refunds.find((r) => !isEligibleRefund(r))!;
  const asId = String(ineligible.as_id);
  await decisionsLedger(stack.store).record({
    schemeId: 'jst-refund-to-sales-return', asId, decision: 'accepted', billNo: asId, recordModified: ineligible.modified, reason: 'kept by the accountant',
  });
  const withoutStore = await reconcileCli();
  assert.equal(withoutStore.json.items.find((i) => i.asId === asId)?.problem, 'stray', 'without the store the decision is unknown');
  const { json } = await reconcileCli([], { ERP_BRIDGE_DATABASE_URL: stack.databaseUrl });
  assert.equal(json.items.find((i) => i.asId === asId), undefined, JSON.stringify(json.items));
  assert.equal(json.summary.stray, 0);
  assert.equal(json.summary.accepted, 1);
});

test('--shop limits the comparison to one shop', async () => {
  const shopId = String(stack.systems.world.refunds[0]!.shop_id);
  const { json } = await reconcileCli(['--shop', shopId]);
  assert.equal(json.summary.records, stack.systems.world.refunds.filter((r) => String(r.shop_id) === shopId).length);
  assert.ok(json.summary.records < stack.systems.world.refunds.length, 'the world has more than one shop');
});

test('bad usage exits 2 with a message, before any call', async () => {
  const env = { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, ...connectorEnv(stack.systems.configs) };
  const run = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'reconcile', ...args], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
  const reversed = await run(['--from', to.toISOString(), '--to', from.toISOString()]);
  assert.deepEqual(reversed.code, 2);
  assert.match(reversed.stderr, /--to must be after --from/);
  const unknown = await run(['--from', from.toISOString(), '--to', to.toISOString(), '--frobnicate']);
  assert.equal(unknown.code, 2);
  const noConfig = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'reconcile', '--from', from.toISOString(), '--to', to.toISOString()], {
    env: { PATH: process.env.PATH },
  }).then(() => ({ code: 0, stderr: '' }), (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }));
  assert.equal(noConfig.code, 2);
  assert.match(noConfig.stderr, /JST_/);
});
