// The task queues of one erp-bridge deployment. Workflows run on the main queue (ERP_BRIDGE_TASK_QUEUE); each
// external system's activities on their own queue beside it, so limits hold across every worker:
// - `<queue>-jushuitan`: a server-side activity rate limit (one app key's budget, whatever the number of workers);
// - `<queue>-kingdee`: each worker's slots equal its Kingdee session budget, so an activity never spends its
//   start-to-close time waiting for a local semaphore; the backlog waits in Temporal, visibly.
// Pure, so workflow code derives the activity queues from the queue it runs on.

/** The task queue the erp-bridge workflows run on. Overridable with ERP_BRIDGE_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE = 'erp-bridge';

export const jushuitanTaskQueue = (workflowTaskQueue: string): string => `${workflowTaskQueue}-jushuitan`;
export const kingdeeTaskQueue = (workflowTaskQueue: string): string => `${workflowTaskQueue}-kingdee`;
