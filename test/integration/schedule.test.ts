// The schedule: each run starts where the last successful one ended (its watermark, minus the overlap),
// so consecutive runs cover time without a gap; and `erp-bridge backfill --wait` follows a run to the end.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import type { SyncConfig } from '../../src/config/sync-config';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { applySchedule, scheduleOptions } from '../../src/temporal/schedules';
import type { PollRefundsResult } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

let temporal: TestTemporal;
let stack: SyncStack;

before(async () => {
  temporal = await connectTestTemporal();
  stack = await startSyncStack(temporal, { refunds: 20, seed: 31 });
});
after(async () => {
  await stack?.stop();
  await temporal?.close();
});

// Real ticks, not manual triggers: this server version passes the last completion result to scheduled
// actions only (a triggered run starts from the look-back, which is safe: it re-reads, never skips).
test('the second scheduled run starts at the first run\'s watermark minus the overlap', async () => {
  const schemeId = `jst-refund-to-sales-return`;
  const config: SyncConfig = {
    schemeId,
    taskQueue: stack.taskQueue,
    poll: { everyMs: 4_000, lookbackMs: 2 * 3600_000, overlapMs: 5 * 60_000, lagMs: 0, catchupWindowMs: 60_000, runTimeoutMs: 10 * 60_000 },
    worker: { maxConcurrentActivities: 10, maxConcurrentWorkflowTasks: 10 },
  };
  const options = { ...scheduleOptions(config), scheduleId: `schedule-test-${stack.taskQueue}` };
  options.action = { ...options.action, workflowId: `poll-${stack.taskQueue}` };
  assert.equal(await applySchedule(temporal.client, options), 'created');
  assert.equal(await applySchedule(temporal.client, options), 'updated', 'apply is idempotent');
  const handle = temporal.client.schedule.getHandle(options.scheduleId);
  try {
    const described = await handle.describe();
    assert.equal(described.action.type, 'startWorkflow');
    assert.equal(Number(described.action.type === 'startWorkflow' ? described.action.workflowRunTimeout : NaN), config.poll.runTimeoutMs, 'a stuck poll cannot hold the schedule');
    const runResult = async (n: number): Promise<PollRefundsResult> => {
      const action = await waitUntil(`scheduled run ${n}`, async () => (await handle.describe()).info.recentActions[n - 1]);
      return temporal.client.workflow.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId).result();
    };
    const first = await runResult(1);
    assert.equal(new Date(first.to).getTime() - new Date(first.from).getTime(), config.poll.lookbackMs, 'the first run looks back');
    const second = await runResult(2);
    assert.equal(new Date(second.from).getTime(), new Date(first.watermark).getTime() - config.poll.overlapMs);
    assert.ok(new Date(second.to) >= new Date(first.to));
  } finally {
    await handle.delete();
  }
});

test('erp-bridge backfill --wait follows the run until every refund has settled', async () => {
  const world = stack.systems.world;
  const times = world.refunds.map((r) => r.modified).sort();
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'backfill', '--from', times[0]!, '--to', times.at(-1)!, '--wait'],
    { env: { ...process.env, ERP_BRIDGE_TASK_QUEUE: stack.taskQueue }, timeout: 120_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as PollRefundsResult;
  assert.equal(result.counts.fetched, world.refunds.length);
  assert.equal(result.counts.started, stack.eligibleAsIds().length);
  assert.match(stdout, new RegExp(`synced ${stack.eligibleAsIds().length}`));
});
