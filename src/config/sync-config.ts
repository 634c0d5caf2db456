// The sync's own settings (the connectors parse theirs), from the environment, validated once at start-up.
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../temporal/task-queues';

const duration = (name: string) =>
  z.string().transform((text, ctx) => {
    try {
      const ms = msToNumber(text as Parameters<typeof msToNumber>[0]);
      if (Number.isFinite(ms) && ms >= 0) return ms;
    } catch {
      /* reported below */
    }
    ctx.addIssue({ code: 'custom', message: `${name} must be a duration such as 90s, 5m, 24h (got ${JSON.stringify(text)})` });
    return z.NEVER;
  });

const positiveInt = (name: string) =>
  z.coerce.number().int(`${name} must be an integer`).positive(`${name} must be positive`);

const SyncConfigSchema = z.object({
  ERP_BRIDGE_SCHEME: z.string().min(1).default('jst-refund-to-sales-return'),
  ERP_BRIDGE_TASK_QUEUE: z.string().min(1).default(DEFAULT_TASK_QUEUE),
  ERP_BRIDGE_POLL_EVERY: duration('ERP_BRIDGE_POLL_EVERY').default(5 * 60_000),
  ERP_BRIDGE_POLL_CRON: z.string().min(1).optional(),
  ERP_BRIDGE_LOOKBACK: duration('ERP_BRIDGE_LOOKBACK').default(24 * 3600_000),
  ERP_BRIDGE_OVERLAP: duration('ERP_BRIDGE_OVERLAP').default(10 * 60_000),
  ERP_BRIDGE_LAG: duration('ERP_BRIDGE_LAG').default(60_000),
  ERP_BRIDGE_CATCHUP_WINDOW: duration('ERP_BRIDGE_CATCHUP_WINDOW').default(24 * 3600_000),
  ERP_BRIDGE_POLL_RUN_TIMEOUT: duration('ERP_BRIDGE_POLL_RUN_TIMEOUT').default(3600_000),
  ERP_BRIDGE_MAX_ACTIVITIES: positiveInt('ERP_BRIDGE_MAX_ACTIVITIES').default(50),
  ERP_BRIDGE_MAX_WORKFLOW_TASKS: positiveInt('ERP_BRIDGE_MAX_WORKFLOW_TASKS').default(40),
});

export interface SyncConfig {
  schemeId: string;
  taskQueue: string;
  poll: { everyMs: number; cron?: string; lookbackMs: number; overlapMs: number; lagMs: number; catchupWindowMs: number; runTimeoutMs: number };
  worker: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number };
}

export function syncConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const parsed = SyncConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  return {
    schemeId: e.ERP_BRIDGE_SCHEME,
    taskQueue: e.ERP_BRIDGE_TASK_QUEUE,
    poll: {
      everyMs: e.ERP_BRIDGE_POLL_EVERY, cron: e.ERP_BRIDGE_POLL_CRON, lookbackMs: e.ERP_BRIDGE_LOOKBACK,
      overlapMs: e.ERP_BRIDGE_OVERLAP, lagMs: e.ERP_BRIDGE_LAG, catchupWindowMs: e.ERP_BRIDGE_CATCHUP_WINDOW,
      runTimeoutMs: e.ERP_BRIDGE_POLL_RUN_TIMEOUT,
    },
    worker: { maxConcurrentActivities: e.ERP_BRIDGE_MAX_ACTIVITIES, maxConcurrentWorkflowTasks: e.ERP_BRIDGE_MAX_WORKFLOW_TASKS },
  };
}
