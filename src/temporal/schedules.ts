// One Temporal Schedule per scheme runs pollRefunds; "apply" creates it or updates it in place.
import { ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { SyncConfig } from '../config/sync-config';
import type { PollRefundsInput } from '../workflows/messages';

export const scheduleIdFor = (schemeId: string): string => `erp-bridge-poll-${schemeId}`;

export function scheduleOptions(config: SyncConfig, schemeId = config.schemeId): ScheduleOptions {
  const input: PollRefundsInput = {
    schemeId,
    lookbackMs: config.poll.lookbackMs,
    overlapMs: config.poll.overlapMs,
    lagMs: config.poll.lagMs,
  };
  return {
    scheduleId: scheduleIdFor(schemeId),
    spec: config.poll.cron
      ? { cronExpressions: [config.poll.cron], timezone: 'Asia/Shanghai' }
      : { intervals: [{ every: config.poll.everyMs }] },
    action: {
      type: 'startWorkflow',
      workflowType: 'pollRefunds',
      taskQueue: config.taskQueue,
      workflowId: `poll-${schemeId}`,
      args: [input],
      staticSummary: `Poll Jushuitan refunds for scheme ${schemeId}`,
      // A stuck poll must not hold the schedule (BUFFER_ONE queues behind it): the run times out, the watermark
      // stays where the last complete run left it, and the next tick reads the range again.
      workflowRunTimeout: config.poll.runTimeoutMs,
    },
    policies: {
      // A run still going when the next tick comes: queue one. The watermark makes skipped ticks harmless anyway.
      overlap: ScheduleOverlapPolicy.BUFFER_ONE,
      // Each run covers everything since the last success, so after a server outage one run catches up.
      catchupWindow: config.poll.catchupWindowMs,
      pauseOnFailure: false,
    },
  };
}

/** Creates the schedule, or updates spec, action and policies of an existing one. Returns what happened. */
export async function applySchedule(client: Client, options: ScheduleOptions): Promise<'created' | 'updated'> {
  const handle = client.schedule.getHandle(options.scheduleId);
  try {
    await handle.describe();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
    await client.schedule.create(options);
    return 'created';
  }
  await handle.update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: { ...previous.policies, ...options.policies } }));
  return 'updated';
}
