// Operator actions on drift workflows (accept, reverse, resync: Workflow Updates with validators), shared by the
// CLI and tests. The stock CLI does the same: `temporal workflow update execute --workflow-id jst-refund-<as_id>-drift
// --name accept --input '{"reason":"…"}'`.
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import {
  acceptDriftUpdate,
  driftStatusQuery,
  driftWorkflowId,
  resyncDriftUpdate,
  reverseDriftUpdate,
  type DriftAction,
  type DriftRefundState,
} from '../workflows/messages';
import { visibilityLiteral } from './refund-ops';
import { SyncReasonKey, JstAsIdKey } from './search-attributes';
import type { OperatorOutcome } from './refund-ops';

const UPDATES = { accept: acceptDriftUpdate, reverse: reverseDriftUpdate, resync: resyncDriftUpdate } as const;

export async function actOnDrift(client: Client, action: DriftAction, asId: string, reason: string, prefix?: string): Promise<OperatorOutcome> {
  if (!reason.trim()) throw new Error(`${action} needs a reason (--reason "…")`);
  const handle = client.workflow.getHandle(driftWorkflowId(asId, prefix));
  try {
    const answer = await handle.executeUpdate(UPDATES[action], { args: [{ reason }] });
    return { asId, accepted: true, message: `refund ${asId}: drift ${answer.action} accepted` };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { asId, accepted: false, message: `refund ${asId} has no open drift (no workflow ${driftWorkflowId(asId, prefix)})` };
    const why = err instanceof WorkflowUpdateFailedError ? err.cause?.message ?? err.message : err instanceof Error ? err.message : String(err);
    return { asId, accepted: false, message: why.startsWith(`refund ${asId}`) ? why : `refund ${asId}: ${why}` };
  }
}

/** The drift's live state (a worker answers the query). */
export async function driftStatus(client: Client, asId: string, prefix?: string): Promise<DriftRefundState> {
  return client.workflow.getHandle(driftWorkflowId(asId, prefix)).query(driftStatusQuery);
}

/** Open drifts: as_id and the difference, from visibility. */
export async function listOpenDrifts(client: Client, limit = 1000): Promise<Array<{ asId: string; workflowId: string; reason?: string }>> {
  const out: Array<{ asId: string; workflowId: string; reason?: string }> = [];
  for await (const info of client.workflow.list({ query: `WorkflowType='driftRefund' AND SyncStatus=${visibilityLiteral('Drifted')} AND ExecutionStatus='Running'` })) {
    out.push({ asId: info.typedSearchAttributes.get(JstAsIdKey) ?? '?', workflowId: info.workflowId, reason: info.typedSearchAttributes.get(SyncReasonKey) });
    if (out.length >= limit) break;
  }
  return out;
}
