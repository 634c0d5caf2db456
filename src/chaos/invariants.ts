// The chaos run's verdict, from facts gathered at the end: what Jushuitan holds, each refund's workflow,
// Kingdee's return bills and the verification poll. Pure: every broken promise becomes a violation line.
//   - every eligible refund is synced to exactly one audited bill; a well-formed eligible refund never ends parked
//     from transient faults alone (the chaos run injects nothing else), and a parked one still has a step and a reason
//   - no FBillNo twice, no bill without an eligible refund; a parked refund's bill is never audited (it may keep
//     an unaudited one: compensation undoes only a bill its own Save reply created, so one adopted after a lost
//     reply stays, and a reprocess resumes from it)
//   - every bad record is parked with its validation reason; one without an as_id is counted by reason
//   - every ineligible record is skipped with its reason (the verification poll's counts), and has no workflow
//   - the verification poll found nothing new: the chaos polls handed every record over
//   - nothing is unaccounted for
import { tooLargeReason, MAX_RECORD_BYTES } from '../activities/jushuitan';
import { parseRefundRecords } from '../connectors/jushuitan/schemas';
import { evaluateFilter, projectRecord, type Scheme } from '../scheme';
import type { PollCounts } from '../workflows/messages';
import type { RefundOutcome } from './outcomes';

/** What must become of one record. */
export type Expectation =
  | { kind: 'sync' }
  | { kind: 'invalid'; reason: string }
  | { kind: 'skip'; reason: string };

export interface Expectations {
  byAsId: Map<string, Expectation>;
  skipped: Record<string, number>;
  unidentified: Record<string, number>;
}

/** Classifies Jushuitan's records as the poller must: bad, too large, ineligible (with its reason), or to sync. */
export function expectationsFor(scheme: Scheme, records: readonly unknown[]): Expectations {
  const byAsId = new Map<string, Expectation>();
  const skipped: Record<string, number> = {};
  const unidentified: Record<string, number> = {};
  const { records: valid, invalid } = parseRefundRecords(records);
  for (const bad of invalid) {
    if (bad.asId === undefined) unidentified[`no usable as_id: ${bad.error}`] = (unidentified[`no usable as_id: ${bad.error}`] ?? 0) + 1;
    else byAsId.set(bad.asId, { kind: 'invalid', reason: `invalid Jushuitan record: ${bad.error}` });
  }
  for (const record of valid) {
    let verdict: ReturnType<typeof evaluateFilter>;
    try {
      verdict = evaluateFilter(scheme, record);
    } catch (err) {
      byAsId.set(record.as_id, { kind: 'invalid', reason: `cannot decide eligibility: ${err instanceof Error ? err.message : String(err)}` });
      continue;
    }
    if (!verdict.eligible) {
      byAsId.set(record.as_id, { kind: 'skip', reason: verdict.reason });
      skipped[verdict.reason] = (skipped[verdict.reason] ?? 0) + 1;
      continue;
    }
    const bytes = Buffer.byteLength(JSON.stringify(projectRecord(scheme, record)));
    byAsId.set(record.as_id, bytes > MAX_RECORD_BYTES ? { kind: 'invalid', reason: tooLargeReason(record.items.length, bytes) } : { kind: 'sync' });
  }
  return { byAsId, skipped, unidentified };
}

export interface ChaosFacts {
  expectations: Expectations;
  /** The workflow of every as_id Jushuitan holds (undefined: none). */
  outcomes: ReadonlyMap<string, RefundOutcome | undefined>;
  /** Kingdee's SAL_RETURNSTOCK bills (FBillNo, FDocumentStatus, …). */
  bills: ReadonlyArray<Record<string, unknown>>;
  /** The clean poll over the whole range after the chaos. */
  verification: PollCounts;
  /** Well-formed eligible refunds planted to park on a business error (no customer, over-return): the only ones allowed to park. */
  plantedToPark?: ReadonlySet<string>;
}

export interface ParkedRefund {
  asId: string;
  step: string;
  reason: string;
  /** The parked refund still has a bill in Kingdee (a reprocess resumes from it), e.g. saved but never submitted. */
  billStatus?: string;
}

export interface ChaosVerdict {
  counts: {
    records: number;
    eligible: number;
    synced: number;
    parkedEligible: number;
    invalidParked: number;
    skipped: number;
    unidentified: number;
    bills: number;
    /** Bills of parked refunds, left in place (saved or submitted, never audited). */
    parkedBills: number;
    unaccounted: number;
  };
  parked: ParkedRefund[];
  violations: string[];
}

const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/** Hostile kinds that are well-formed and eligible yet park on purpose (Kingdee or the base data says no). */
export const PARKING_HOSTILE_KINDS: ReadonlySet<string> = new Set(['missingShopName', 'overReturn', 'unknownInjectionShop']);

export function checkInvariants(facts: ChaosFacts): ChaosVerdict {
  const violations: string[] = [];
  const { byAsId } = facts.expectations;
  const billsByNumber = new Map<string, Array<Record<string, unknown>>>();
  for (const bill of facts.bills) {
    const number = String(bill.FBillNo);
    billsByNumber.set(number, [...(billsByNumber.get(number) ?? []), bill]);
  }
  for (const [number, bills] of billsByNumber) {
    if (bills.length > 1) violations.push(`FBillNo ${number} appears ${bills.length} times in Kingdee`);
    if (byAsId.get(number)?.kind !== 'sync') violations.push(`Kingdee bill ${number} belongs to no eligible refund`);
  }

  let synced = 0;
  let parkedEligible = 0;
  let invalidParked = 0;
  let skipped = 0;
  let parkedBills = 0;
  const parked: ParkedRefund[] = [];
  for (const [asId, expected] of byAsId) {
    const o = facts.outcomes.get(asId);
    const bills = billsByNumber.get(asId) ?? [];
    if (expected.kind === 'skip') {
      if (o) violations.push(`ineligible refund ${asId} (${expected.reason}) has a workflow (${o.execution}, ${o.status})`);
      else skipped++;
      continue;
    }
    if (!o) {
      violations.push(`${expected.kind === 'sync' ? 'eligible refund' : 'bad record'} ${asId}: no workflow (never handed over)`);
      continue;
    }
    const parkedHere = o.execution === 'RUNNING' && o.status === 'Parked';
    if (expected.kind === 'invalid') {
      if (!parkedHere || o.failedStep !== 'eligibility' || o.reason !== expected.reason.slice(0, 500)) {
        violations.push(`bad record ${asId}: expected parked at eligibility with "${expected.reason}", got ${describe(o)}`);
      } else invalidParked++;
      continue;
    }
    if (o.execution === 'COMPLETED' && o.status === 'Synced') {
      if (bills.length !== 1) violations.push(`eligible refund ${asId}: synced, but Kingdee has ${bills.length} bills numbered ${asId}`);
      else if (bills[0]!.FDocumentStatus !== 'C') violations.push(`eligible refund ${asId}: synced, but its bill is in status ${String(bills[0]!.FDocumentStatus)}, not audited (C)`);
      if (o.billNo !== asId) violations.push(`eligible refund ${asId}: synced, but its KingdeeBillNo is ${o.billNo ?? 'unset'}`);
      synced++;
    } else if (parkedHere) {
      if (!o.failedStep || !o.reason) violations.push(`eligible refund ${asId}: parked without a step and reason (${describe(o)})`);
      else if (!facts.plantedToPark?.has(asId)) {
        violations.push(`eligible refund ${asId}: parked at ${o.failedStep} (${o.reason}): transient faults alone must not park a well-formed refund`);
      }
      const billStatus = bills[0] ? String(bills[0].FDocumentStatus) : undefined;
      if (billStatus === 'C') violations.push(`eligible refund ${asId}: parked at ${o.failedStep}, but its bill is audited (C): Kingdee booked what the refund says is not done`);
      if (billStatus !== undefined) parkedBills++;
      parked.push({ asId, step: o.failedStep ?? '', reason: o.reason ?? '', billStatus });
      parkedEligible++;
    } else {
      violations.push(`eligible refund ${asId}: neither synced nor parked: ${describe(o)}`);
    }
  }

  const v = facts.verification;
  const records = byAsId.size + sum(facts.expectations.unidentified);
  if (v.fetched !== records) violations.push(`the verification poll read ${v.fetched} records; Jushuitan holds ${records}`);
  if (v.started > 0) violations.push(`the verification poll started ${v.started} workflows: the chaos polls never handed those records over`);
  if (!sameCounts(v.skipped, facts.expectations.skipped)) {
    violations.push(`skipped by reason ${JSON.stringify(v.skipped)}; expected ${JSON.stringify(facts.expectations.skipped)}`);
  }
  if (!sameCounts(v.unidentified ?? {}, facts.expectations.unidentified)) {
    violations.push(`records without a usable as_id ${JSON.stringify(v.unidentified)}; expected ${JSON.stringify(facts.expectations.unidentified)}`);
  }

  const eligible = [...byAsId.values()].filter((e) => e.kind === 'sync').length;
  const unidentified = sum(v.unidentified ?? {});
  const unaccounted = records - (synced + parkedEligible + invalidParked + skipped + unidentified);
  if (unaccounted !== 0) violations.push(`${unaccounted} records are unaccounted for`);
  return {
    counts: {
      records, eligible, synced, parkedEligible, invalidParked, skipped, unidentified, bills: facts.bills.length, parkedBills, unaccounted,
    },
    parked,
    violations,
  };
}

function describe(o: RefundOutcome): string {
  return `${o.execution} ${o.status}${o.failedStep ? ` at ${o.failedStep}` : ''}${o.reason ? `: ${o.reason}` : ''}`;
}

function sameCounts(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}
