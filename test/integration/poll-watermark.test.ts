// A watermark that never goes back, and a failing poll that is loud (issue 17), on the dev server and the
// simulators: the watermark lives in the state store; an old backfill leaves it; `schedule delete` then `apply`
// resumes from it; a run failing at the page cap, a lagging watermark and a scheme whose new refunds all park
// are each posted to an alert channel once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createAlerter, type Alerter } from '../../src/alerts';
import type { SchemeFailingAlert } from '../../src/alerts/digest';
import { watermarkStatus } from '../../src/cli/watermark-status';
import type { SyncConfig } from '../../src/config/sync-config';
import { createJsonLogger } from '../../src/lib/logger';
import { parseBeijing } from '../../src/lib/beijing-time';
import { isEligibleRefund } from '../../src/sim/world';
import { pollHealth } from '../../src/store/poll-health';
import { pollWatermarks } from '../../src/store/watermarks';
import { applySchedule, scheduleOptions } from '../../src/temporal/schedules';
import { refundWorkflowId, statusQuery, type PollRefundsResult } from '../../src/workflows/messages';
import { WebhookReceiver } from '../alerts/support';
import { captureHistory } from '../support/histories';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const SCHEME = 'jst-refund-to-sales-return';
const HOUR = 3600_000;

let temporal: TestTemporal;
let stack: SyncStack;
let receiver: WebhookReceiver;
let alerter: Alerter;
/** Every scheme alert the worker raised, in order (each is also posted to the receiver). */
const schemeAlerts: SchemeFailingAlert[] = [];

before(async () => {
  temporal = await connectTestTemporal();
  receiver = await WebhookReceiver.start();
  const real = createAlerter(
    { channels: [{ kind: 'webhook', url: `${receiver.baseUrl}/webhook/erp` }], groupWindowMs: 0, minIntervalMs: 0, maxListed: 10, retries: 0, retryDelayMs: 100, timeoutMs: 5_000 },
    createJsonLogger({ level: 'error', write: () => {} }),
  );
  alerter = {
    ...real,
    schemeFailing(e) {
      schemeAlerts.push(e);
      real.schemeFailing(e);
    },
  };
  stack = await startSyncStack(temporal, { refunds: 30, seed: 51 }, undefined, { alerter, pollHealth: { watermarkLagAlertMs: HOUR, allParkedAlertMs: HOUR } });
});
after(async () => {
  await stack?.stop();
  await alerter?.close();
  await receiver?.close();
  await temporal?.close();
});

const marks = () => pollWatermarks(stack.store);
const alertsMatching = (pattern: RegExp) => schemeAlerts.filter((a) => pattern.test(a.lastReason));
/** Waits until the receiver got a message whose text matches (an alert delivered, not only raised). */
const posted = (what: string, pattern: RegExp) =>
  waitUntil(what, async () => receiver.requests.find((r) => pattern.test(JSON.stringify(r.body))) ?? undefined);

function rootMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

/** Eligible refunds modified in [from, to], by as_id. */
function eligibleIn(from: Date, to: Date): string[] {
  return stack.systems.world.refunds
    .filter((r) => isEligibleRefund(r) && parseBeijing(r.modified)!.getTime() >= from.getTime() && parseBeijing(r.modified)!.getTime() <= to.getTime())
    .map((r) => String(r.as_id));
}

describe('the watermark in the state store', () => {
  const T = new Date('2026-01-21T00:00:00Z');

  test('a backfill of an old range leaves the watermark where it was; one reaching it moves it; the lag is alerted once', async () => {
    assert.deepEqual(await marks().advance(SCHEME, T, 'test'), T);
    const old = await stack.backfill({ window: { from: '2026-01-01T00:00:00Z', to: '2026-01-10T00:00:00Z' } }, 'wm-old-backfill-for-history');
    assert.deepEqual(await marks().get(SCHEME), T, 'an old range never moves it back');
    assert.equal(old.watermark, T.toISOString(), 'the run reports the watermark it left');
    assert.ok(old.counts.fetched > 0, 'the old range was read');

    const reaching = await stack.backfill({ window: { from: '2026-01-20T00:00:00Z', to: '2026-01-21T12:00:00Z' } });
    assert.equal(reaching.watermark, '2026-01-21T12:00:00.000Z');
    assert.deepEqual(await marks().get(SCHEME), new Date('2026-01-21T12:00:00Z'), 'a range from the watermark on moves it forward');
    await stack.backfill({ window: { from: '2026-01-25T00:00:00Z', to: '2026-01-26T00:00:00Z' } });
    assert.deepEqual(await marks().get(SCHEME), new Date('2026-01-21T12:00:00Z'), 'a range after a gap it did not read leaves it');

    // The watermark is months behind now (limit 1 h): alerted by the first run, not again by the second.
    await posted('the lag alert', /watermark 2026-01-21T00:00:00\.000Z is .+ behind/);
    assert.equal(alertsMatching(/behind/).length, 1, 'one lag alert per hour, however many runs see it');
    await captureHistory(process.env.TEMPORAL_ADDRESS!, 'wm-old-backfill-for-history', ['poll-watermark-in-store']);
  });

  test('a server that always says has_next: the run fails within the page cap, an alert is posted, the watermark stays', async () => {
    const before = await marks().get(SCHEME);
    const jst = stack.systems.jushuitan;
    jst.faults.set({ alwaysHasNext: 'repeat-last-page' });
    const runId = 'wm-page-cap-for-history';
    try {
      for (const id of [runId, `${runId}-again`]) {
        await assert.rejects(stack.backfill({ maxPagesPerSlice: 3 }, id), (err: unknown) => {
          assert.ok(err instanceof WorkflowFailedError, String(err));
          assert.match(rootMessage(err), /3 pages read and Jushuitan still says has_next \(page cap 3\)/);
          return true;
        });
      }
    } finally {
      jst.faults.set({ alwaysHasNext: null });
    }
    assert.deepEqual(await marks().get(SCHEME), before, 'a failed run leaves the watermark');
    await posted('the failed-run alert', /poll run failed: .*page cap 3/);
    assert.equal(await pollHealth(stack.store).failures(SCHEME), 2, 'two failed runs in a row');
    const failed = alertsMatching(/^poll run failed/);
    assert.equal(failed.length, 1, 'the second failure of the streak is not alerted again within the hour');
    assert.equal(failed[0]!.failures, 1);
    await captureHistory(process.env.TEMPORAL_ADDRESS!, runId, ['poll-run-failed-alerted']);
  });

  test('when every new refund parks for longer than the limit, it is alerted', async () => {
    // The earlier runs' refunds have reached their outcomes (they would end the streak).
    for (const asId of [...eligibleIn(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-10T00:00:00Z')), ...eligibleIn(new Date('2026-01-20T00:00:00Z'), T)]) {
      await stack.resultOf(asId);
    }
    await pollHealth(stack.store).runCompleted(SCHEME); // this test is about parks only
    for (const shop of stack.systems.world.shops) stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber);
    const from = new Date('2026-01-10T00:00:01Z');
    const to = new Date('2026-01-19T23:59:59Z');
    const stranded = eligibleIn(from, to);
    assert.ok(stranded.length > 0, 'the range has eligible refunds');
    await stack.backfill({ window: { from: from.toISOString(), to: to.toISOString() } });
    for (const asId of stranded) {
      await waitUntil(`refund ${asId} parked`, async () => {
        const s = await temporal.client.workflow.getHandle(refundWorkflowId(asId)).query(statusQuery);
        return s.status === 'Parked' ? s : undefined;
      });
    }
    const streak = await pollHealth(stack.store).allParked(SCHEME);
    assert.ok(streak && streak.count >= stranded.length, `every new refund parked (${JSON.stringify(streak)})`);
    assert.equal(alertsMatching(/^every refund since/).length, 0, 'not before the limit');
    // Two hours pass with every new refund parked (the streak's start moved back, as the clock would).
    await stack.store.query(`update poll_health set parked_since = parked_since - interval '2 hours' where scheme_id = $1`, [SCHEME]);
    await stack.backfill({ window: { from: '2025-06-01T00:00:00Z', to: '2025-06-02T00:00:00Z' } });
    await posted('the all-parked alert', /every refund since .+ parked \(\d+\), none synced for 2 h/);
    assert.equal(alertsMatching(/^every refund since/).length, 1);
  });

  test('schedule delete then apply: the next run starts at the stored watermark, not the look-back', async () => {
    const config: SyncConfig = {
      schemeId: SCHEME,
      taskQueue: stack.taskQueue,
      poll: { everyMs: 4_000, lookbackMs: 6 * HOUR, overlapMs: 5 * 60_000, lagMs: 0, catchupWindowMs: 60_000, runTimeoutMs: 10 * 60_000 },
      worker: { maxConcurrentActivities: 10, maxConcurrentWorkflowTasks: 10 },
    };
    const options = { ...scheduleOptions(config), scheduleId: `wm-schedule-${stack.taskQueue}` };
    options.action = { ...options.action, workflowId: `wm-poll-${stack.taskQueue}` };
    const W = new Date(Date.now() - 30 * 60_000);
    await marks().advance(SCHEME, W, 'test');

    /** The first scheduled run of a freshly applied schedule, to its end; the schedule is deleted afterwards. */
    const firstRunThenDelete = async (): Promise<{ result: PollRefundsResult; workflowId: string }> => {
      assert.equal(await applySchedule(temporal.client, options), 'created');
      const handle = temporal.client.schedule.getHandle(options.scheduleId);
      try {
        const action = await waitUntil('a scheduled run', async () => (await handle.describe()).info.recentActions[0]);
        const { workflowId, firstExecutionRunId } = action.action.workflow;
        const result = await temporal.client.workflow.getHandle<() => Promise<PollRefundsResult>>(workflowId, firstExecutionRunId).result();
        // No run of this schedule may still move the watermark when it is deleted.
        await handle.pause('test: deleting');
        await waitUntil('no running action', async () => ((await handle.describe()).info.runningActions.length === 0 ? true : undefined));
        for (const a of (await handle.describe()).info.recentActions) {
          await temporal.client.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId).result().catch(() => undefined);
        }
        return { result, workflowId };
      } finally {
        await handle.delete();
      }
    };

    const first = await firstRunThenDelete();
    assert.equal(new Date(first.result.from).getTime(), W.getTime() - config.poll.overlapMs, 'the run starts at the stored watermark, not 6 h back');
    const stored = (await marks().get(SCHEME))!;
    assert.ok(stored.getTime() >= new Date(first.result.to).getTime(), 'the scheduled run moved the watermark to its end');

    const second = await firstRunThenDelete();
    assert.equal(new Date(second.result.from).getTime(), stored.getTime() - config.poll.overlapMs, 'a re-created schedule resumes from the stored watermark');

    // A run without a window outside the schedule takes the same path (recorded for replay under a stable id).
    const now = (await marks().get(SCHEME))!;
    const plain = await temporal.client.workflow.execute('pollRefunds', {
      taskQueue: stack.taskQueue,
      workflowId: 'wm-poll-for-history',
      args: [{ schemeId: SCHEME, overlapMs: config.poll.overlapMs, lagMs: 0 }],
    });
    assert.equal(new Date(plain.from).getTime(), now.getTime() - config.poll.overlapMs);
    assert.equal(plain.watermark, (await marks().get(SCHEME))!.toISOString(), 'it moved the watermark to its end');
    await captureHistory(process.env.TEMPORAL_ADDRESS!, 'wm-poll-for-history', ['poll-watermark-in-store']);

    // What `erp-bridge schedule describe` shows beside the schedule.
    const status = await watermarkStatus(SCHEME, { databaseUrl: stack.databaseUrl, dataDir: '' });
    assert.equal(status.watermark, (await marks().get(SCHEME))!.toISOString());
    assert.ok(status.lagSeconds !== null && status.lagSeconds >= 0 && status.lagSeconds < 3600, `lag ${status.lag}`);
  });
});

describe('a state store that stays unreachable when a run starts', () => {
  let broken: SyncStack;
  before(async () => {
    broken = await startSyncStack(temporal, { refunds: 5, seed: 52 }, undefined, {
      alerter,
      // The watermark read fails as it does once its retries are spent on a store that is down.
      wrapActivities: (activities) => ({
        ...activities,
        beginPollRun: () => Promise.reject(ApplicationFailure.nonRetryable('state store unreachable (injected)', 'StateStoreError')),
      }),
    });
  });
  after(async () => {
    await broken?.stop();
  });

  test('the run fails before reading anything, and the failure is alerted', async () => {
    await assert.rejects(broken.backfill({}, `wm-store-down-${broken.taskQueue}`), (err: unknown) => {
      assert.ok(err instanceof WorkflowFailedError, String(err));
      assert.match(rootMessage(err), /state store unreachable \(injected\)/);
      return true;
    });
    await posted('the store-down alert', /poll run failed: state store unreachable \(injected\) \(run wm-store-down-/);
    assert.equal(await pollWatermarks(broken.store).get(SCHEME), undefined, 'nothing was read, nothing moved');
  });
});
