// No unread windows in pollWindow (patched READ_WHOLE_SLICE_PATCH), on the simulators and the dev server:
// a has_next that never turns false either ends at the first empty page or fails the run at the page cap;
// pages that shift on every read never leave an eligible record unsynced with the watermark past it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { WorkflowFailedError } from '@temporalio/client';
import { parseBeijing } from '../../src/lib/beijing-time';
import { isEligibleRefund } from '../../src/sim/world';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { captureHistory } from '../support/histories';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
before(async () => {
  temporal = await connectTestTemporal();
});
after(async () => {
  await temporal?.close();
});

/** The innermost failure message of a failed workflow (child failures wrap the cause). */
function rootMessage(err: unknown): string {
  let e: unknown = err;
  while (e instanceof Error && e.cause) e = e.cause;
  return e instanceof Error ? e.message : String(e);
}

describe('a server whose has_next is always true', () => {
  let stack: SyncStack;
  before(async () => {
    stack = await startSyncStack(temporal, { refunds: 30, seed: 41 });
  });
  after(async () => {
    await stack?.stop();
  });

  test('pages past the end repeat forever: the run fails at the page cap, loudly, and reports no watermark', async () => {
    stack.systems.jushuitan.faults.set({ alwaysHasNext: 'repeat-last-page' });
    try {
      await assert.rejects(stack.backfill({ maxPagesPerSlice: 4 }, 'page-cap-for-history'), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError, String(err));
        assert.match(rootMessage(err), /4 pages read and Jushuitan still says has_next \(page cap 4\)/);
        return true;
      });
      await captureHistory(process.env.TEMPORAL_ADDRESS!, 'page-cap-for-history-slice-1');
    } finally {
      stack.systems.jushuitan.faults.set({ alwaysHasNext: null });
    }
  });

  test('empty pages past the end: paging stops at the first empty page and every eligible refund syncs', async () => {
    stack.systems.jushuitan.faults.set({ alwaysHasNext: 'empty-past-end' });
    try {
      const result = await stack.backfill({ maxPagesPerSlice: 4 });
      // 3 slices of one page each, plus one empty page each.
      assert.equal(result.counts.pages, 6);
      assert.equal(result.counts.fetched, stack.systems.world.refunds.length);
      for (const asId of stack.eligibleAsIds()) assert.equal((await stack.resultOf(asId)).status, 'Synced');
    } finally {
      stack.systems.jushuitan.faults.set({ alwaysHasNext: null });
    }
  });
});

describe('pages that shift on every read', () => {
  let stack: SyncStack;
  before(async () => {
    // One 6-day slice of 160 records: four pages of 50, so a pass sees the pages shift and its restarts run out.
    const to = new Date('2026-01-21T00:00:00Z');
    stack = await startSyncStack(temporal, { refunds: 160, seed: 42, from: new Date(to.getTime() - 6 * 86_400_000), to });
  });
  after(async () => {
    await stack?.stop();
  });

  test('every eligible refund is synced, or it moved past the watermark and a later run syncs it', async () => {
    const jst = stack.systems.jushuitan;
    jst.faults.set({ shiftOnEveryRead: true });
    let watermark: string | undefined;
    let restarts = 0;
    const runId = 'shifting-for-history';
    try {
      const result = await stack.backfill({}, runId);
      watermark = result.watermark;
      restarts = result.counts.restarts;
    } catch (err) {
      // Allowed: a failed run keeps its watermark where it was.
      assert.match(rootMessage(err), /kept shifting while it was paged/);
    } finally {
      jst.faults.set({ shiftOnEveryRead: false });
    }
    const eligibleNow = jst.store.all().filter((r) => isEligibleRefund(r as never));
    const moved = eligibleNow.filter((r) => watermark === undefined || parseBeijing(r.modified)!.getTime() > new Date(watermark).getTime());
    assert.ok(watermark === undefined || restarts > 0, 'the shifting was seen');
    // A slice that kept shifting after its restarts was read again in halves by split pollers.
    const splits = await Promise.all(
      [1].map((i) => temporal.client.workflow.getHandle(`${runId}-slice-${i}-split-1`).describe().then(() => true, () => false)),
    );
    assert.ok(watermark === undefined || splits.some(Boolean), 'the slice was split');
    await captureHistory(process.env.TEMPORAL_ADDRESS!, `${runId}-slice-1`);
    if (watermark !== undefined) {
      // Nothing left behind the watermark: every eligible record still inside the range is synced.
      for (const r of eligibleNow.filter((x) => !moved.includes(x))) assert.equal((await stack.resultOf(String(r.as_id))).status, 'Synced', `refund ${r.as_id}`);
    }
    // The later run: from where the watermark stayed (here: the records' new time) to now.
    const now = Date.now();
    const later = moved.length === 0 ? undefined : Math.min(...moved.map((r) => parseBeijing(r.modified)!.getTime()));
    if (later !== undefined) await stack.backfill({ window: { from: new Date(later - 60_000).toISOString(), to: new Date(now + 60_000).toISOString() } });
    if (watermark === undefined) await stack.backfill();
    for (const r of eligibleNow) assert.equal((await stack.resultOf(String(r.as_id))).status, 'Synced', `refund ${r.as_id}`);
  });
});

describe('a slice still shifting when it may not be split any more', () => {
  let stack: SyncStack;
  before(async () => {
    const to = new Date('2026-01-21T00:00:00Z');
    stack = await startSyncStack(temporal, { refunds: 120, seed: 43, from: new Date(to.getTime() - 6 * 86_400_000), to });
  });
  after(async () => {
    await stack?.stop();
  });

  test('fails the run (no watermark) instead of reporting it complete; a later run syncs every eligible refund', async () => {
    const jst = stack.systems.jushuitan;
    jst.faults.set({ shiftOnEveryRead: true });
    try {
      await assert.rejects(stack.backfill({ maxSplits: 0 }), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError, String(err));
        assert.match(rootMessage(err), /kept shifting while it was paged \(3 restarts, 0 splits\); the run fails so its watermark stays/);
        return true;
      });
    } finally {
      jst.faults.set({ shiftOnEveryRead: false });
    }
    // A later run reads the range again (its watermark did not move), and the time the touched records moved to.
    const eligibleNow = jst.store.all().filter((r) => isEligibleRefund(r as never));
    await stack.backfill();
    await stack.backfill({ window: { from: new Date(Date.now() - 3_600_000).toISOString(), to: new Date(Date.now() + 60_000).toISOString() } });
    for (const r of eligibleNow) assert.equal((await stack.resultOf(String(r.as_id))).status, 'Synced', `refund ${r.as_id}`);
  });
});
