// The histories of the product's open workflows, as the replayer reads them.
import type { Client, HistoryAndWorkflowId } from '@temporalio/client';

/** Every workflow type the worker registers (src/workflows/index.ts); names never change (histories use them). */
export const PRODUCT_WORKFLOW_TYPES = ['syncRefund', 'pollRefunds', 'pollWindow', 'healthCheck', 'noopRefund'] as const;

/** Open workflows of this product, narrowed by an operator's visibility query when given. */
export function productWorkflowsQuery(extra?: string): string {
  const base = `ExecutionStatus='Running' AND WorkflowType IN (${PRODUCT_WORKFLOW_TYPES.map((t) => `'${t}'`).join(', ')})`;
  return extra?.trim() ? `${base} AND (${extra.trim()})` : base;
}

export async function* openWorkflowHistories(client: Client, query: string, limit = Number.POSITIVE_INFINITY): AsyncGenerator<HistoryAndWorkflowId> {
  let taken = 0;
  for await (const execution of client.workflow.list({ query })) {
    if (taken++ >= limit) return;
    const history = await client.workflow.getHandle(execution.workflowId, execution.runId).fetchHistory();
    yield { workflowId: execution.workflowId, history };
  }
}
