// Runs pollRefunds over an explicit window and waits for its result, riding out a Temporal server that is
// briefly down (a restart): starting is idempotent by workflow id, and the result is awaited again.
import { WorkflowFailedError, type Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { PollRefundsInput, PollRefundsResult } from '../workflows/messages';

export interface PollRun {
  client: Client;
  taskQueue: string;
  workflowId: string;
  input: PollRefundsInput;
  /** Give up after this long (the server or the worker never came back). */
  timeoutMs: number;
  /** Told about each failed call before it is tried again (a restarting server fails a few). */
  onRetry?: (what: string, err: unknown) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runPoll(run: PollRun): Promise<PollRefundsResult> {
  const deadline = Date.now() + run.timeoutMs;
  const retryOrThrow = async (err: unknown, what: string): Promise<void> => {
    if (Date.now() > deadline) throw new Error(`${what} ${run.workflowId}: still failing after ${run.timeoutMs} ms: ${String(err)}`);
    run.onRetry?.(`${what} ${run.workflowId}`, err);
    await sleep(1000);
  };

  for (;;) {
    try {
      await run.client.workflow.start('pollRefunds', { taskQueue: run.taskQueue, workflowId: run.workflowId, args: [run.input] });
      break;
    } catch (err) {
      // A start whose answer was lost in a restart did start: the second attempt says so.
      if (err instanceof WorkflowExecutionAlreadyStartedError) break;
      await retryOrThrow(err, 'starting');
    }
  }
  const handle = run.client.workflow.getHandle<(input: PollRefundsInput) => Promise<PollRefundsResult>>(run.workflowId);
  for (;;) {
    try {
      return await handle.result();
    } catch (err) {
      if (err instanceof WorkflowFailedError) throw err;
      await retryOrThrow(err, 'waiting for');
    }
  }
}
