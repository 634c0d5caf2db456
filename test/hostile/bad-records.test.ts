// Hostile records at the unit level: the Jushuitan connector validates record by record (a bad record never
// fails its page) with messages naming the field, and the paging activity turns each bad record into a
// reason: parked in its own workflow when it has an as_id, counted by reason when it has none.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createJushuitanActivities, MAX_RECORD_BYTES, type FetchedRefundPage } from '../../src/activities/jushuitan';
import type { RefundPage, RefundSource } from '../../src/activities/ports';
import { JushuitanClient, JushuitanPermanentError, RateLimiter } from '../../src/connectors/jushuitan';
import { parseRefundRecords } from '../../src/connectors/jushuitan/schemas';
import { createSchemes } from '../../src/runtime/schemes';
import { generateWorld, HOSTILE_KINDS, HUGE_RECORD_LINES, type HostileKind, type World } from '../../src/sim/world';

const world: World = generateWorld({ seed: 9, refunds: 30, hostile: HOSTILE_KINDS });
const wire = (): Array<Record<string, unknown>> => JSON.parse(JSON.stringify(world.refunds)) as Array<Record<string, unknown>>;
const asIdOf = (kind: HostileKind) => String(world.hostile!.find((h) => h.kind === kind)!.asId);
const QUANTITY_RANGE = 'a quantity must be between 0 and 1000000';

test('each bad record is returned with its as_id and a reason naming the field; the good ones are untouched', () => {
  const { records, invalid } = parseRefundRecords(wire());
  const byAsId = new Map(invalid.map((i) => [i.asId, i.error]));
  assert.deepEqual(
    [...byAsId.keys()].sort(),
    ['mistypedQuantity', 'mistypedItems', 'negativeQuantity', 'absurdQuantity', 'wrongDateFormat'].map((k) => asIdOf(k as HostileKind)).sort(),
  );
  assert.equal(byAsId.get(asIdOf('mistypedQuantity')), 'items.0.qty: expected a number or a numeric string');
  assert.equal(byAsId.get(asIdOf('mistypedItems')), 'items: Invalid input: expected array, received string');
  assert.equal(byAsId.get(asIdOf('negativeQuantity')), `items.0.r_qty: ${QUANTITY_RANGE}`);
  assert.equal(byAsId.get(asIdOf('absurdQuantity')), `items.0.qty: ${QUANTITY_RANGE}; items.0.r_qty: ${QUANTITY_RANGE}`);
  assert.equal(byAsId.get(asIdOf('wrongDateFormat')), 'items.0.receive_date: expected a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]"');
  assert.equal(records.length, world.refunds.length - invalid.length, 'every other record parsed, the huge one included');
  assert.equal(records.find((r) => r.as_id === asIdOf('hugeRecord'))?.items.length, HUGE_RECORD_LINES);
});

test('missing or unusable as_ids are reported without an as_id; a missing field says "missing"; values are never echoed', () => {
  const good = wire()[0]!;
  const { invalid } = parseRefundRecords([
    { ...good, as_id: undefined },
    { ...good, as_id: 'R-1' },
    { ...good, as_id: 0 },
    { ...good, modified: undefined },
    { ...good, modified: '2026/01/03 10:00' },
    'not a record',
    null,
  ]);
  assert.deepEqual(invalid.map((i) => [i.index, i.asId, i.error]), [
    [0, undefined, 'as_id: missing (expected an integer or a numeric string)'],
    [1, undefined, 'as_id: expected an integer or a numeric string'],
    [2, undefined, 'as_id: expected a positive integer'],
    [3, String(good.as_id), 'modified: missing (expected a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]")'],
    [4, String(good.as_id), 'modified: expected a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]"'],
    [5, undefined, '(root): Invalid input: expected object, received string'],
    [6, undefined, '(root): Invalid input: expected object, received null'],
  ]);
  assert.ok(!invalid.some((i) => i.error.includes('R-1') || i.error.includes('2026/01/03')), 'no value in any message');
});

async function withPageServer<T>(datas: unknown[], run: (client: JushuitanClient) => Promise<T>): Promise<T> {
  const body = JSON.stringify({ code: 0, msg: 'ok', data: { page_index: 1, has_next: false, data_count: datas.length, datas } });
  const server = createServer((_req, res) => res.end(body));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return await run(new JushuitanClient({ baseUrl, appKey: 'k', appSecret: 's', accessToken: 't' }, { limiter: new RateLimiter() }));
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test('the client fails the page by default, naming the record; asked to, it returns bad records separately', async () => {
  const datas = wire();
  const page = { modifiedBegin: '2026-01-01 00:00:00', modifiedEnd: '2026-01-07 00:00:00', pageIndex: 1 };
  await withPageServer(datas, async (client) => {
    const strict = await client.queryRefundPage(page).then(() => undefined, (err: unknown) => err);
    assert.ok(strict instanceof JushuitanPermanentError && strict.code === 'bad_response');
    const first = datas.findIndex((r) => String(r.as_id) === asIdOf('wrongDateFormat'));
    assert.match(strict.message, new RegExp(`datas\\.${first}\\.items\\.0\\.receive_date: expected a Beijing time .* \\(and 4 more bad records\\)$`));

    const lenient = await client.queryRefundPage({ ...page, invalidRecords: 'separate' });
    assert.equal(lenient.records.length + lenient.invalid!.length, datas.length, 'nothing dropped');
    assert.equal(lenient.invalid!.length, 5);
    assert.equal(lenient.hasNext, false);
    assert.equal(lenient.dataCount, datas.length);
  });
});

/** A refund source that serves one fixed page, as the connector would with `invalidRecords: 'separate'`. */
function fixedPage(datas: unknown[]): RefundSource & { asked: Array<Record<string, unknown>> } {
  const asked: Array<Record<string, unknown>> = [];
  return {
    asked,
    async queryRefundPage(q): Promise<RefundPage> {
      asked.push(q);
      const { records, invalid } = parseRefundRecords(datas);
      return { records, invalid, hasNext: false, dataCount: datas.length };
    },
  };
}

async function fetchPage(source: RefundSource): Promise<FetchedRefundPage> {
  // Kingdee answers no rows: lookups come back empty, which the page tolerates (children look up again).
  const schemes = createSchemes({ kingdee: { executeBillQuery: async () => [] }, preload: ['jst-refund-to-sales-return'] });
  const activities = createJushuitanActivities({ refunds: source, schemes });
  // The warnings this page logs are expected here: keep them out of the test output.
  return new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') }).run(activities.fetchRefundPage, {
    schemeId: 'jst-refund-to-sales-return', begin: '2026-01-01T00:00:00Z', end: '2026-01-08T00:00:00Z', pageIndex: 1,
  });
}

test('the paging activity parks bad records by reason, counts those without as_id, and passes the good ones on', async () => {
  const datas: unknown[] = [...wire(), { as_id: 'AS-?', modified: '2026-01-02 10:00:00' }];
  const source = fixedPage(datas);
  const page = await fetchPage(source);
  assert.equal(source.asked[0]!.invalidRecords, 'separate', 'the poller asks for bad records separately');
  assert.equal(page.fetched, datas.length);

  const reasons = new Map(page.invalid.map((i) => [i.refund.asId, i.reason]));
  assert.equal(reasons.get(asIdOf('negativeQuantity')), `invalid Jushuitan record: items.0.r_qty: ${QUANTITY_RANGE}`);
  assert.equal(reasons.get(asIdOf('mistypedQuantity')), 'invalid Jushuitan record: items.0.qty: expected a number or a numeric string');
  assert.match(reasons.get(asIdOf('hugeRecord'))!, /^record too large to sync: 10000 lines, \d+ KB of scheme fields \(limit 32 KB, about 250 lines\)/);
  assert.equal(reasons.get(asIdOf('mistypedStatus')), 'cannot decide eligibility: filter rule 1: {{status}} is not a single value (it is an object)');
  assert.equal(page.invalid.length, 7);
  assert.deepEqual(page.unidentified, [{ reason: 'no usable as_id: as_id: expected an integer or a numeric string' }]);

  const huge = page.invalid.find((i) => i.refund.asId === asIdOf('hugeRecord'))!;
  assert.equal(huge.refund.lines, HUGE_RECORD_LINES);
  const wrongDate = page.invalid.find((i) => i.refund.asId === asIdOf('wrongDateFormat'))!;
  const raw = world.refunds.find((r) => String(r.as_id) === asIdOf('wrongDateFormat'))!;
  assert.deepEqual(wrongDate.refund, { asId: String(raw.as_id), shopId: String(raw.shop_id), shopName: raw.shop_name, lines: raw.items.length, modified: raw.modified });

  const handedOver = new Set([...page.eligible.map((e) => e.refund.asId), ...page.invalid.map((i) => i.refund.asId), ...page.skipped.map((s) => s.asId)]);
  assert.equal(handedOver.size + page.unidentified.length, datas.length, 'every record is eligible, skipped, invalid or unidentified');
  for (const e of page.eligible) assert.ok(Buffer.byteLength(JSON.stringify(e.record)) <= MAX_RECORD_BYTES);
});

test('an invalid record with an unreadable modified gets an empty version, so any fixed version counts as newer', async () => {
  const good = wire()[0]!;
  const page = await fetchPage(fixedPage([{ ...good, modified: 'yesterday' }]));
  assert.equal(page.invalid[0]!.refund.modified, '');
  assert.match(page.invalid[0]!.reason, /^invalid Jushuitan record: modified: expected a Beijing time/);
});
