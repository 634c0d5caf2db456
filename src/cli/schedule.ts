// erp-bridge schedule apply|pause|resume|trigger|describe|delete: the poll schedule of a scheme.
import type { ScheduleHandle } from '@temporalio/client';
import type { Command } from 'commander';
import { syncConfigFromEnv } from '../config/sync-config';
import { applySchedule, scheduleIdFor, scheduleOptions } from '../temporal/schedules';
import { watermarkStatus } from './watermark-status';
import { withClient } from './with-client';

export function registerScheduleCommand(program: Command): void {
  const schedule = program.command('schedule').description('Manage the Temporal Schedule that polls Jushuitan for a scheme');
  const withScheme = (c: Command) => c.option('--scheme <id>', 'scheme id (default: ERP_BRIDGE_SCHEME or the flagship)');
  /** One action on the scheme's schedule handle, with a client closed whatever happens. */
  const onSchedule = (opts: { scheme?: string }, act: (handle: ScheduleHandle) => Promise<void>) =>
    withClient((client) => act(client.schedule.getHandle(scheduleIdFor(opts.scheme ?? syncConfigFromEnv().schemeId))));

  withScheme(schedule.command('apply'))
    .description('Create the schedule, or update it to the current configuration (ERP_BRIDGE_POLL_EVERY / _CRON, ...)')
    .action(async (opts: { scheme?: string }) => {
      const config = syncConfigFromEnv();
      const options = scheduleOptions(config, opts.scheme ?? config.schemeId);
      const outcome = await withClient((client) => applySchedule(client, options));
      const every = config.poll.cron ? `cron "${config.poll.cron}" (Asia/Shanghai)` : `every ${config.poll.everyMs / 1000}s`;
      console.log(`Schedule ${options.scheduleId} ${outcome}: ${every}, overlap BUFFER_ONE, catch-up ${config.poll.catchupWindowMs / 1000}s`);
    });
  withScheme(schedule.command('pause'))
    .option('--reason <text>', 'why (shown in the Web UI)', 'paused by operator')
    .description('Pause polling (ticks while paused are dropped; the watermark catches up on resume)')
    .action(async (opts: { scheme?: string; reason: string }) => {
      await onSchedule(opts, async (handle) => {
        await handle.pause(opts.reason);
        console.log(`Schedule ${handle.scheduleId} paused: ${opts.reason}`);
      });
    });
  withScheme(schedule.command('resume'))
    .description('Resume polling')
    .action(async (opts: { scheme?: string }) => {
      await onSchedule(opts, async (handle) => {
        await handle.unpause('resumed by operator');
        console.log(`Schedule ${handle.scheduleId} resumed`);
      });
    });
  withScheme(schedule.command('trigger'))
    .description('Run a poll now')
    .action(async (opts: { scheme?: string }) => {
      await onSchedule(opts, async (handle) => {
        await handle.trigger();
        console.log(`Schedule ${handle.scheduleId} triggered`);
      });
    });
  withScheme(schedule.command('describe'))
    .description("Show spec, state, recent and next runs, and the scheme's stored watermark and its lag")
    .action(async (opts: { scheme?: string }) => {
      await onSchedule(opts, async (handle) => {
        const d = await handle.describe();
        const watermark = await watermarkStatus(opts.scheme ?? syncConfigFromEnv().schemeId);
        console.log(JSON.stringify({
          scheduleId: d.scheduleId,
          paused: d.state.paused,
          note: d.state.note,
          spec: d.spec,
          overlap: d.policies.overlap,
          catchupWindowMs: d.policies.catchupWindow,
          recentActions: d.info.recentActions.map((a) => ({ scheduledAt: a.scheduledAt, workflowId: a.action.workflow.workflowId })),
          nextActionTimes: d.info.nextActionTimes,
          runningActions: d.info.runningActions.map((a) => a.workflow.workflowId),
          watermark,
        }, null, 2));
      });
    });
  withScheme(schedule.command('delete'))
    .description('Delete the schedule (running polls and refunds are not touched)')
    .action(async (opts: { scheme?: string }) => {
      await onSchedule(opts, async (handle) => {
        await handle.delete();
        console.log(`Schedule ${handle.scheduleId} deleted`);
      });
    });
}
