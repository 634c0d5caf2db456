// A stuck robot cannot hold the worker: a webhook that drips its reply is abandoned at the attempt's overall
// deadline and logged, and close() returns after its bounded wait even when a send never settles.
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { createAlerter, DEFAULT_ALERT_PACING, type AlertConfig } from '../../src/alerts';
import { createJsonLogger } from '../../src/lib/logger';
import { captureLines, FakeClock } from './support';

const park = { asId: '5000001', schemeId: 'jst-refund-to-sales-return', step: 'save', reason: 'x', workflowId: 'jst-refund-5000001' };

/** Answers 200 at once, then one byte of body every 100 ms, never finishing: undici's body timeout never fires. */
async function drippingWebhook(): Promise<{ url: string; stop: () => Promise<void> }> {
  const open = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer((req, res) => {
    req.resume();
    open.add(res);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{');
    const timer = setInterval(() => res.write(' '), 100);
    timers.add(timer);
    res.on('close', () => {
      clearInterval(timer);
      open.delete(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/wecom/cgi-bin/webhook/send?key=drip-key`,
    stop: async () => {
      for (const t of timers) clearInterval(t);
      for (const res of open) res.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

test('a dripping webhook is abandoned at its deadline, logged, and the flush returns', { timeout: 30_000 }, async () => {
  const hook = await drippingWebhook();
  const log = captureLines();
  const config: AlertConfig = { ...DEFAULT_ALERT_PACING, channels: [{ kind: 'wecom', url: hook.url }], timeoutMs: 800, retries: 1, retryDelayMs: 10 };
  const alerter = createAlerter(config, createJsonLogger({ write: log.write }));
  try {
    alerter.refundParked(park);
    await alerter.flush();
    assert.deepEqual(alerter.stats(), { accepted: 1, delivered: 0, dropped: 1, attempts: 2 });
    const lines = log.parsed();
    const retry = lines.find((l) => l.msg === 'alert delivery failed; retrying');
    const gaveUp = lines.find((l) => l.msg === 'alert not delivered; giving up');
    assert.match(String(retry?.problem), /no complete answer within 800 ms \(deadline\)/);
    assert.match(String(gaveUp?.problem), /deadline/);
    assert.doesNotMatch(log.lines.join('\n'), /drip-key/, 'the robot key is not logged');
  } finally {
    await alerter.close();
    await hook.stop();
  }
});

test('close() abandons a send that never settles after closeTimeoutMs, skips its retries and logs it', async () => {
  const clock = new FakeClock(Date.UTC(2026, 0, 21));
  const log = captureLines();
  let sends = 0;
  let sawAbort = false;
  const config: AlertConfig = { ...DEFAULT_ALERT_PACING, channels: [{ kind: 'webhook', url: 'http://127.0.0.1:9/hook' }], timeoutMs: 60_000, retries: 3 };
  const alerter = createAlerter(config, createJsonLogger({ write: log.write }), {
    clock,
    closeTimeoutMs: 2_000,
    sleep: async () => {},
    send: ({ signal }) => {
      sends++;
      signal?.addEventListener('abort', () => (sawAbort = true));
      return new Promise(() => {}); // a send that ignores everything, even the abort
    },
  });
  alerter.refundParked(park);
  const closing = alerter.close();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sends, 1, 'the pending digest was sent on close');
  clock.advance(2_000);
  await closing;
  assert.equal(sawAbort, true, 'the in-flight request was told to abort');
  assert.equal(sends, 1, 'no retry after shutdown');
  assert.deepEqual(alerter.stats(), { accepted: 1, delivered: 0, dropped: 1, attempts: 1 });
  const msgs = log.parsed().map((l) => l.msg);
  assert.ok(msgs.includes('alert deliveries still running at shutdown; abandoning them'), msgs.join(' | '));
  assert.ok(msgs.includes('alert abandoned at shutdown') || msgs.includes('alert not delivered; giving up'), msgs.join(' | '));
});
