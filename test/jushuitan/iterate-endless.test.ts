// No unread windows in the connector's iterator: paging stops at an empty page or past the reported page
// count, a has_next that never turns false fails loudly at the page cap, and pages that shift on every
// read never leave a record of the range unread (simulator switches alwaysHasNext and shiftOnEveryRead).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { iterateRefunds, JushuitanPermanentError, type JstRefund } from '../../src/connectors/jushuitan';
import { parseBeijing } from '../../src/lib/beijing-time';
import { generateWorld } from '../../src/sim/world';
import { clientFor, QUERY_PATH, withSimulator } from './support/helpers';

const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-21T00:00:00Z');

async function collect(source: AsyncIterable<JstRefund>): Promise<JstRefund[]> {
  const out: JstRefund[] = [];
  for await (const record of source) out.push(record);
  return out;
}

test('has_next always true, empty pages past the end: paging stops at the first empty page, every record once', async () => {
  const world = generateWorld({ seed: 31, refunds: 60, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    sim.faults.set({ alwaysHasNext: 'empty-past-end' });
    const records = await collect(iterateRefunds(clientFor(sim), { from: FROM, to: TO, pageSize: 10 }));
    assert.deepEqual(records.map((r) => r.as_id).sort(), world.refunds.map((r) => String(r.as_id)).sort());
    // 3 slices; each pass reads its pages plus one empty page.
    assert.ok(sim.counters.calls(QUERY_PATH) <= Math.ceil(60 / 10) + 3 * 2, `${sim.counters.calls(QUERY_PATH)} calls`);
  });
});

test('has_next always true and the last page served again forever: the run fails at the page cap, loudly', async () => {
  const world = generateWorld({ seed: 32, refunds: 30, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    sim.faults.set({ alwaysHasNext: 'repeat-last-page' });
    await assert.rejects(collect(iterateRefunds(clientFor(sim), { from: FROM, to: TO, pageSize: 5, maxPagesPerPass: 20 })), (err: unknown) => {
      assert.ok(err instanceof JushuitanPermanentError, String(err));
      assert.equal(err.code, 'page_cap');
      assert.match(err.message, /passed 20 pages and the server still says has_next/);
      return true;
    });
    assert.ok(sim.counters.calls(QUERY_PATH) <= 20, 'stopped at the cap');
  });
});

test('a truthful page_count ends paging even when has_next is missing or wrong', async () => {
  const world = generateWorld({ seed: 33, refunds: 25, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    const client = clientFor(sim);
    const lying = { clock: client.clock, queryRefundPage: async (q: Parameters<typeof client.queryRefundPage>[0]) => ({ ...(await client.queryRefundPage(q)), hasNext: true }) };
    const records = await collect(iterateRefunds(lying, { from: FROM, to: TO, pageSize: 10, maxPagesPerPass: 50 }));
    assert.equal(records.length, 25);
  });
});

test('pages shifting on every read: whatever is still in the range afterwards was read, in its newest version', async () => {
  const world = generateWorld({ seed: 34, refunds: 80, from: FROM, to: TO });
  await withSimulator({ world }, async (sim) => {
    sim.faults.set({ shiftOnEveryRead: true });
    let records: JstRefund[] | undefined;
    try {
      records = await collect(iterateRefunds(clientFor(sim), { from: FROM, to: TO, pageSize: 10 }));
    } catch (err) {
      // Failing is allowed (nothing is reported complete); reporting complete with a record unread is not.
      assert.match(String(err), /unstable_window|kept moving/);
    }
    sim.faults.set({ shiftOnEveryRead: false });
    if (records) {
      const read = new Map(records.map((r) => [r.as_id, r.modified]));
      const stillInRange = sim.store.all().filter((r) => {
        const t = parseBeijing(r.modified)!.getTime();
        return t >= FROM.getTime() && t <= TO.getTime();
      });
      assert.ok(stillInRange.length > 0 && stillInRange.length < 80, 'some records moved out, some stayed');
      for (const r of stillInRange) assert.equal(read.get(String(r.as_id)), r.modified, `record ${r.as_id} read in its current version`);
    }
    assert.ok(sim.counters.calls(QUERY_PATH) > 0);
  });
});
