// Operator actions on refund workflows, shared by the CLI and tests: find by as_id, reprocess, skip (updates,
// with the signals as fallback for runs from before updates), resync of closed refunds, status, list.
import { isGrpcServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client, type WorkflowExecutionDescription, type WorkflowExecutionInfo } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import { KingdeeBillNoKey, SyncReasonKey, SyncStatusKey, FailedStepKey, JstAsIdKey, JstShopIdKey, SchemeIdKey } from './search-attributes';
import {
  pollSliceIdPrefix,
  refundWorkflowId,
  reprocessSignal,
  reprocessUpdate,
  skipSignal,
  skipUpdate,
  statusQuery,
  type ActionAccepted,
  type SyncRefundInput,
  type SyncRefundStatus,
  type SyncStatus,
} from '../workflows/messages';

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
  /** Only runs that ended without finishing their own way (terminated, timed out, failed, cancelled). */
  endedOtherwise?: boolean;
  /** Only the refunds that this poll run (its slices) started: not the schedule's, nor another backfill's. */
  startedByPoll?: string;
}

export function refundListQuery(filter: RefundFilter): string {
  const parts = ["WorkflowType='syncRefund'"];
  if (filter.status) parts.push(`SyncStatus=${quote(filter.status)}`);
  // A run that was terminated (or timed out) keeps the SyncStatus it had: only an open run is running or parked.
  if (filter.status === 'Running' || filter.status === 'Parked') parts.push("ExecutionStatus='Running'");
  if (filter.schemeId) parts.push(`SchemeId=${quote(filter.schemeId)}`);
  if (filter.endedOtherwise) parts.push("ExecutionStatus IN ('Terminated','TimedOut','Failed','Canceled')");
  if (filter.since) parts.push(`StartTime>=${quote(filter.since.toISOString())}`);
  if (filter.startedByPoll) parts.push(`ParentWorkflowId STARTS_WITH ${quote(pollSliceIdPrefix(filter.startedByPoll))}`);
  if (filter.until) parts.push(`StartTime<${quote(filter.until.toISOString())}`);
  return parts.join(' AND ');
}

/** A closed run cannot be running or parked: cancelled ones are Cancelled, terminated or timed-out ones Failed. */
export function listedStatus(status: SyncStatus | 'Unknown', execution: string): SyncStatus | 'Unknown' {
  if (execution === 'RUNNING' || (status !== 'Running' && status !== 'Parked' && status !== 'Unknown')) return status;
  if (execution === 'COMPLETED') return status;
  return execution === 'CANCELLED' ? 'Cancelled' : 'Failed';
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

/** What happened to one refund of an operator command: batch commands report each and go on. */
export interface OperatorOutcome {
  asId: string;
  accepted: boolean;
  message: string;
}

/** Execution status names of runs that are over (whatever SyncStatus says). */
const isClosed = (execution: string) => execution !== 'RUNNING';

/** The refund's current run, or a rejection saying there is none. */
async function describeRefund(client: Client, asId: string, prefix?: string): Promise<WorkflowExecutionDescription | OperatorOutcome> {
  try {
    return await client.workflow.getHandle(refundWorkflowId(asId, prefix)).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      return { asId, accepted: false, message: `refund ${asId}: no workflow ${refundWorkflowId(asId, prefix)} (the poller or a backfill starts it)` };
    }
    throw err;
  }
}

/** "synced", "skipped", "terminated"…: how a closed run ended, in operator words. */
function closedAs(d: WorkflowExecutionDescription): string {
  const status = d.typedSearchAttributes.get(SyncStatusKey);
  if (d.status.name === 'COMPLETED' && status) return status.toLowerCase();
  return d.status.name.toLowerCase().replace('_', ' ');
}

/** How long an operator action waits for a worker to accept it. */
export const UPDATE_DEADLINE_MS = 30_000;

/** grpc.status.DEADLINE_EXCEEDED: the update's long poll ran past the deadline before a worker took it. */
const DEADLINE_EXCEEDED = 4;
const isDeadlineExceeded = (err: unknown): boolean => isGrpcServiceError(err) && err.code === DEADLINE_EXCEEDED;

/** An update the workflow rejected, or a run from before updates (it has no handler): the signal then. */
async function sendAction(
  client: Client,
  asId: string,
  action: 'reprocess' | 'skip',
  request: { reason: string },
  prefix?: string,
  deadlineMs = UPDATE_DEADLINE_MS,
): Promise<OperatorOutcome> {
  const described = await describeRefund(client, asId, prefix);
  if ('accepted' in described) return described;
  if (isClosed(described.status.name)) {
    return { asId, accepted: false, message: `refund ${asId} is ${closedAs(described)}; use \`erp-bridge resync ${asId}\`` };
  }
  const handle = client.workflow.getHandle(refundWorkflowId(asId, prefix));
  try {
    // An update waits for a worker to take it: without a deadline, one refund whose workers are down would hold
    // the command (and every refund after it in a batch) for ever.
    const answer: ActionAccepted = await client.withDeadline(Date.now() + deadlineMs, () =>
      action === 'skip' ? handle.executeUpdate(skipUpdate, { args: [request] }) : handle.executeUpdate(reprocessUpdate, { args: [request] }),
    );
    return { asId, accepted: true, message: `refund ${asId}: ${action} accepted, applied ${answer.applied}` };
  } catch (err) {
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError || isDeadlineExceeded(err)) {
      return {
        asId,
        accepted: false,
        message: `refund ${asId}: no worker answered the ${action} within ${deadlineMs / 1000} s (is a worker running on task queue ${described.taskQueue}?); it may still be applied when one does — check with \`erp-bridge status ${asId}\``,
      };
    }
    const why = err instanceof WorkflowUpdateFailedError ? err.cause?.message ?? err.message : err instanceof Error ? err.message : String(err);
    if (/handler|unknown update|not registered/i.test(why)) {
      // A run started before updates existed: its signal handler still takes the action.
      await handle.signal(action === 'skip' ? skipSignal : reprocessSignal, request);
      return { asId, accepted: true, message: `refund ${asId}: ${action} signalled (this run predates updates)` };
    }
    return { asId, accepted: false, message: why.startsWith(`refund ${asId}`) ? why : `refund ${asId}: ${why}` };
  }
}

export async function reprocessRefund(client: Client, asId: string, reason = 'operator reprocess', prefix?: string): Promise<OperatorOutcome> {
  return sendAction(client, asId, 'reprocess', { reason }, prefix);
}

/** Reprocesses every running refund whose SyncStatus is Parked; one outcome per refund. */
export async function reprocessAllParked(client: Client, reason = 'operator reprocess', schemeId?: string): Promise<OperatorOutcome[]> {
  const parked = (await listRefunds(client, { status: 'Parked', schemeId })).filter((r) => r.execution === 'RUNNING');
  const outcomes: OperatorOutcome[] = [];
  for (const r of parked) outcomes.push(await reprocessRefund(client, r.asId, reason, r.workflowId.slice(0, -r.asId.length)));
  return outcomes;
}

export async function skipRefund(client: Client, asId: string, reason: string, prefix?: string, deadlineMs?: number): Promise<OperatorOutcome> {
  if (!reason.trim()) throw new Error('skip needs a reason (--reason "…")');
  return sendAction(client, asId, 'skip', { reason }, prefix, deadlineMs);
}

/**
 * Runs a closed refund again (synced, skipped, cancelled, terminated…): a new run with the last run's
 * record that first reads Kingdee's state of the bill and proceeds from there.
 */
export async function resyncRefund(client: Client, asId: string, reason = 'operator resync', prefix?: string): Promise<OperatorOutcome> {
  const described = await describeRefund(client, asId, prefix);
  if ('accepted' in described) return described;
  const workflowId = refundWorkflowId(asId, prefix);
  if (!isClosed(described.status.name)) {
    const status = described.typedSearchAttributes.get(SyncStatusKey) ?? 'Running';
    return { asId, accepted: false, message: `refund ${asId} is still open (${status}); use \`erp-bridge reprocess ${asId}\` or \`erp-bridge skip ${asId}\`` };
  }
  const last = await lastRunInput(client, workflowId);
  const input: SyncRefundInput = { schemeId: last.schemeId, refund: last.refund, record: last.record, invalidReason: last.invalidReason, timeline: last.timeline, resync: { reason } };
  const sa = described.typedSearchAttributes;
  await client.workflow.start('syncRefund', {
    taskQueue: described.taskQueue,
    workflowId,
    args: [input],
    workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    typedSearchAttributes: [
      { key: JstAsIdKey, value: asId },
      ...(sa.get(JstShopIdKey) ? [{ key: JstShopIdKey, value: sa.get(JstShopIdKey)! }] : []),
      { key: SchemeIdKey, value: input.schemeId },
      { key: SyncStatusKey, value: 'Running' },
    ],
    staticSummary: `退货 AS${asId} · resync`,
  });
  return { asId, accepted: true, message: `refund ${asId} (was ${closedAs(described)}): resync started` };
}

/** The input of the refund's latest run (its record as last handed over), decoded with the client's converter. */
async function lastRunInput(client: Client, workflowId: string): Promise<SyncRefundInput> {
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const started = history?.events?.[0]?.workflowExecutionStartedEventAttributes;
  const [input] = await decodeArrayFromPayloads(client.options.loadedDataConverter, started?.input?.payloads);
  const parsed = ResyncableInput.safeParse(input);
  if (!parsed.success) throw new Error(`workflow ${workflowId}: its last run's input is not a refund (${parsed.error.issues[0]?.message ?? 'unreadable'})`);
  return parsed.data as SyncRefundInput;
}

/** The fields a resync needs from the last run's input (history is a boundary: checked, not trusted). */
const ResyncableInput = z.looseObject({
  schemeId: z.string().min(1),
  refund: z.looseObject({ asId: z.string().min(1), shopId: z.string(), shopName: z.string(), lines: z.number(), modified: z.string() }),
  record: z.record(z.string(), z.unknown()),
  invalidReason: z.string().optional(),
  timeline: z.array(z.looseObject({ step: z.string(), outcome: z.string(), at: z.string() })).optional(),
});

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
