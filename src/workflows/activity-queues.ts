// Activity options routed to an external system's own task queue, beside the queue this workflow runs on
// (see src/temporal/task-queues.ts). The queue is a getter read when an activity is scheduled — proxies are
// built at module load, before any workflow info exists — and the SDK reads options at each call.
import { workflowInfo, type ActivityOptions } from '@temporalio/workflow';
import { jushuitanTaskQueue, kingdeeTaskQueue } from '../temporal/task-queues';

function routed(options: ActivityOptions, queueFor: (workflowQueue: string) => string): ActivityOptions {
  return Object.defineProperty({ ...options }, 'taskQueue', { enumerable: true, get: () => queueFor(workflowInfo().taskQueue) });
}

export const onKingdeeQueue = (options: ActivityOptions): ActivityOptions => routed(options, kingdeeTaskQueue);
export const onJushuitanQueue = (options: ActivityOptions): ActivityOptions => routed(options, jushuitanTaskQueue);
