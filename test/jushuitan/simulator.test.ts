// The simulator against its contract (jushuitan-refund-api.md §7), through raw signed HTTP calls.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { request } from 'undici';
import { jstSign } from '../../src/connectors/jushuitan/sign';
import { parseBeijing } from '../../src/lib/beijing-time';
import { startJushuitanSimulator, type JushuitanSimulator } from '../../src/sim/jushuitan';
import { generateWorld } from '../../src/sim/world';
import { admin, INIT_TOKEN_PATH, QUERY_PATH, queryFields, rawCall, REFRESH_PATH, VirtualClock } from './support/helpers';

const clock = new VirtualClock(Date.UTC(2026, 0, 21, 4, 0, 0));
const world = generateWorld({ seed: 5, refunds: 120 });
let sim: JushuitanSimulator;
let secret: string;

const WINDOW = { modified_begin: '2026-01-01 08:00:00', modified_end: '2026-01-08 08:00:00' };

async function query(biz: unknown, patch: Record<string, string> = {}, signWith?: string) {
  return rawCall(sim.baseUrl, QUERY_PATH, { ...queryFields(sim, biz, clock.now()), ...patch }, signWith ?? secret);
}

before(async () => {
  sim = await startJushuitanSimulator({ world, clock, seed: 5 });
  secret = sim.credentials.appSecret;
});
after(() => sim.stop());
beforeEach(() => {
  clock.advance(120_000); // a fresh rate window for every test
  sim.faults.clear();
  sim.rate.set({ perSecond: 5, perMinute: 100, enabled: true });
  sim.store.replace(world.refunds);
});

test('step 1: a missing envelope field, a wrong charset or version gives 140 naming the field', async () => {
  for (const field of ['app_key', 'access_token', 'timestamp', 'charset', 'version', 'biz']) {
    const answer = await query(WINDOW, { [field]: '' });
    assert.equal(answer.json?.code, 140, field);
    assert.match(answer.json!.msg, new RegExp(`^参数不符合规范: .*${field}`));
  }
  const unsigned = await rawCall(sim.baseUrl, QUERY_PATH, queryFields(sim, WINDOW, clock.now()));
  assert.equal(unsigned.json?.code, 140);
  assert.match(unsigned.json!.msg, /sign/);
  assert.equal((await query(WINDOW, { charset: 'gbk' })).json?.code, 140);
  assert.equal((await query(WINDOW, { version: '1' })).json?.code, 140);
});

test('step 2: timestamp more than 600 s off gives 180, exactly 600 s passes; it is checked before the sign', async () => {
  const nowS = Math.floor(clock.now() / 1000);
  assert.equal((await query(WINDOW, { timestamp: String(nowS - 601) })).json?.code, 180);
  assert.equal((await query(WINDOW, { timestamp: String(nowS + 601) })).json?.code, 180);
  assert.equal((await query(WINDOW, { timestamp: 'soon' })).json?.code, 180);
  assert.equal((await query(WINDOW, { timestamp: String(nowS - 600) })).json?.code, 0);
  assert.equal((await query(WINDOW, { timestamp: String(nowS - 601) }, 'wrong-secret')).json?.code, 180);
});

test('step 3: a bad sign, an uppercase sign or an unknown app_key gives 10, before the token check', async () => {
  assert.equal((await query(WINDOW, {}, 'wrong-secret')).json?.code, 10);
  assert.equal((await query(WINDOW, { app_key: 'unknown' })).json?.code, 10);
  const fields = queryFields(sim, WINDOW, clock.now());
  const upper = jstSign(fields, secret).toUpperCase();
  assert.equal((await rawCall(sim.baseUrl, QUERY_PATH, { ...fields, sign: upper })).json?.code, 10);
  assert.equal((await query(WINDOW, { access_token: 'not-a-token' }, 'wrong-secret')).json?.code, 10);
});

test('step 4: an unknown or expired token gives 100, before rate and biz checks', async () => {
  assert.equal((await query(WINDOW, { access_token: 'not-a-token' })).json?.code, 100);
  assert.equal((await query('not json', { access_token: 'not-a-token' })).json?.code, 100);
  const fresh = sim.tokens.issue(sim.credentials.appKey);
  assert.equal((await query(WINDOW, { access_token: fresh.accessToken })).json?.code, 0);
  sim.tokens.expire(fresh.accessToken);
  assert.equal((await query(WINDOW, { access_token: fresh.accessToken })).json?.code, 100);
});

test('step 5: a 6th call within one second gives 199, the 4th within a minute of 3 gives 200; 199 first; before biz', async () => {
  const codes: number[] = [];
  for (let i = 0; i < 6; i++) codes.push((await query(WINDOW)).json!.code);
  assert.deepEqual(codes, [0, 0, 0, 0, 0, 199]);
  assert.equal((await query('not json')).json?.code, 199, 'the rate check answers before biz validation');
  clock.advance(1_000);
  assert.equal((await query(WINDOW)).json?.code, 0, 'the second window slid on');

  clock.advance(120_000);
  sim.rate.set({ perSecond: 2, perMinute: 3 });
  const minute: number[] = [];
  for (let i = 0; i < 4; i++) {
    minute.push((await query(WINDOW)).json!.code);
    clock.advance(600);
  }
  assert.deepEqual(minute, [0, 0, 0, 200]);
  assert.equal((await query(WINDOW)).json?.code, 200, 'a refused call counts too');
  sim.rate.set({ enabled: false });
  assert.equal((await query(WINDOW)).json?.code, 0);
});

test('step 6: biz rules give 140 with the rule, in the contract order and at the documented edges', async () => {
  const cases: Array<[unknown, string | null]> = [
    ['[1,2]', 'biz must be a JSON object'],
    ['{oops', 'biz must be a JSON object'],
    [{ ...WINDOW, page_size: 51 }, 'page_size'],
    [{ modified_begin: 'x', page_size: 51 }, 'page_size'],
    [{ modified_begin: '2024-05-01 00:00:00', as_ids: [1] }, 'modified_begin and modified_end must be given together'],
    [{ start_ts: 5 }, 'modified_begin/modified_end or so_ids/o_ids/as_ids required'],
    [{ as_ids: [] }, 'required'],
    [{ modified_begin: '2024-05-01T00:00:00', modified_end: '2024-05-02 00:00:00' }, 'modified_begin has bad time format'],
    [{ modified_begin: '2024-5-1 00:00:00', modified_end: '2024-05-02 00:00:00' }, 'modified_begin'],
    [{ modified_begin: '2024-02-30 00:00:00', modified_end: '2024-03-02 00:00:00' }, 'modified_begin'],
    [{ modified_begin: '2024-05-01 00:00:00', modified_end: '2024-05-01 00:00:00.5' }, 'modified_end has bad time format'],
    [{ modified_begin: '2024-05-02 00:00:00', modified_end: '2024-05-01 00:00:00' }, 'modified_end is before modified_begin'],
    [{ modified_begin: '2024-05-01 00:00:00', modified_end: '2024-05-08 00:00:01' }, 'time range exceeds 7 days'],
    [{ modified_begin: '2024-05-01 00:00:00', modified_end: '2024-05-08 00:00:00' }, null],
    [{ modified_begin: '2024-05-01 00:00:00', modified_end: '2024-05-01 00:00:00' }, null],
    [{ ...WINDOW, page_index: 0 }, 'page_index'],
    [{ ...WINDOW, page_size: 0 }, 'page_size'],
    [{ ...WINDOW, page_size: 2.5 }, 'page_size'],
    [{ ...WINDOW, page_index: '2', page_size: '50' }, null],
    [{ ...WINDOW, shop_buyer_ids: Array.from({ length: 51 }, (_, i) => `b${i}`) }, 'shop_buyer_ids'],
    [{ as_ids: ['x'] }, 'as_ids'],
  ];
  for (const [biz, rule] of cases) {
    clock.advance(1_000);
    const answer = (await query(biz)).json!;
    if (rule === null) {
      assert.equal(answer.code, 0, `${JSON.stringify(biz)} is accepted`);
    } else {
      assert.equal(answer.code, 140, `${JSON.stringify(biz)} is refused`);
      assert.ok(answer.msg.startsWith('参数不符合规范: ') && answer.msg.includes(rule), `${answer.msg} mentions ${rule}`);
    }
  }
});

test('query: inclusive window, modified then as_id order, paging fields, wire types', async () => {
  const sorted = [...world.refunds].sort((a, b) => a.modified.localeCompare(b.modified) || a.as_id - b.as_id);
  const target = sorted[10]!;
  sim.store.touch([sorted[11]!.as_id], { modified: target.modified }); // a same-second tie
  const bounds = { modified_begin: target.modified, modified_end: sorted[40]!.modified };
  const expected = sim.store.all().filter((r) => r.modified >= bounds.modified_begin && r.modified <= bounds.modified_end);
  assert.ok(expected.length >= 31);

  const first = (await query({ ...bounds, page_size: 30 })).json!.data!;
  assert.equal(first.data_count, expected.length);
  assert.equal(first.page_count, Math.ceil(expected.length / 30));
  assert.equal(first.has_next, true);
  assert.equal(first.page_index, 1);
  const datas = first.datas as Array<Record<string, unknown>>;
  assert.deepEqual(datas.map((r) => r.as_id), expected.slice(0, 30).map((r) => r.as_id));
  assert.equal(datas[0]!.as_id, target.as_id, 'the begin bound is inclusive');
  for (const key of ['as_id', 'o_id', 'shop_id', 'wh_id', 'ts', 'refund']) assert.equal(typeof datas[0]![key], 'number', key);
  assert.ok(Array.isArray(datas[0]!.batchs) && Array.isArray(datas[0]!.items));

  const last = (await query({ ...bounds, page_size: 30, page_index: first.page_count })).json!.data!;
  assert.equal(last.has_next, false);
  assert.equal((last.datas as Array<{ as_id: number }>).at(-1)!.as_id, expected.at(-1)!.as_id, 'the end bound is inclusive');
  const beyond = (await query({ ...bounds, page_index: 99 })).json!.data!;
  assert.deepEqual([beyond.datas, beyond.has_next, beyond.page_size], [[], false, 30]);
});

test('query: ids, filters and start_ts combine by AND', async () => {
  const [a, b, c] = world.refunds;
  const byIds = (await query({ as_ids: [a!.as_id, b!.as_id, 999], page_size: 50 })).json!.data!;
  assert.deepEqual((byIds.datas as Array<{ as_id: number }>).map((r) => r.as_id).sort(), [a!.as_id, b!.as_id].sort());
  const bySo = (await query({ so_ids: [c!.so_id], status: c!.status === 'Confirmed' ? 'Cancelled' : 'Confirmed' })).json!.data!;
  assert.equal(bySo.data_count, 0);
  const all = sim.store.all();
  const wideWindow = { modified_begin: '2026-01-14 08:00:00', modified_end: '2026-01-21 08:00:00' };
  const confirmed = (await query({ ...wideWindow, status: 'Confirmed', page_size: 50 })).json!.data!;
  const inWide = all.filter((r) => r.modified >= wideWindow.modified_begin && r.modified <= wideWindow.modified_end);
  assert.equal(confirmed.data_count, inWide.filter((r) => r.status === 'Confirmed').length);
  const startTs = inWide[5]!.ts;
  const newer = (await query({ ...wideWindow, start_ts: startTs, page_size: 50 })).json!.data!;
  assert.equal(newer.data_count, inWide.filter((r) => r.ts >= startTs).length);
});

test('form decoding: %20 and + are both spaces; the sign is over the decoded values', async () => {
  const fields = queryFields(sim, WINDOW, clock.now());
  const sign = jstSign(fields, secret);
  const body = Object.entries({ ...fields, sign })
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`) // encodeURIComponent writes spaces as %20
    .join('&');
  assert.ok(body.includes('%20'));
  const response = await request(sim.baseUrl + QUERY_PATH, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(((await response.body.json()) as { code: number }).code, 0);
});

test('tokens: getInitToken issues a working pair; refreshToken replaces it and kills the old pair', async () => {
  sim.rate.set({ enabled: false }); // many calls at one virtual instant
  const appKey = sim.credentials.appKey;
  const init = await rawCall(sim.baseUrl, INIT_TOKEN_PATH, {
    app_key: appKey, timestamp: String(Math.floor(clock.now() / 1000)), grant_type: 'authorization_code', charset: 'utf-8', code: 'abc123',
  }, secret);
  const pair = init.json!.data as { access_token: string; refresh_token: string; expires_in: number; scope: string };
  assert.equal(init.json!.code, 0);
  assert.equal(pair.expires_in, 2_592_000);
  assert.equal(pair.scope, 'all');
  assert.equal((await query(WINDOW, { access_token: pair.access_token })).json?.code, 0);

  const refreshFields = (refreshToken: string) => ({
    app_key: appKey, timestamp: String(Math.floor(clock.now() / 1000)), grant_type: 'refresh_token', charset: 'utf-8', refresh_token: refreshToken, scope: 'all',
  });
  const refreshed = await rawCall(sim.baseUrl, REFRESH_PATH, refreshFields(pair.refresh_token), secret);
  const next = refreshed.json!.data as { access_token: string; refresh_token: string };
  assert.equal(refreshed.json!.code, 0);
  assert.notEqual(next.access_token, pair.access_token);
  assert.equal((await query(WINDOW, { access_token: next.access_token })).json?.code, 0);
  assert.equal((await query(WINDOW, { access_token: pair.access_token })).json?.code, 100, 'old access token is dead');
  assert.equal((await rawCall(sim.baseUrl, REFRESH_PATH, refreshFields(pair.refresh_token), secret)).json?.code, 100, 'old refresh token is dead');
  assert.equal((await rawCall(sim.baseUrl, REFRESH_PATH, { ...refreshFields(next.refresh_token), grant_type: 'password' }, secret)).json?.code, 140);
  assert.equal((await rawCall(sim.baseUrl, REFRESH_PATH, refreshFields(next.refresh_token), 'bad')).json?.code, 10);
});

test('transport: unknown paths 404, wrong methods 405, both counted', async () => {
  sim.counters.reset();
  assert.equal((await rawCall(sim.baseUrl, '/open/orders/single/query', {}, secret)).status, 404);
  const get = await rawCall(sim.baseUrl, QUERY_PATH, {}, undefined, 'GET');
  assert.equal(get.status, 405);
  assert.equal(sim.counters.count('http_404'), 1);
  assert.equal(sim.counters.count('http_405', QUERY_PATH), 1);
});

test('admin API: faults, counters by path and outcome, page_size and window tracking, reset', async () => {
  await admin(sim, 'POST', '/counters/reset');
  assert.equal((await admin(sim, 'POST', '/faults', { http5xx: { next: 1 }, malformed: { next: 1 }, rateLimit: { code: 200, next: 1 } })).status, 200);
  const statuses = [];
  for (let i = 0; i < 4; i++) statuses.push(await query({ ...WINDOW, page_size: 40 }));
  assert.equal(statuses[0]!.status, 503);
  assert.equal(statuses[1]!.status, 200);
  assert.equal(statuses[1]!.json, undefined, 'malformed body');
  assert.equal(statuses[2]!.json?.code, 200);
  assert.equal(statuses[3]!.json?.code, 0);
  await query({ modified_begin: '2026-01-01 00:00:00', modified_end: '2026-01-09 00:00:00', page_size: 60 });

  const counters = (await admin(sim, 'GET', '/counters')).body as {
    total: number; byOutcome: Record<string, number>; byPath: Record<string, { calls: number; outcomes: Record<string, number> }>;
    maxPageSize: number; maxWindowSeconds: number;
  };
  assert.equal(counters.total, 5);
  assert.deepEqual(counters.byPath[QUERY_PATH]!.outcomes, { http_5xx: 1, malformed: 1, '200': 1, '0': 1, '140': 1 });
  assert.equal(counters.maxPageSize, 60);
  assert.equal(counters.maxWindowSeconds, 8 * 86_400);
  await admin(sim, 'POST', '/counters/reset');
  assert.deepEqual(((await admin(sim, 'GET', '/counters')).body as { total: number }).total, 0);
  assert.equal((await admin(sim, 'POST', '/faults', { http5xx: { next: -1 } })).status, 400);
  assert.equal((await admin(sim, 'GET', '/nothing')).status, 404);
});

test('admin API: records, touch, insert, a mutation before the N-th query call, tokens and rate limits', async () => {
  const [first] = world.refunds;
  const touched = ((await admin(sim, 'POST', '/records/touch', { asIds: [first!.as_id], set: { status: 'Cancelled' } })).body as {
    records: Array<{ modified: string; ts: number; status: string }>;
  }).records[0]!;
  assert.equal(parseBeijing(touched.modified)!.getTime(), Math.floor(clock.now() / 1000) * 1000);
  assert.equal(touched.ts, Math.max(...world.refunds.map((r) => r.ts as number)) + 1);
  assert.equal(touched.status, 'Cancelled');

  const inserted = await admin(sim, 'POST', '/records', { records: [{ ...first, as_id: 99_000_001 }] });
  assert.equal(inserted.status, 200);
  assert.equal(sim.store.get(99_000_001)!.ts, touched.ts + 1);
  assert.equal((await admin(sim, 'POST', '/records', { records: [{ ...first }] })).status, 400, 'as_id clash');

  await admin(sim, 'POST', '/faults', { mutations: [{ beforeQueryCall: 2, touch: [world.refunds[1]!.as_id] }] });
  const before = sim.store.get(world.refunds[1]!.as_id)!.ts;
  await query(WINDOW);
  assert.equal(sim.store.get(world.refunds[1]!.as_id)!.ts, before, 'not yet before the first call');
  await query(WINDOW);
  assert.ok(sim.store.get(world.refunds[1]!.as_id)!.ts > before, 'touched before the second call');

  await admin(sim, 'POST', '/tokens/expire', {});
  assert.equal((await query(WINDOW)).json?.code, 100);
  const issued = (await admin(sim, 'POST', '/tokens/issue')).body as { accessToken: string };
  assert.equal((await query(WINDOW, { access_token: issued.accessToken })).json?.code, 0);
  await admin(sim, 'POST', '/tokens/revoke', { accessToken: issued.accessToken });
  assert.equal((await query(WINDOW, { access_token: issued.accessToken })).json?.code, 100);

  assert.deepEqual((await admin(sim, 'POST', '/rate-limits', { perSecond: 1, clear: true })).body, { perSecond: 1, perMinute: 100, enabled: true });
  const fresh = sim.tokens.issue(sim.credentials.appKey).accessToken;
  assert.equal((await query(WINDOW, { access_token: fresh })).json?.code, 0);
  assert.equal((await query(WINDOW, { access_token: fresh })).json?.code, 199);

  const replaced = await admin(sim, 'PUT', '/records', { records: [{ as_id: 1, modified: '2026-01-02 00:00:00' }] });
  assert.deepEqual(replaced.body, { count: 1 });
  assert.equal((await admin(sim, 'PUT', '/records', { records: [{ as_id: 1, modified: 'yesterday' }] })).status, 400);
});
