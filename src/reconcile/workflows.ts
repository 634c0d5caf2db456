// The Temporal side of `reconcile`: every workflow that carries one of the range's as_ids (refund
// workflows, and drift workflows when they exist), read from visibility in batches, latest run per id.
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { FailedStepKey, JstAsIdKey, SyncReasonKey, SyncStatusKey } from '../temporal/search-attributes';
import { visibilityLiteral } from '../temporal/refund-ops';
import type { WorkflowView } from './types';

/** as_ids per visibility query: keeps the query text short. */
export const AS_IDS_PER_QUERY = 100;

export function workflowsQuery(asIds: readonly string[]): string {
  return `JstAsId IN (${asIds.map(visibilityLiteral).join(',')})`;
}

function toView(info: Omit<WorkflowExecutionInfo, 'raw'>): WorkflowView | undefined {
  const sa = info.typedSearchAttributes;
  const asId = sa.get(JstAsIdKey);
  if (asId === undefined) return undefined;
  return {
    asId,
    workflowId: info.workflowId,
    syncStatus: sa.get(SyncStatusKey) ?? 'Unknown',
    execution: info.status.name,
    failedStep: sa.get(FailedStepKey),
    reason: sa.get(SyncReasonKey),
    startTime: info.startTime.toISOString(),
  };
}

export async function readWorkflows(
  client: Client,
  options: { asIds: readonly string[]; onBatch?: (done: number, total: number) => void },
): Promise<WorkflowView[]> {
  const asIds = [...new Set(options.asIds)];
  const latest = new Map<string, WorkflowView>();
  for (let i = 0; i < asIds.length; i += AS_IDS_PER_QUERY) {
    for await (const info of client.workflow.list({ query: workflowsQuery(asIds.slice(i, i + AS_IDS_PER_QUERY)) })) {
      const view = toView(info);
      if (!view) continue;
      const seen = latest.get(view.workflowId);
      // Continue-as-new and restarts leave several runs under one id: the latest one speaks for it.
      if (!seen || view.startTime > seen.startTime) latest.set(view.workflowId, view);
    }
    options.onBatch?.(Math.min(i + AS_IDS_PER_QUERY, asIds.length), asIds.length);
  }
  return [...latest.values()];
}
