// The chaos verdict on made-up facts: a clean run passes, and each broken promise is named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkInvariants, expectationsFor, type ChaosFacts } from '../../src/chaos/invariants';
import type { RefundOutcome } from '../../src/chaos/outcomes';
import { findScheme } from '../../src/scheme/load-file';
import { generateWorld, HOSTILE_KINDS } from '../../src/sim/world';
import { emptyCounts } from '../../src/workflows/messages';

const scheme = findScheme('jst-refund-to-sales-return');
const world = generateWorld({ seed: 4, refunds: 40, hostile: HOSTILE_KINDS });
const records: unknown[] = [...JSON.parse(JSON.stringify(world.refunds)) as unknown[], { as_id: 'AS-1', modified: '2026-01-02 00:00:00' }];

/** What a run in which everything went right leaves behind. */
function cleanFacts(): ChaosFacts {
  const expectations = expectationsFor(scheme, records);
  const outcomes = new Map<string, RefundOutcome | undefined>();
  const bills: Array<Record<string, unknown>> = [];
  for (const [asId, e] of expectations.byAsId) {
    if (e.kind === 'sync') {
      outcomes.set(asId, { asId, execution: 'COMPLETED', status: 'Synced', billNo: asId });
      bills.push({ FBillNo: asId, FDocumentStatus: 'C' });
    } else if (e.kind === 'invalid') {
      outcomes.set(asId, { asId, execution: 'RUNNING', status: 'Parked', failedStep: 'eligibility', reason: e.reason });
    } else {
      outcomes.set(asId, undefined);
    }
  }
  const verification = {
    ...emptyCounts(), fetched: records.length, skipped: { ...expectations.skipped }, unidentified: { ...expectations.unidentified },
    alreadyDone: bills.length, updated: [...expectations.byAsId.values()].filter((e) => e.kind === 'invalid').length,
  };
  return { expectations, outcomes, bills, verification };
}

test('a clean run: every record accounted for, no violation', () => {
  const verdict = checkInvariants(cleanFacts());
  assert.deepEqual(verdict.violations, []);
  const c = verdict.counts;
  assert.equal(c.records, 41);
  assert.equal(c.unidentified, 1, 'the record without a usable as_id');
  assert.equal(c.invalidParked, 7, 'five invalid, one unfilterable, one too large');
  assert.equal(c.synced + c.parkedEligible + c.invalidParked + c.skipped + c.unidentified, c.records);
  assert.equal(c.bills, c.synced);
  assert.equal(c.parkedBills, 0);
  assert.ok(c.skipped > 5 && c.synced > 10);
});

const someSynced = (facts: ChaosFacts) => [...facts.expectations.byAsId].filter(([, e]) => e.kind === 'sync').map(([asId]) => asId);

test('a bill written twice, a bill of no eligible refund, and a bill not audited are each named', () => {
  const facts = cleanFacts();
  const [a, b] = someSynced(facts);
  const ineligible = [...facts.expectations.byAsId].find(([, e]) => e.kind === 'skip')![0];
  (facts.bills as Array<Record<string, unknown>>).push({ FBillNo: a, FDocumentStatus: 'C' }, { FBillNo: ineligible, FDocumentStatus: 'A' });
  (facts.bills as Array<Record<string, unknown>>).find((x) => x.FBillNo === b)!.FDocumentStatus = 'B';
  const v = checkInvariants(facts).violations;
  assert.ok(v.includes(`FBillNo ${a} appears 2 times in Kingdee`), v.join('\n'));
  assert.ok(v.includes(`eligible refund ${a}: synced, but Kingdee has 2 bills numbered ${a}`));
  assert.ok(v.includes(`Kingdee bill ${ineligible} belongs to no eligible refund`));
  assert.ok(v.includes(`eligible refund ${b}: synced, but its bill is in status B, not audited (C)`));
});

test('a refund never handed over, one still running, one failed and one parked without a reason are each named', () => {
  const facts = cleanFacts();
  const [lost, running, failed, parked] = someSynced(facts);
  const outcomes = facts.outcomes as Map<string, RefundOutcome | undefined>;
  outcomes.set(lost!, undefined);
  outcomes.set(running!, { asId: running!, execution: 'RUNNING', status: 'Running' });
  outcomes.set(failed!, { asId: failed!, execution: 'FAILED', status: 'Failed' });
  outcomes.set(parked!, { asId: parked!, execution: 'RUNNING', status: 'Parked' });
  const verdict = checkInvariants(facts);
  assert.ok(verdict.violations.includes(`eligible refund ${lost}: no workflow (never handed over)`));
  assert.ok(verdict.violations.includes(`eligible refund ${running}: neither synced nor parked: RUNNING Running`));
  assert.ok(verdict.violations.includes(`eligible refund ${failed}: neither synced nor parked: FAILED Failed`));
  assert.ok(verdict.violations.some((x) => x.startsWith(`eligible refund ${parked}: parked without a step and reason`)));
  assert.ok(verdict.violations.includes('3 records are unaccounted for'), verdict.violations.join('\n'));
});

test('a bad record parked with another reason, or synced, is named with the reason it should have', () => {
  const facts = cleanFacts();
  const [asId, e] = [...facts.expectations.byAsId].find(([, x]) => x.kind === 'invalid')!;
  (facts.outcomes as Map<string, RefundOutcome | undefined>).set(asId, { asId, execution: 'RUNNING', status: 'Parked', failedStep: 'mapping', reason: 'something else' });
  const v = checkInvariants(facts).violations;
  assert.ok(v.includes(`bad record ${asId}: expected parked at eligibility with "${(e as { reason: string }).reason}", got RUNNING Parked at mapping: something else`), v.join('\n'));
});

test('an ineligible record with a workflow, a verification poll that found new work, and skip counts that differ are named', () => {
  const facts = cleanFacts();
  const [ineligible, e] = [...facts.expectations.byAsId].find(([, x]) => x.kind === 'skip')!;
  (facts.outcomes as Map<string, RefundOutcome | undefined>).set(ineligible, { asId: ineligible, execution: 'COMPLETED', status: 'Skipped' });
  facts.verification.started = 2;
  facts.verification.fetched -= 1;
  const reason = (e as { reason: string }).reason;
  facts.verification.skipped[reason]! -= 1;
  const v = checkInvariants(facts).violations;
  assert.ok(v.includes(`ineligible refund ${ineligible} (${reason}) has a workflow (COMPLETED, Skipped)`), v.join('\n'));
  assert.ok(v.includes('the verification poll started 2 workflows: the chaos polls never handed those records over'));
  assert.ok(v.includes(`the verification poll read ${records.length - 1} records; Jushuitan holds ${records.length}`));
  assert.ok(v.some((x) => x.startsWith('skipped by reason ')));
});

test('issue 16: a well-formed eligible refund parked by transient faults alone is a violation', () => {
  const facts = cleanFacts();
  const [asId] = someSynced(facts);
  const outcomes = facts.outcomes as Map<string, RefundOutcome | undefined>;
  outcomes.set(asId!, { asId: asId!, execution: 'RUNNING', status: 'Parked', failedStep: 'submit', reason: '单据已经提交！' });
  (facts.bills as Array<Record<string, unknown>>).find((x) => x.FBillNo === asId)!.FDocumentStatus = 'B';
  const verdict = checkInvariants(facts);
  assert.deepEqual(verdict.violations, [`eligible refund ${asId}: parked at submit (单据已经提交！): transient faults alone must not park a well-formed refund`]);
  assert.equal(verdict.parked.length, 1, 'still listed with its bill status');
  // Planted to park on a business error (an over-return, say), it is allowed.
  assert.deepEqual(checkInvariants({ ...facts, plantedToPark: new Set([asId!]) }).violations, []);
});

test('a parked refund may keep an unaudited bill (counted apart), never an audited one', () => {
  const facts = cleanFacts();
  const [kept, booked] = someSynced(facts);
  const plantedToPark = new Set([kept!, booked!]);
  const bills = facts.bills as Array<Record<string, unknown>>;
  const outcomes = facts.outcomes as Map<string, RefundOutcome | undefined>;
  for (const [asId, status] of [[kept!, 'B'], [booked!, 'C']] as const) {
    outcomes.set(asId, { asId, execution: 'RUNNING', status: 'Parked', failedStep: 'audit', reason: 'over-return — left in place' });
    bills.find((x) => x.FBillNo === asId)!.FDocumentStatus = status;
  }
  const verdict = checkInvariants({ ...facts, plantedToPark });
  assert.deepEqual(verdict.violations, [
    `eligible refund ${booked}: parked at audit, but its bill is audited (C): Kingdee booked what the refund says is not done`,
  ]);
  assert.equal(verdict.counts.parkedBills, 2);
  assert.equal(verdict.counts.bills, verdict.counts.synced + verdict.counts.parkedBills);
  assert.deepEqual(verdict.parked.map((p) => p.billStatus).sort(), ['B', 'C']);
});
