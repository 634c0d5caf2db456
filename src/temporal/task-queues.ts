/** The task queue the erp-bridge worker polls. Overridable with ERP_BRIDGE_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE = 'erp-bridge';
