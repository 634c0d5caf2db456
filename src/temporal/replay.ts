// Replays histories against a workflow bundle: what a build would do to workflows that are already running.
// Used by `erp-bridge replay` (live histories) and by the corpus test (committed histories).
import type { HistoryAndWorkflowId } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';

export interface ReplayBreak {
  workflowId: string;
  runId: string;
  /** True for a non-determinism error (the new code issues other commands than the history recorded). */
  nondeterminism: boolean;
  message: string;
}

export interface ReplayReport {
  replayed: number;
  breaks: ReplayBreak[];
}

export async function replayHistories(
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  options: { bundleCode: string; dataConverter?: DataConverter },
): Promise<ReplayReport> {
  const report: ReplayReport = { replayed: 0, breaks: [] };
  const results = Worker.runReplayHistories(
    { workflowBundle: { code: options.bundleCode }, replayName: 'erp-bridge-replay', ...(options.dataConverter ? { dataConverter: options.dataConverter } : {}) },
    histories,
  );
  for await (const result of results) {
    report.replayed++;
    if (!result.error) continue;
    report.breaks.push({
      workflowId: result.workflowId,
      runId: result.runId,
      nondeterminism: result.error instanceof DeterminismViolationError,
      message: result.error.message,
    });
  }
  return report;
}

/** One line per break, e.g. `jst-refund-5000123 (run 0199…): non-determinism: Nondeterminism error: …`. */
export function describeBreak(b: ReplayBreak): string {
  return `${b.workflowId}${b.runId ? ` (run ${b.runId})` : ''}: ${b.nondeterminism ? 'non-determinism' : 'replay failed'}: ${b.message}`;
}
