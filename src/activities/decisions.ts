// The decisions ledger as an activity: a refund's terminal decision is written to the state store before its
// workflow completes, so it outlives Temporal's retention (src/store/decisions.ts).
import { createHash } from 'node:crypto';
import { activityInfo, log } from '@temporalio/activity';
import type { DecisionsLedger, RefundDecision } from '../store/decisions';
import type { SourceRecord } from '../workflows/messages';
import { driftContent } from '../reconcile/drift';
import type { PollHealth } from '../store/poll-health';
import type { Schemes } from './ports';

export type DecisionInput = Pick<RefundDecision, 'schemeId' | 'asId' | 'decision' | 'billId' | 'billNo' | 'recordModified' | 'reason' | 'actor'> & {
  /** The scheme fields of the record version decided on (never buyer data): kept to recognise drift later. */
  record?: SourceRecord;
};

/** A stable digest of the fields the scheme reads: the same record version always gives the same digest. */
export function recordDigest(record: SourceRecord): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(canonical) : v && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])])) : v;
  return createHash('sha256').update(JSON.stringify(canonical(record))).digest('hex');
}

/** The digest the drift check compares: the scheme's fields without the version field (reconcile/drift.ts). */
export function contentDigest(record: SourceRecord, versionField: string): string {
  return recordDigest(driftContent(record, versionField));
}

export function createDecisionActivities(deps: { decisions?: DecisionsLedger; schemes?: Pick<Schemes, 'sourceConfig'>; health?: PollHealth }) {
  let warned = false;
  return {
    /** Writes the decision; a synced one also ends the scheme's all-parked streak (poll health). */
    async recordDecision(d: DecisionInput): Promise<{ recorded: boolean }> {
      if (d.decision === 'synced' && deps.health) {
        // Worth less than the decision: a failure is logged, never retried (the outcome activity tries again).
        await deps.health.refundSynced(d.schemeId).catch((err: unknown) => log.warn('poll health not updated', { error: String(err) }));
      }
      if (!deps.decisions) {
        // Only in-process tools without a state store (the benchmark) get here; every worker has one.
        if (!warned) log.warn('no state store: decisions are not recorded outside Temporal');
        warned = true;
        return { recorded: false };
      }
      const execution = activityInfo().workflowExecution;
      await deps.decisions.record({
        schemeId: d.schemeId,
        asId: d.asId,
        decision: d.decision,
        billId: d.billId,
        billNo: d.billNo,
        recordModified: d.recordModified,
        ...(d.record ? { recordDigest: recordDigest(d.record), snapshot: d.record } : {}),
        ...(d.record && deps.schemes ? { contentDigest: contentDigest(d.record, deps.schemes.sourceConfig(d.schemeId).versionField) } : {}),
        reason: d.reason,
        actor: d.actor,
        workflowId: execution?.workflowId,
        runId: execution?.runId,
      });
      return { recorded: true };
    },
  };
}
