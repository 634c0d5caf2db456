// Tenant: the terminal decision per scheme and record (synced with its bill, skipped by whom and why, cancelled),
// written before a refund's workflow completes. Temporal forgets closed executions after its retention; this does
// not, so the poller can tell "never seen" from "already decided" for a record whose execution is gone.
import type { SqlQueryable } from './sql';

// After a drift (src/workflows/drift-refund.ts): accepted — an operator kept Kingdee as is for this version (the
// bill stays); reversed — an operator took our bill back out of Kingdee. Both are decided: never synced again.
export const DECISION_KINDS = ['synced', 'skipped', 'cancelled', 'accepted', 'reversed'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

export interface RefundDecision {
  schemeId: string;
  asId: string;
  decision: DecisionKind;
  billId?: string;
  billNo?: string;
  /** Jushuitan `modified` of the record version decided on. */
  recordModified?: string;
  /** A digest of the fields the scheme reads, to recognise a changed record later. */
  recordDigest?: string;
  /** A digest of the fields the scheme reads without the version field: equal for a version that changes nothing read. */
  contentDigest?: string;
  /** What was synced (scheme fields only, never buyer data). */
  snapshot?: unknown;
  reason?: string;
  actor?: string;
  workflowId?: string;
  runId?: string;
  decidedAt?: Date;
}

interface DecisionRow {
  scheme_id: string;
  as_id: string;
  decision: DecisionKind;
  bill_id: string | null;
  bill_no: string | null;
  record_modified: string | null;
  record_digest: string | null;
  content_digest: string | null;
  record_snapshot: unknown;
  reason: string | null;
  actor: string | null;
  workflow_id: string | null;
  run_id: string | null;
  decided_at: Date;
}

const fromRow = (r: DecisionRow): RefundDecision => ({
  schemeId: r.scheme_id,
  asId: r.as_id,
  decision: r.decision,
  ...(r.bill_id !== null ? { billId: r.bill_id } : {}),
  ...(r.bill_no !== null ? { billNo: r.bill_no } : {}),
  ...(r.record_modified !== null ? { recordModified: r.record_modified } : {}),
  ...(r.record_digest !== null ? { recordDigest: r.record_digest } : {}),
  ...(r.content_digest !== null ? { contentDigest: r.content_digest } : {}),
  ...(r.record_snapshot !== null ? { snapshot: r.record_snapshot } : {}),
  ...(r.reason !== null ? { reason: r.reason } : {}),
  ...(r.actor !== null ? { actor: r.actor } : {}),
  ...(r.workflow_id !== null ? { workflowId: r.workflow_id } : {}),
  ...(r.run_id !== null ? { runId: r.run_id } : {}),
  decidedAt: new Date(r.decided_at),
});

export function decisionsLedger(db: SqlQueryable) {
  return {
    /** Records (or replaces, for a resync) the decision on a record. Idempotent: a retried write changes nothing. */
    async record(d: RefundDecision): Promise<void> {
      if (!DECISION_KINDS.includes(d.decision)) throw new Error(`unknown decision ${JSON.stringify(d.decision)}`);
      await db.query(
        `insert into refund_decisions (scheme_id, as_id, decision, bill_id, bill_no, record_modified, record_digest, record_snapshot,
           reason, actor, workflow_id, run_id, content_digest)
         values ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9, $10, $11, $12, $13)
         on conflict (scheme_id, as_id) do update set decision = excluded.decision, bill_id = excluded.bill_id,
           bill_no = excluded.bill_no, record_modified = excluded.record_modified, record_digest = excluded.record_digest,
           record_snapshot = excluded.record_snapshot, reason = excluded.reason, actor = excluded.actor,
           workflow_id = excluded.workflow_id, run_id = excluded.run_id, content_digest = excluded.content_digest, decided_at = now()`,
        [
          d.schemeId, d.asId, d.decision, d.billId ?? null, d.billNo ?? null, d.recordModified ?? null, d.recordDigest ?? null,
          d.snapshot === undefined ? null : JSON.stringify(d.snapshot), d.reason ?? null, d.actor ?? null, d.workflowId ?? null, d.runId ?? null,
          d.contentDigest ?? null,
        ],
      );
    },

    /** The decisions on these records (one query for a page), keyed by as_id. */
    async find(schemeId: string, asIds: readonly string[]): Promise<Map<string, RefundDecision>> {
      if (asIds.length === 0) return new Map();
      const rows = await db.query<DecisionRow>('select * from refund_decisions where scheme_id = $1 and as_id = any($2::text[])', [schemeId, asIds]);
      return new Map(rows.map((r) => [r.as_id, fromRow(r)]));
    },
  };
}

export type DecisionsLedger = ReturnType<typeof decisionsLedger>;
