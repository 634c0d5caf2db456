// The reconciliation itself, pure: Jushuitan records, the product's workflows, Kingdee bills (and, when
// there is one, the decisions ledger) in; one item per problem and the totals out. Every record in the
// range gets exactly one classification, so the totals add up to the records read.
import { lineDifference } from './bill-lines';
import type {
  JstRecordView,
  KingdeeBillView,
  LedgerDecision,
  Problem,
  ReconcileInput,
  ReconcileItem,
  ReconcileReport,
  ReconcileSummary,
  WorkflowView,
} from './types';

const AUDITED = 'C';

/** What one record came to: a problem (with its item) or one of the healthy outcomes. */
type Outcome = { problem: Problem; detail: string; billNo?: string } | { ok: 'synced' | 'skipped' | 'accepted' };

interface Facts {
  record: JstRecordView;
  bills: KingdeeBillView[];
  /** Workflows still open for this as_id (a refund's, or a future drift workflow). */
  open: WorkflowView[];
  closed: WorkflowView[];
  decision?: LedgerDecision;
}

function groupBy<T>(items: readonly T[], keyOf: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const list = out.get(keyOf(item));
    if (list) list.push(item);
    else out.set(keyOf(item), [item]);
  }
  return out;
}

const billNos = (bills: readonly KingdeeBillView[]): string => bills.map((b) => b.billNo).join(',');
const billState = (b: KingdeeBillView): string => `bill ${b.billNo} (FID ${b.id}) is in status ${b.status || '?'}`;
const isOpen = (w: WorkflowView): boolean => w.execution === 'RUNNING';

/** Drift known to the product: a drifted workflow still open, or the ledger's last word on this record. */
function knownDrift(f: Facts): Outcome | undefined {
  const drifted = f.open.find((w) => w.syncStatus === 'Drifted');
  if (drifted) return { problem: 'drifted', detail: drifted.reason ?? 'drifted after sync; waiting for accept, reverse or resync', billNo: billNos(f.bills) };
  if (f.decision?.decision === 'drifted') return { problem: 'drifted', detail: f.decision.reason ?? 'drifted after sync', billNo: f.decision.billNo ?? billNos(f.bills) };
  return undefined;
}

/** Kingdee stays as is for this version: an operator accepted the drift. */
const accepted = (f: Facts): boolean => f.decision?.decision === 'accepted' && f.decision.version === f.record.modified;

function openWork(f: Facts): Outcome | undefined {
  const parked = f.open.find((w) => w.syncStatus === 'Parked');
  if (parked) return { problem: 'parked', detail: `${parked.failedStep ?? '?'}: ${parked.reason ?? 'no reason recorded'}`, billNo: billNos(f.bills) };
  const running = f.open[0];
  if (running) return { problem: 'running', detail: `workflow ${running.workflowId} is ${running.syncStatus.toLowerCase()}`, billNo: billNos(f.bills) };
  return undefined;
}

/** An operator skipped the refund (its workflow completed as Skipped, or the ledger says so). */
function skippedByOperator(f: Facts): WorkflowView | LedgerDecision | undefined {
  if (f.decision?.decision === 'skipped') return f.decision;
  return f.closed.find((w) => w.syncStatus === 'Skipped' && w.execution === 'COMPLETED');
}

function whyNoWorkflow(f: Facts): string {
  const last = [...f.closed].sort((a, b) => b.startTime.localeCompare(a.startTime))[0];
  if (!last) return 'no workflow for it';
  return `its workflow ${last.workflowId} ended ${last.execution.toLowerCase()}${last.reason ? ` (${last.reason})` : ''}`;
}

function classifyEligible(f: Facts, expected: Extract<JstRecordView['verdict'], { kind: 'eligible' }>['expected']): Outcome {
  const drift = knownDrift(f);
  if (drift) return drift;
  if (f.bills.length > 1) {
    return { problem: 'duplicate', detail: `${f.bills.length} bills with FBillNo ${f.record.asId}: ${f.bills.map(billState).join('; ')}`, billNo: billNos(f.bills) };
  }
  const work = openWork(f);
  if (work) return work;
  const bill = f.bills[0];
  if (!bill) {
    if (skippedByOperator(f)) return { ok: 'skipped' };
    return { problem: 'missing', detail: `eligible, no bill in Kingdee; ${whyNoWorkflow(f)}` };
  }
  if (bill.status !== AUDITED) {
    return { problem: 'missing', detail: `eligible, ${billState(bill)}, not audited; ${whyNoWorkflow(f)}`, billNo: bill.billNo };
  }
  if (accepted(f)) return { ok: 'accepted' };
  if (!expected.ok) return { problem: 'mismatch', detail: `the current record cannot be mapped to compare: ${expected.error}`, billNo: bill.billNo };
  const difference = lineDifference(bill.lines, expected.lines);
  if (difference) return { problem: 'mismatch', detail: difference, billNo: bill.billNo };
  return { ok: 'synced' };
}

function classifyIneligible(f: Facts, reason: string): Outcome {
  const work = openWork(f);
  if (f.bills.length === 0) return work ?? { ok: 'skipped' };
  const drift = knownDrift(f);
  if (drift) return drift;
  if (accepted(f)) return { ok: 'accepted' };
  if (work) return work;
  return { problem: 'stray', detail: `${f.bills.map(billState).join('; ')}, but the record is not eligible: ${reason}`, billNo: billNos(f.bills) };
}

function classifyInvalid(f: Facts, reason: string): Outcome {
  const work = openWork(f);
  if (work) return work;
  if (skippedByOperator(f)) return { ok: 'skipped' };
  return { problem: 'missing', detail: `the record fails validation and no workflow holds it: ${reason}`, billNo: billNos(f.bills) };
}

function classify(f: Facts): Outcome {
  const v = f.record.verdict;
  if (v.kind === 'eligible') return classifyEligible(f, v.expected);
  if (v.kind === 'ineligible') return classifyIneligible(f, v.reason);
  return classifyInvalid(f, v.reason);
}

export function emptySummary(): ReconcileSummary {
  return { records: 0, eligible: 0, synced: 0, skipped: 0, accepted: 0, parked: 0, running: 0, drifted: 0, missing: 0, duplicate: 0, mismatch: 0, stray: 0 };
}

/** Latest decision per as_id: the ledger may hold one per version. */
function latestDecisions(ledger: readonly LedgerDecision[]): Map<string, LedgerDecision> {
  const out = new Map<string, LedgerDecision>();
  for (const d of ledger) {
    const seen = out.get(d.asId);
    if (!seen || d.version >= seen.version) out.set(d.asId, d);
  }
  return out;
}

/**
 * Bills per as_id: by number, and by our external key when the number is someone else's (a bill keyed by hand).
 * A bill is counted once, under its number when that is an as_id of the range.
 */
function billsByAsId(bills: readonly KingdeeBillView[], asIds: ReadonlySet<string>): Map<string, KingdeeBillView[]> {
  return groupBy(bills, (b) => (asIds.has(b.billNo) || b.externalKey === undefined ? b.billNo : b.externalKey));
}

export function reconcile(input: ReconcileInput): ReconcileReport {
  const bills = billsByAsId(input.bills, new Set(input.records.map((r) => r.asId)));
  const workflows = groupBy(input.workflows, (w) => w.asId);
  const decisions = latestDecisions(input.ledger ?? []);
  const summary = emptySummary();
  const items: ReconcileItem[] = [];
  const seen = new Set<string>();

  for (const record of input.records) {
    if (seen.has(record.asId)) throw new Error(`reconcile: as_id ${record.asId} is listed twice in the Jushuitan records`);
    seen.add(record.asId);
    const own = workflows.get(record.asId) ?? [];
    const facts: Facts = {
      record,
      bills: bills.get(record.asId) ?? [],
      open: own.filter(isOpen),
      closed: own.filter((w) => !isOpen(w)),
      decision: decisions.get(record.asId),
    };
    summary.records++;
    if (record.verdict.kind === 'eligible') summary.eligible++;
    const outcome = classify(facts);
    if ('ok' in outcome) {
      summary[outcome.ok]++;
    } else {
      summary[outcome.problem]++;
      items.push({ asId: record.asId, problem: outcome.problem, detail: outcome.detail, billNo: outcome.billNo ?? '' });
    }
  }
  items.sort((a, b) => a.problem.localeCompare(b.problem) || a.asId.localeCompare(b.asId));
  return { summary, items };
}

/** Exit status of the command: 0 only when nothing at all is wrong. */
export const isClean = (report: ReconcileReport): boolean => report.items.length === 0;
