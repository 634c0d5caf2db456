// The three lists `reconcile` compares, and what it reports. Plain data: the collectors fill them from
// Jushuitan, Temporal visibility and Kingdee; tests build them by hand; a decisions ledger can be added.

/** One line of a return bill as it matters to the books: what, how many, at what price. */
export interface BillLine {
  material: string;
  qty: string;
  price: string;
}

/** What mapping the current record with the scheme gives, or why it could not be mapped. */
export type ExpectedBill = { ok: true; billNo: string; lines: BillLine[] } | { ok: false; error: string };

/** A Jushuitan record in the range, with the scheme's verdict on it. */
export interface JstRecordView {
  asId: string;
  shopId: string;
  /** The record's version (`modified`, Beijing time). */
  modified: string;
  verdict:
    | { kind: 'eligible'; expected: ExpectedBill }
    | { kind: 'ineligible'; reason: string }
    /** The record fails validation: it can only park until a valid version comes. */
    | { kind: 'invalid'; reason: string };
}

/** A workflow of the product that carries `JstAsId` (the latest run per workflow id). */
export interface WorkflowView {
  asId: string;
  workflowId: string;
  /** The `SyncStatus` search attribute: Running, Synced, Parked, Skipped, Failed, Drifted, or Unknown. */
  syncStatus: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, … */
  execution: string;
  failedStep?: string;
  reason?: string;
  startTime: string;
}

/** One SAL_RETURNSTOCK bill whose number, or our external key on it, is one of the range's as_ids. */
export interface KingdeeBillView {
  id: string;
  billNo: string;
  /** The as_id the bill carries in our external key field (FHeadNote in the flagship), when it has one. */
  externalKey?: string;
  /** FDocumentStatus: A created, B submitted, C audited, D re-audit, Z draft. */
  status: string;
  lines: BillLine[];
}

/**
 * A decision the product recorded for a record version (the future state store's ledger). Optional: without
 * it, decisions are read from the workflows alone.
 */
export interface LedgerDecision {
  asId: string;
  decision: 'synced' | 'skipped' | 'drifted' | 'accepted';
  /** The record version the decision was taken on. */
  version: string;
  billNo?: string;
  reason?: string;
}

export interface ReconcileInput {
  records: readonly JstRecordView[];
  workflows: readonly WorkflowView[];
  bills: readonly KingdeeBillView[];
  ledger?: readonly LedgerDecision[];
}

export const PROBLEMS = ['missing', 'duplicate', 'mismatch', 'stray', 'parked', 'running', 'drifted'] as const;
export type Problem = (typeof PROBLEMS)[number];

export interface ReconcileItem {
  asId: string;
  problem: Problem;
  detail: string;
  /** The Kingdee bill concerned (several, comma-separated, for a duplicate); empty when there is none. */
  billNo: string;
}

export interface ReconcileSummary {
  /** Distinct Jushuitan records read. */
  records: number;
  eligible: number;
  /** Eligible with exactly one audited bill that matches the current record. */
  synced: number;
  /** Not eligible (no bill wanted), or skipped by an operator. */
  skipped: number;
  /** Drift accepted by an operator for the current version: Kingdee stays as is. */
  accepted: number;
  parked: number;
  running: number;
  drifted: number;
  missing: number;
  duplicate: number;
  mismatch: number;
  stray: number;
}

export interface ReconcileReport {
  summary: ReconcileSummary;
  items: ReconcileItem[];
}
