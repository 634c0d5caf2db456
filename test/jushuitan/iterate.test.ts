// iterateRefunds: slicing, paging, and records moving while pages are read (§6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iterateRefunds, JushuitanRetryableError, type JstRefund, type RefundPageSource } from '../../src/connectors/jushuitan';
import { formatBeijing, parseBeijing } from '../../src/lib/beijing-time';
import type { FaultSettings } from '../../src/sim/jushuitan';
import { generateWorld } from '../../src/sim/world';
import { clientFor, QUERY_PATH, VirtualClock, withSimulator } from './support/helpers';

const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-21T00:00:00Z');

async function collect(source: AsyncIterable<JstRefund>): Promise<JstRefund[]> {
  const out: JstRefund[] = [];
  for await (const record of source) out.push(record);
  return out;
}

function assertOnceEach(records: JstRefund[], expectedIds: Iterable<number | string>): void {
  const ids = records.map((r) => r.as_id);
  assert.equal(new Set(ids).size, ids.length, 'no as_id twice');
  assert.deepEqual([...ids].sort(), [...expectedIds].map(String).sort());
}

test('a 20-day range of 500 records: ≤ 7-day slices, pages of ≤ 50, every record once, in order', async () => {
  const world = generateWorld({ seed: 21, refunds: 500, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    const records = await collect(iterateRefunds(clientFor(sim), { from: FROM, to: TO }));
    assertOnceEach(records, world.refunds.map((r) => r.as_id));
    const snapshot = sim.counters.snapshot();
    assert.equal(snapshot.maxPageSize, 50);
    assert.ok(snapshot.maxWindowSeconds <= 7 * 86_400, `window ${snapshot.maxWindowSeconds}s`);
    assert.ok(snapshot.byPath[QUERY_PATH]!.calls <= Math.ceil(500 / 50) + 3, 'one pass per slice');
    const times = records.map((r) => parseBeijing(r.modified)!.getTime());
    assert.deepEqual(times, [...times].sort((a, b) => a - b));
  });
});

test('a record touched after its page was read (it leaves the range) loses nobody: the slice is re-read', async () => {
  const world = generateWorld({ seed: 22, refunds: 120, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    const firstWeek = sim.store.all().filter((r) => parseBeijing(r.modified)! < new Date(FROM.getTime() + 7 * 86_400_000));
    const moved = firstWeek[3]!; // on page 1 of the first slice
    const neighbour = firstWeek[10]!; // first record of page 2 (page size 10): skipped by a naive reader
    sim.faults.set({ mutations: [{ beforeQueryCall: 2, touch: [moved.as_id] }] });
    const records = await collect(iterateRefunds(clientFor(sim), { from: FROM, to: TO, pageSize: 10 }));
    assertOnceEach(records, world.refunds.map((r) => r.as_id));
    assert.ok(records.some((r) => r.as_id === String(neighbour.as_id)));
    assert.equal(records.find((r) => r.as_id === String(moved.as_id))!.modified, moved.modified, 'the version seen in range');
    assert.ok(sim.counters.calls(QUERY_PATH) > Math.ceil(120 / 10) + 3, 'the shifted slice was read again');
  });
});

test('the same mutation really does make a naive single pass lose a record (the scenario is real)', async () => {
  const world = generateWorld({ seed: 22, refunds: 120, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    const firstWeek = sim.store.all().filter((r) => parseBeijing(r.modified)! < new Date(FROM.getTime() + 7 * 86_400_000));
    sim.faults.set({ mutations: [{ beforeQueryCall: 2, touch: [firstWeek[3]!.as_id] }] });
    const client = clientFor(sim);
    const seen = new Set<string>();
    const window = { modifiedBegin: formatBeijing(FROM), modifiedEnd: formatBeijing(new Date(FROM.getTime() + 7 * 86_400_000)) };
    for (let pageIndex = 1; ; pageIndex++) {
      const page = await client.queryRefundPage({ ...window, pageIndex, pageSize: 10 });
      for (const r of page.records) seen.add(r.as_id);
      if (!page.hasNext) break;
    }
    assert.ok(!seen.has(String(firstWeek[10]!.as_id)), 'the neighbour slipped from page 2 to page 1');
  });
});

async function scanLiveWindow(mutate: (ordered: Array<{ as_id: number; modified: string }>) => FaultSettings['mutations'], extraIds: number[] = []) {
  const clock = new VirtualClock(Date.UTC(2026, 0, 21, 0, 0, 0));
  const now = new Date(clock.now());
  const from = new Date(now.getTime() - 3 * 86_400_000);
  const world = generateWorld({ seed: 23, refunds: 60, from, to: new Date(now.getTime() - 60_000) });
  return withSimulator({ world, clock }, async (sim) => {
    sim.faults.set({ mutations: mutate(sim.store.all()) });
    const client = clientFor(sim, {}, { clock });
    const records = await collect(iterateRefunds(client, { from, to: new Date(now.getTime() + 3_600_000), pageSize: 10 }));
    assertOnceEach(records, [...world.refunds.map((r) => r.as_id), ...extraIds]);
    return { records, sim };
  });
}

test('a live window (reaching now): a record touched during the scan moves to the end; the newest version wins', async () => {
  let touched = { as_id: 0, modified: '' };
  const { records, sim } = await scanLiveWindow((ordered) => {
    touched = ordered[2]!; // from page 1 to the end of the same window
    return [{ beforeQueryCall: 2, touch: [touched.as_id] }];
  });
  assert.equal(records.find((r) => r.as_id === String(touched.as_id))!.ts, String(sim.store.get(touched.as_id)!.ts));
});

test('a live window: one record leaves while another arrives (data_count unchanged), nobody is lost', async () => {
  let leaving = { as_id: 0, modified: '' };
  const { records } = await scanLiveWindow(
    (ordered) => {
      leaving = ordered[4]!; // on page 1; its leaving shifts page 2 up by one
      return [
        { beforeQueryCall: 2, touch: [leaving.as_id], set: { modified: '2020-01-01 00:00:00' } },
        { beforeQueryCall: 2, insert: [{ ...ordered[0]!, as_id: 77_000_001 }] },
      ];
    },
    [77_000_001],
  );
  assert.equal(records.find((r) => r.as_id === String(leaving.as_id))!.modified, leaving.modified, 'the version seen in range');
});

test('a window that never holds still ends in a retryable unstable_window error, not an endless loop', async () => {
  let calls = 0;
  const jittery: RefundPageSource = {
    clock: new VirtualClock(Date.UTC(2027, 0, 1)),
    async queryRefundPage(q) {
      calls++;
      const record = { as_id: String(q.pageIndex), modified: q.modifiedBegin, items: [], batchs: [] };
      return { records: [record], hasNext: q.pageIndex < 2, pageIndex: q.pageIndex, dataCount: 2 + (calls % 2) };
    },
  };
  await assert.rejects(collect(iterateRefunds(jittery, { from: FROM, to: new Date(FROM.getTime() + 3_600_000), maxHalvings: 1 })), (err) =>
    err instanceof JushuitanRetryableError && err.code === 'unstable_window');
  assert.ok(calls > 0 && calls < 100);
});

test('options are checked: page size 1..50, slices up to 7 days', async () => {
  const source: RefundPageSource = { clock: new VirtualClock(), queryRefundPage: () => Promise.reject(new Error('not called')) };
  await assert.rejects(collect(iterateRefunds(source, { from: FROM, to: TO, pageSize: 51 })), /pageSize/);
  await assert.rejects(collect(iterateRefunds(source, { from: FROM, to: TO, maxSliceMs: 8 * 86_400_000 })), /maxSliceMs/);
});
