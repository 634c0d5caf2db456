// Operator actions on refund workflows, shared by the CLI and tests: find by as_id, reprocess, skip, status, list.
import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { KingdeeBillNoKey, SyncReasonKey, SyncStatusKey, FailedStepKey, JstAsIdKey } from './search-attributes';
import { refundWorkflowId, reprocessSignal, skipSignal, statusQuery, type SyncRefundStatus, type SyncStatus } from '../workflows/messages';

export interface RefundListing {
  asId: string;
  workflowId: string;
  status: SyncStatus | 'Unknown';
  failedStep?: string;
  reason?: string;
  billNo?: string;
  execution: string;
  startTime: Date;
}

/** A string literal for a visibility query: backslashes and quotes escaped. */
export const visibilityLiteral = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
const quote = visibilityLiteral;

/** Which refund workflows to list or count; `since`/`until` bound their start time (until exclusive). */
export interface RefundFilter {
  status?: SyncStatus;
  schemeId?: string;
  since?: Date;
  until?: Date;
}

export function refundListQuery(filter: RefundFilter): string {
  const parts = ["WorkflowType='syncRefund'"];
  if (filter.status) parts.push(`SyncStatus=${quote(filter.status)}`);
  if (filter.schemeId) parts.push(`SchemeId=${quote(filter.schemeId)}`);
  if (filter.since) parts.push(`StartTime>=${quote(filter.since.toISOString())}`);
  if (filter.until) parts.push(`StartTime<${quote(filter.until.toISOString())}`);
  return parts.join(' AND ');
}

function toListing(info: Omit<WorkflowExecutionInfo, 'raw'>): RefundListing {
  const sa = info.typedSearchAttributes;
  return {
    asId: sa.get(JstAsIdKey) ?? info.workflowId.replace(/^jst-refund-/, ''),
    workflowId: info.workflowId,
    status: (sa.get(SyncStatusKey) as SyncStatus | undefined) ?? 'Unknown',
    failedStep: sa.get(FailedStepKey),
    reason: sa.get(SyncReasonKey),
    billNo: sa.get(KingdeeBillNoKey),
    execution: info.status.name,
    startTime: info.startTime,
  };
}

export async function listRefunds(client: Client, filter: RefundFilter, limit = 1000): Promise<RefundListing[]> {
  const out: RefundListing[] = [];
  for await (const info of client.workflow.list({ query: refundListQuery(filter) })) {
    out.push(toListing(info));
    if (out.length >= limit) break;
  }
  return out;
}

export async function countRefunds(client: Client, filter: RefundFilter): Promise<number> {
  return (await client.workflow.count(refundListQuery(filter))).count;
}

export async function reprocessRefund(client: Client, asId: string, reason = 'operator reprocess'): Promise<void> {
  await client.workflow.getHandle(refundWorkflowId(asId)).signal(reprocessSignal, { reason });
}

/** Signals every running refund whose SyncStatus is Parked; returns the as_ids signalled. */
export async function reprocessAllParked(client: Client, reason = 'operator reprocess', schemeId?: string): Promise<string[]> {
  const parked = (await listRefunds(client, { status: 'Parked', schemeId })).filter((r) => r.execution === 'RUNNING');
  for (const r of parked) await reprocessRefund(client, r.asId, reason);
  return parked.map((r) => r.asId);
}

export async function skipRefund(client: Client, asId: string, reason: string): Promise<void> {
  if (!reason.trim()) throw new Error('skip needs a reason (--reason "…")');
  await client.workflow.getHandle(refundWorkflowId(asId)).signal(skipSignal, { reason });
}

/** The live status (query) of a running refund, or what visibility and the result say of a closed one. */
export async function refundStatus(client: Client, asId: string): Promise<Omit<SyncRefundStatus, 'status'> & { status: RefundListing['status']; execution: string }> {
  const handle = client.workflow.getHandle(refundWorkflowId(asId));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new Error(`no workflow for as_id ${asId} (id ${refundWorkflowId(asId)})`);
    throw err;
  }
  try {
    return { ...(await handle.query(statusQuery)), execution: description.status.name };
  } catch {
    // Queries need a worker; a closed workflow without one still has its search attributes.
    const l = toListing(description);
    return { asId, status: l.status, failedStep: l.failedStep as SyncRefundStatus['failedStep'], reason: l.reason, billNo: l.billNo, timeline: [], execution: l.execution };
  }
}
