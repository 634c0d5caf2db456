// Hostile records through the real stack (simulators, connectors, scheme engine, worker, dev server): one page
// holds a bad record of every kind among good ones. The good ones sync; each bad one parks with a reason that
// says what is wrong and where; none blocks the others. A fixed record unparks and syncs.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { refundOutcomes, waitUntilSettled, type RefundOutcome } from '../../src/chaos/outcomes';
import { formatBeijing } from '../../src/lib/beijing-time';
import { HOSTILE_KINDS, INJECTION_SHOP_NAME, EMOJI_SHOP_NAME, isEligibleRefund, type HostileKind } from '../../src/sim/world';
import type { PollRefundsResult } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const TO = new Date('2026-01-21T00:00:00Z');
let temporal: TestTemporal;
let stack: SyncStack;
let poll: PollRefundsResult;
let outcomes: Map<string, RefundOutcome | undefined>;

const asIdOf = (kind: HostileKind): string => String(stack.systems.world.hostile!.find((h) => h.kind === kind)!.asId);
const outcomeOf = (kind: HostileKind): RefundOutcome => {
  const outcome = outcomes.get(asIdOf(kind));
  assert.ok(outcome, `a workflow for the ${kind} record`);
  return outcome;
};
function assertParked(kind: HostileKind, step: string, reason: RegExp): void {
  const o = outcomeOf(kind);
  assert.equal(o.status, 'Parked', `${kind}: ${JSON.stringify(o)}`);
  assert.equal(o.execution, 'RUNNING', `${kind} waits for an operator or a fixed record`);
  assert.equal(o.failedStep, step, `${kind} parks at ${step}`);
  assert.match(o.reason ?? '', reason);
}

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 40, seed: 5, to: TO, hostile: HOSTILE_KINDS });
  poll = await stack.backfill();
  const ordinary = stack.systems.world.refunds.filter(isEligibleRefund).map((r) => String(r.as_id));
  const planted = stack.systems.world.hostile!.map((h) => String(h.asId));
  outcomes = await waitUntilSettled(temporal.client, [...new Set([...ordinary, ...planted])], { timeoutMs: 300_000, pollMs: 300 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

test('every record is read and every bad one counted, none dropped', () => {
  assert.equal(poll.counts.fetched, 40);
  assert.equal(poll.counts.pages, 3, 'one page per 7-day slice: the bad records share the last one with good ones');
  assert.equal(poll.counts.invalid, 7, 'five fail validation, one cannot be filtered, one is too large: each handed to its workflow');
  assert.deepEqual(poll.counts.unidentified, {});
});

test('every good record on the same page syncs to one audited bill', () => {
  const hostile = new Set(stack.systems.world.hostile!.map((h) => String(h.asId)));
  const good = stack.systems.world.refunds.filter((r) => isEligibleRefund(r) && !hostile.has(String(r.as_id)));
  assert.ok(good.length >= 10, `enough good records (${good.length})`);
  const bills = new Map(stack.systems.kingdee.listRecords('SAL_RETURNSTOCK').map((b) => [String(b.FBillNo), b]));
  for (const r of good) {
    const o = outcomes.get(String(r.as_id));
    assert.equal(o?.status, 'Synced', `refund ${r.as_id}: ${JSON.stringify(o)}`);
    assert.equal(bills.get(String(r.as_id))?.FDocumentStatus, 'C', `refund ${r.as_id} has an audited bill`);
  }
});

test('mistyped, negative and absurd quantities, a mistyped items list and a wrong date park at eligibility naming the field', () => {
  assertParked('mistypedQuantity', 'eligibility', /^invalid Jushuitan record: items\.0\.qty: expected a number or a numeric string$/);
  assertParked('mistypedItems', 'eligibility', /^invalid Jushuitan record: items: .*expected array, received string$/);
  assertParked('negativeQuantity', 'eligibility', /^invalid Jushuitan record: items\.0\.r_qty: a quantity must be between 0 and 1000000$/);
  assertParked('absurdQuantity', 'eligibility', /^invalid Jushuitan record: items\.0\.qty: a quantity must be between 0 and 1000000; items\.0\.r_qty: /);
  assertParked('wrongDateFormat', 'eligibility', /^invalid Jushuitan record: items\.0\.receive_date: expected a Beijing time "yyyy-MM-dd HH:mm:ss\[\.SSS\]"$/);
});

test('a status the eligibility filter cannot compare (an object) parks instead of failing the page', () => {
  assertParked('mistypedStatus', 'eligibility', /^cannot decide eligibility: filter rule 1: \{\{status\}\} is not a single value \(it is an object\)$/);
});

test('a record of 10,000 lines parks as too large instead of failing its page', () => {
  assertParked('hugeRecord', 'eligibility', /^record too large to sync: 10000 lines, \d+ KB of scheme fields \(limit 32 KB, about 250 lines\); split the return/);
});

test('a record without shop_name parks at mapping: no customer can be looked up', () => {
  assertParked('missingShopName', 'mapping', /^FSaleOrgId: no customer looked up in Kingdee BD_Customer \(customers\): FName is empty \(\{\{shop_name\}\}\)/);
});

test('more returned than shipped: Kingdee refuses the audit, the bill is removed again, the refund parks', () => {
  assertParked('overReturn', 'audit', /退货数量超出可退数量/);
  const left = stack.systems.kingdee.listRecords('SAL_RETURNSTOCK').filter((b) => String(b.FBillNo) === asIdOf('overReturn'));
  assert.deepEqual(left, [], 'the compensation deleted the saved bill');
});

test("shops named a' or '1'='1 and with emoji, quotes and SQL sync to their own customer, never to every customer", () => {
  const bills = new Map(stack.systems.kingdee.listRecords('SAL_RETURNSTOCK').map((b) => [String(b.FBillNo), b]));
  for (const [kind, name] of [['injectionShop', INJECTION_SHOP_NAME], ['emojiShop', EMOJI_SHOP_NAME]] as const) {
    assert.equal(outcomeOf(kind).status, 'Synced', `${kind}: ${JSON.stringify(outcomeOf(kind))}`);
    const shop = stack.systems.world.shops.find((s) => s.name === name)!;
    const bill = bills.get(asIdOf(kind));
    assert.deepEqual(bill?.FRetcustId, { FNumber: shop.customerNumber }, `${kind} returns to customer ${shop.customerNumber}`);
  }
});

test("a SQL-looking shop name with no customer parks with a 'no customer' reason", () => {
  assertParked('unknownInjectionShop', 'mapping', /^FSaleOrgId: no customer in Kingdee BD_Customer \(customers\) where FName=' OR ''='; FRetcustId: no customer/);
});

test('a bad record fixed in Jushuitan is handed over again and syncs; nothing else changes', async () => {
  const asId = asIdOf('mistypedQuantity');
  const record = stack.systems.jushuitan.store.get(Number(asId))!;
  const items = (record.items as Array<Record<string, unknown>>).map((item) => ({ ...item, qty: item.r_qty }));
  stack.systems.jushuitan.store.touch([Number(asId)], { items, modified: formatBeijing(TO) });

  const again = await stack.backfill();
  assert.equal(again.counts.started, 0, 'no new workflow: the parked one takes the fixed record');
  assert.equal(again.counts.invalid, 6, 'the other bad records are handed over again, unchanged');
  const fixed = await stack.resultOf(asId);
  assert.equal(fixed.status, 'Synced');
  assert.equal(fixed.billNo, asId);
  const still = await refundOutcomes(temporal.client, [asIdOf('negativeQuantity'), asIdOf('hugeRecord')]);
  for (const o of still.values()) assert.equal(o?.status, 'Parked', 'the others stay parked: their versions did not change');
});
