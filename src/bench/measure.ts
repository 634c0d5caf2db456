// Reads a run's numbers back from Temporal: when every child has closed, each child's start and close time
// (visibility), and what a sample of histories contains (activity tasks, local-activity markers, workflow tasks).
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;

export interface ExecutionTiming {
  workflowId: string;
  runId: string;
  status: string;
  startMs: number;
  closeMs?: number;
  historyLength: number;
}

function timing(info: WorkflowExecutionInfo): ExecutionTiming {
  return {
    workflowId: info.workflowId,
    runId: info.runId,
    status: info.status.name,
    startMs: info.startTime.getTime(),
    closeMs: info.closeTime?.getTime(),
    historyLength: info.historyLength,
  };
}

const quote = (s: string) => `'${s.replace(/'/g, "\\'")}'`;

export function executionsQuery(taskQueue: string, workflowType: string, extra?: string): string {
  return `TaskQueue = ${quote(taskQueue)} AND WorkflowType = ${quote(workflowType)}${extra ? ` AND ${extra}` : ''}`;
}

export async function listExecutions(client: Client, taskQueue: string, workflowType: string): Promise<ExecutionTiming[]> {
  const out: ExecutionTiming[] = [];
  for await (const info of client.workflow.list({ query: executionsQuery(taskQueue, workflowType), pageSize: 1000 })) out.push(timing(info));
  return out;
}

export interface WaitOutcome {
  completed: number;
  /** True when progress stopped for the stall timeout before every child completed. */
  stalled: boolean;
}

/**
 * Polls visibility until `expected` children of this type completed, or none completed for `stallMs`
 * (a parked refund waits for an operator, so "all done" may never come).
 */
export async function waitForCompletions(
  client: Client,
  w: { taskQueue: string; workflowType: string; expected: number; stallMs: number; pollMs?: number; onProgress?: (completed: number) => void },
): Promise<WaitOutcome> {
  const query = executionsQuery(w.taskQueue, w.workflowType, `ExecutionStatus = 'Completed'`);
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { count } = await client.workflow.count(query);
    if (count !== last) {
      last = count;
      lastChange = Date.now();
      w.onProgress?.(count);
    }
    if (count >= w.expected) return { completed: count, stalled: false };
    if (Date.now() - lastChange > w.stallMs) return { completed: count, stalled: true };
    await new Promise((resolve) => setTimeout(resolve, w.pollMs ?? 1000));
  }
}

export interface HistoryTally {
  executions: number;
  activityTasks: number;
  localActivityMarkers: number;
  workflowTasks: number;
  events: number;
  /** Activity tasks by activity type. */
  activitiesByType: Record<string, number>;
}

export function emptyTally(): HistoryTally {
  return { executions: 0, activityTasks: 0, localActivityMarkers: 0, workflowTasks: 0, events: 0, activitiesByType: {} };
}

/** Counts what the histories of these executions hold. */
export async function tallyHistories(client: Client, executions: ReadonlyArray<Pick<ExecutionTiming, 'workflowId' | 'runId'>>): Promise<HistoryTally> {
  const tally = emptyTally();
  for (const e of executions) {
    const history = await client.workflow.getHandle(e.workflowId, e.runId).fetchHistory();
    tally.executions++;
    for (const event of history.events ?? []) {
      tally.events++;
      switch (event.eventType) {
        case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
          tally.activityTasks++;
          const type = event.activityTaskScheduledEventAttributes?.activityType?.name ?? 'unknown';
          tally.activitiesByType[type] = (tally.activitiesByType[type] ?? 0) + 1;
          break;
        }
        case EventType.EVENT_TYPE_MARKER_RECORDED:
          tally.localActivityMarkers++;
          break;
        case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED:
          tally.workflowTasks++;
          break;
        default:
          break;
      }
    }
  }
  return tally;
}

/** Every k-th item, k chosen so about `size` items are taken from across the whole list. */
export function spreadSample<T>(items: readonly T[], size: number): T[] {
  if (size <= 0 || items.length === 0) return [];
  if (items.length <= size) return [...items];
  const step = items.length / size;
  return Array.from({ length: size }, (_, i) => items[Math.floor(i * step)]!);
}
