// The client against the simulator: normalisation, every error path and its class, token refresh,
// retries and the throttle.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import {
  iterateRefunds,
  JushuitanAuthError,
  JushuitanClient,
  jushuitanConfigFromEnv,
  JushuitanError,
  JushuitanPermanentError,
  JushuitanRetryableError,
  RateLimiter,
} from '../../src/connectors/jushuitan';
import type { JushuitanSimulator } from '../../src/sim/jushuitan';
import { generateWorld } from '../../src/sim/world';
import { clientFor, configFor, QUERY_PATH, REAL_SIM_LIMITS, REFRESH_PATH, VirtualClock, withSimulator } from './support/helpers';

const world = generateWorld({ seed: 11, refunds: 120 });
const WEEK = { modifiedBegin: '2026-01-01 08:00:00', modifiedEnd: '2026-01-08 08:00:00' };

async function failure(promise: Promise<unknown>): Promise<JushuitanError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof JushuitanError, `a JushuitanError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a failure');
}

function assertNoSecrets(sim: JushuitanSimulator, err: Error): void {
  const text = `${err.message} ${JSON.stringify(err)} ${String(err.cause ?? '')}`;
  for (const secret of [sim.credentials.appSecret, sim.credentials.accessToken, sim.credentials.refreshToken]) {
    assert.ok(!text.includes(secret), `error text leaks a secret: ${err.message}`);
  }
}

test('a page comes back normalised, with paging fields', async () => {
  await withSimulator({ world }, async (sim) => {
    const page = await clientFor(sim).queryRefundPage({ ...WEEK, pageIndex: 1, pageSize: 20 });
    const expected = sim.store.all().filter((r) => r.modified >= WEEK.modifiedBegin && r.modified <= WEEK.modifiedEnd);
    assert.equal(page.dataCount, expected.length);
    assert.equal(page.hasNext, expected.length > 20);
    assert.deepEqual(page.records.map((r) => r.as_id), expected.slice(0, 20).map((r) => String(r.as_id)));
    assert.equal(typeof page.records[0]!.ts, 'string');
    assert.equal(typeof page.records[0]!.refund, 'number');
  });
});

test('permanent codes fail at once with code and msg: 10 sign, 140 params, 404; 180 after one fresh re-sign', async () => {
  await withSimulator({ world }, async (sim) => {
    const errors: JushuitanError[] = [];
    const badSign = await failure(clientFor(sim, { appSecret: 'not-the-secret' }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(badSign instanceof JushuitanPermanentError && badSign.code === 10 && !badSign.retryable);
    errors.push(badSign);

    const tooWide = await failure(clientFor(sim).queryRefundPage({ modifiedBegin: '2026-01-01 00:00:00', modifiedEnd: '2026-01-08 00:00:01', pageIndex: 1 }));
    assert.ok(tooWide instanceof JushuitanPermanentError && tooWide.code === 140);
    assert.match(tooWide.message, /time range exceeds 7 days/);
    errors.push(tooWide);
    assert.equal(sim.counters.calls(QUERY_PATH), 2, 'no retries of permanent failures');

    const skewed = new VirtualClock(Date.now() + 3_600_000);
    const skew = await failure(clientFor(sim, {}, { clock: skewed }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(skew instanceof JushuitanPermanentError && skew.code === 180);
    assert.equal(sim.counters.count(180), 2, 'one prompt re-sign, then fail');
    errors.push(skew);

    const notFound = await failure(clientFor(sim, { baseUrl: `${sim.baseUrl}/nope` }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(notFound instanceof JushuitanPermanentError && notFound.code === 'http_404');
    errors.push(notFound);
    for (const err of errors) assertNoSecrets(sim, err);
  });
});

test('retryable failures are retried with back-off and then surface typed: 5xx, malformed JSON, 199, 200', async () => {
  await withSimulator({ world }, async (sim) => {
    const client = clientFor(sim);
    sim.faults.set({ http5xx: { next: 2 }, malformed: { next: 1 }, rateLimit: { code: 199, next: 1 } });
    const page = await client.queryRefundPage({ ...WEEK, pageIndex: 1 });
    assert.ok(page.records.length > 0);
    assert.deepEqual(sim.counters.snapshot().byPath[QUERY_PATH]!.outcomes, { http_5xx: 2, malformed: 1, '199': 1, '0': 1 });

    sim.faults.set({ http5xx: { probability: 1 } });
    const down = await failure(client.queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(down instanceof JushuitanRetryableError && down.code === 'http_503' && down.retryable);
    assert.equal(sim.counters.count('http_5xx'), 2 + 5, 'maxAttempts (5) calls, then the typed error');

    sim.faults.clear();
    sim.faults.set({ malformed: { probability: 1 } });
    const garbled = await failure(clientFor(sim, { retry: { maxAttempts: 2, baseDelayMs: 1 } }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(garbled instanceof JushuitanRetryableError && garbled.code === 'malformed_json');
    assert.match(garbled.message, /malformed JSON/);

    sim.faults.clear();
    sim.faults.set({ rateLimit: { code: 200, next: 3 } });
    const limited = await failure(clientFor(sim, { retry: { maxAttempts: 3, perMinuteLimitDelayMs: 1 } }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(limited instanceof JushuitanRetryableError && limited.code === 200);
    for (const err of [down, garbled, limited]) assertNoSecrets(sim, err);
  });
});

test('a 200 makes the client wait out the whole minute window before the next call', async () => {
  const clock = new VirtualClock(Date.now());
  await withSimulator({ world, clock }, async (sim) => {
    sim.faults.set({ rateLimit: { code: 200, next: 1 } });
    const client = new JushuitanClient(configFor(sim, { limits: undefined, retry: undefined }), { clock, random: () => 0 });
    const start = clock.now();
    await client.queryRefundPage({ ...WEEK, pageIndex: 1 });
    assert.equal(clock.now() - start, 60_000);
    assert.equal(sim.counters.count(0), 1);
  });
});

test('network errors and timeouts are retryable', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const client = new JushuitanClient(
    { baseUrl: `http://127.0.0.1:${port}`, appKey: 'k', appSecret: 'secret-xyz', accessToken: 'token-xyz', retry: { maxAttempts: 2, baseDelayMs: 1 } },
    { limiter: new RateLimiter() },
  );
  const refused = await failure(client.queryRefundPage({ ...WEEK, pageIndex: 1 }));
  assert.ok(refused instanceof JushuitanRetryableError && refused.code === 'network');
  assert.ok(!refused.message.includes('secret-xyz') && !refused.message.includes('token-xyz'));

  await withSimulator({ world }, async (sim) => {
    sim.faults.set({ latency: { fixedMs: 400 } });
    const slow = await failure(clientFor(sim, { timeoutMs: 50, retry: { maxAttempts: 2, baseDelayMs: 1 } }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(slow instanceof JushuitanRetryableError && slow.code === 'timeout');
  });
});

test('answers that break the schema give a clear permanent error naming the field', async () => {
  const bodies = [
    '{"code":0,"msg":"ok","data":{"has_next":false,"datas":[{"as_id":"R-1","modified":"2026-01-01 00:00:00"}]}}',
    '{"hello":"world"}',
  ];
  const server = createServer((_req, res) => res.end(bodies.shift() ?? '{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const client = new JushuitanClient(
      { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, appKey: 'k', appSecret: 's', accessToken: 't' },
      { limiter: new RateLimiter() },
    );
    const badRecord = await failure(client.queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(badRecord instanceof JushuitanPermanentError && badRecord.code === 'bad_response');
    assert.match(badRecord.message, /datas\.0\.as_id/);
    const noEnvelope = await failure(client.queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(noEnvelope instanceof JushuitanPermanentError && noEnvelope.code === 'bad_response');
    assert.match(noEnvelope.message, /code/);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test('code 100 without a refresh token fails as JushuitanAuthError without a refresh call', async () => {
  await withSimulator({ world }, async (sim) => {
    sim.tokens.expire();
    const err = await failure(clientFor(sim, { refreshToken: undefined }).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(err instanceof JushuitanAuthError && err.code === 100 && !err.retryable);
    assert.equal(sim.counters.calls(REFRESH_PATH), 0);
    assert.equal(sim.counters.calls(QUERY_PATH), 1);
    assertNoSecrets(sim, err);
  });
});

test('code 100 with concurrent callers: exactly one refreshToken call, everyone retries with the new token', async () => {
  await withSimulator({ world }, async (sim) => {
    const refreshed: string[] = [];
    const client = clientFor(sim, {}, { onTokensRefreshed: (t) => refreshed.push(t.accessToken) });
    sim.tokens.expire();
    const pages = await Promise.all(Array.from({ length: 8 }, (_, i) => client.queryRefundPage({ ...WEEK, pageIndex: i + 1, pageSize: 5 })));
    assert.equal(pages.length, 8);
    assert.equal(sim.counters.calls(REFRESH_PATH), 1);
    assert.equal(sim.counters.count(0, REFRESH_PATH), 1);
    assert.equal(sim.counters.count(100, QUERY_PATH), 8);
    assert.equal(sim.counters.count(0, QUERY_PATH), 8);
    assert.equal(refreshed.length, 1);
    assert.ok(sim.tokens.isValid(sim.credentials.appKey, refreshed[0]!));

    // The old pair is dead; the client now holds the new refresh token and can refresh again.
    sim.tokens.expire();
    await client.queryRefundPage({ ...WEEK, pageIndex: 1 });
    assert.equal(sim.counters.count(0, REFRESH_PATH), 2);
  });
});

test('a refused refresh, or a second 100 right after refreshing, fails as JushuitanAuthError', async () => {
  await withSimulator({ world }, async (sim) => {
    sim.tokens.expire();
    sim.tokens.revoke({ refreshToken: sim.credentials.refreshToken });
    const refused = await failure(clientFor(sim).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(refused instanceof JushuitanAuthError);
    assert.match(refused.message, /refresh refused/);
    assertNoSecrets(sim, refused);
  });
  await withSimulator({ world, tokens: { expiresInSeconds: 0 } }, async (sim) => {
    const again = await failure(clientFor(sim).queryRefundPage({ ...WEEK, pageIndex: 1 }));
    assert.ok(again instanceof JushuitanAuthError && again.code === 100);
    assert.equal(sim.counters.calls(REFRESH_PATH), 1);
    assert.equal(sim.counters.count(100, QUERY_PATH), 2);
  });
});

test('the default throttle keeps a long run under the server limits: no 199/200 at all', async () => {
  const clock = new VirtualClock(Date.now());
  await withSimulator({ world, clock, rateLimits: REAL_SIM_LIMITS }, async (sim) => {
    const client = new JushuitanClient(configFor(sim, { limits: undefined, retry: undefined }), { clock });
    const start = clock.now();
    for (let i = 0; i < 130; i++) await client.queryRefundPage({ ...WEEK, pageIndex: (i % 3) + 1, pageSize: 10 });
    assert.equal(sim.counters.count(0), 130);
    assert.equal(sim.counters.count(199) + sim.counters.count(200), 0);
    assert.ok(clock.now() - start >= 60_000, 'the minute limit was in play');
  });
});

test('with the server limits lowered, the client backs off on 199/200 and still reads everything', async () => {
  const clock = new VirtualClock(Date.now());
  await withSimulator({ world, clock, rateLimits: { perSecond: 2, perMinute: 12 } }, async (sim) => {
    const client = new JushuitanClient(configFor(sim, { limits: undefined, retry: undefined }), { clock });
    const seen = new Set<string>();
    for await (const r of iterateRefunds(client, { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-21T00:00:00Z'), pageSize: 5 })) seen.add(r.as_id);
    assert.equal(seen.size, world.refunds.length);
    assert.ok(sim.counters.count(199) > 0, 'the per-second limit was hit');
    assert.ok(sim.counters.count(200) > 0, 'the per-minute limit was hit');
  });
});

test('nested items[].batchs[] from the server arrive flattened at record level', async () => {
  await withSimulator({ world }, async (sim) => {
    const withBatches = world.refunds.find((r) => r.batchs.length > 0)!;
    const nested = {
      ...withBatches,
      batchs: undefined,
      items: withBatches.items.map((item) => ({
        ...item,
        batchs: withBatches.batchs.filter((b) => b.sku_id === item.sku_id).map(({ sku_id: _sku, ...b }) => b),
      })),
    };
    sim.store.replace([nested]);
    const page = await clientFor(sim).queryRefundPage({ modifiedBegin: withBatches.modified, modifiedEnd: withBatches.modified, pageIndex: 1 });
    assert.deepEqual(
      page.records[0]!.batchs.map((b) => [b.sku_id, b.batch_no, b.qty]),
      withBatches.batchs.map((b) => [b.sku_id, b.batch_no, b.qty]),
    );
  });
});

test('config from the environment names every missing variable and never echoes values', () => {
  assert.throws(() => jushuitanConfigFromEnv({ JST_APP_KEY: 'k' }), /JST_BASE_URL, JST_APP_SECRET, JST_ACCESS_TOKEN/);
  const config = jushuitanConfigFromEnv({
    JST_BASE_URL: 'http://127.0.0.1:1/', JST_APP_KEY: 'k', JST_APP_SECRET: 's', JST_ACCESS_TOKEN: 't', JST_RATE_PER_SECOND: '3',
  });
  assert.equal(config.baseUrl, 'http://127.0.0.1:1');
  assert.equal(config.refreshToken, undefined);
  assert.deepEqual([config.limits.perSecond, config.limits.perMinute], [3, 100]);
  assert.throws(() => jushuitanConfigFromEnv({ JST_BASE_URL: 'not a url', JST_APP_KEY: 'k', JST_APP_SECRET: 'sss-secret', JST_ACCESS_TOKEN: 't' }), (err: Error) =>
    /baseUrl/.test(err.message) && !err.message.includes('sss-secret'));
});
