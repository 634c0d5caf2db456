// The sync's own settings (the connectors parse theirs), from the environment, validated once at start-up.
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';
import { DEFAULT_TASK_QUEUE } from '../temporal/task-queues';

/**
 * A duration with its unit (`90s`, `5m`, `24h`): a bare number is refused, since "5" would silently mean
 * 5 milliseconds. `min` is the smallest value that works, said in the error with an example.
 */
const duration = (name: string, example: string, min = 0) =>
  z.string().transform((text, ctx) => {
    const value = text.trim();
    const problem = (what: string): never => {
      ctx.addIssue({ code: 'custom', message: `${name}=${JSON.stringify(text)}: ${what}; for example ${name}=${example}` });
      return z.NEVER;
    };
    if (/^\d+(\.\d+)?$/.test(value)) return problem(`a duration needs a unit (ms, s, m, h, d): ${value} alone would be ${value} milliseconds`);
    let ms: number;
    try {
      ms = msToNumber(value as Parameters<typeof msToNumber>[0]);
    } catch {
      return problem('not a duration (a number and a unit: 90s, 5m, 24h)');
    }
    if (!Number.isFinite(ms) || ms < 0) return problem('not a duration (a number and a unit: 90s, 5m, 24h)');
    if (ms < min) return problem(`at least ${min >= 1000 ? `${min / 1000}s` : `${min}ms`} is needed`);
    return ms;
  });

const positiveInt = (name: string, example: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number, for example ${name}=${example}` })
    .int(`${name} must be a whole number, for example ${name}=${example}`)
    .positive(`${name} must be at least 1, for example ${name}=${example}`);

const SyncConfigSchema = z.object({
  ERP_BRIDGE_SCHEME: z.string().min(1, 'is empty; unset it or name a scheme, for example ERP_BRIDGE_SCHEME=jst-refund-to-sales-return').default('jst-refund-to-sales-return'),
  ERP_BRIDGE_TASK_QUEUE: z.string().min(1, `is empty; unset it or name a queue, for example ERP_BRIDGE_TASK_QUEUE=${DEFAULT_TASK_QUEUE}`).default(DEFAULT_TASK_QUEUE),
  // Temporal refuses schedule intervals under a second; polling more often than every 10 s only burns quota.
  ERP_BRIDGE_POLL_EVERY: duration('ERP_BRIDGE_POLL_EVERY', '5m', 10_000).default(5 * 60_000),
  ERP_BRIDGE_POLL_CRON: z.string().min(1, 'is empty; unset it or give a cron expression, for example ERP_BRIDGE_POLL_CRON="*/5 * * * *"').optional(),
  ERP_BRIDGE_LOOKBACK: duration('ERP_BRIDGE_LOOKBACK', '24h').default(24 * 3600_000),
  ERP_BRIDGE_OVERLAP: duration('ERP_BRIDGE_OVERLAP', '10m').default(10 * 60_000),
  ERP_BRIDGE_LAG: duration('ERP_BRIDGE_LAG', '1m').default(60_000),
  ERP_BRIDGE_CATCHUP_WINDOW: duration('ERP_BRIDGE_CATCHUP_WINDOW', '24h').default(24 * 3600_000),
  ERP_BRIDGE_POLL_RUN_TIMEOUT: duration('ERP_BRIDGE_POLL_RUN_TIMEOUT', '1h').default(3600_000),
  // A failing poll is loud (src/activities/poll-runs.ts): a watermark this far behind, or this long with every
  // new refund parked, is alerted (a lag hourly while it lasts, an all-parked streak once).
  ERP_BRIDGE_WATERMARK_LAG_ALERT: duration('ERP_BRIDGE_WATERMARK_LAG_ALERT', '1h', 1000).default(3600_000),
  ERP_BRIDGE_ALL_PARKED_ALERT: duration('ERP_BRIDGE_ALL_PARKED_ALERT', '1h', 1000).default(3600_000),
  // A parked refund that time can fix (a missing customer, a system down) retries after this, doubling to 6 h.
  ERP_BRIDGE_PARK_RETRY: duration('ERP_BRIDGE_PARK_RETRY', '5m', 1_000).default(5 * 60_000),
  ERP_BRIDGE_MAX_ACTIVITIES: positiveInt('ERP_BRIDGE_MAX_ACTIVITIES', 50).default(50),
  ERP_BRIDGE_MAX_WORKFLOW_TASKS: positiveInt('ERP_BRIDGE_MAX_WORKFLOW_TASKS', 40).default(40),
});

export interface SyncConfig {
  schemeId: string;
  taskQueue: string;
  poll: { everyMs: number; cron?: string; lookbackMs: number; overlapMs: number; lagMs: number; catchupWindowMs: number; runTimeoutMs: number };
  worker: { maxConcurrentActivities: number; maxConcurrentWorkflowTasks: number };
  /** When a lagging watermark (hourly while it lasts) and a scheme whose new refunds all park (once a streak) are alerted. */
  health?: { watermarkLagAlertMs: number; allParkedAlertMs: number };
  /** First wait before a parked refund that time can fix retries by itself. */
  parkRetryMs?: number;
}

export function syncConfigFromEnv(env: NodeJS.ProcessEnv = process.env): SyncConfig {
  const parsed = SyncConfigSchema.safeParse(env);
  if (!parsed.success) {
    // Our messages already start with the variable; zod's own (e.g. a wrong type) get it prefixed.
    const problems = parsed.error.issues
      .map((i) => {
        const variable = i.path.join('.');
        return `  ${i.message.startsWith(variable) ? i.message : `${variable}: ${i.message}`}`;
      })
      .join('\n');
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
    health: { watermarkLagAlertMs: e.ERP_BRIDGE_WATERMARK_LAG_ALERT, allParkedAlertMs: e.ERP_BRIDGE_ALL_PARKED_ALERT },
    parkRetryMs: e.ERP_BRIDGE_PARK_RETRY,
  };
}
