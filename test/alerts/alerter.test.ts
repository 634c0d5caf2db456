import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, beforeEach, test } from 'node:test';
import { z } from 'zod';
import { createAlerter, DEFAULT_ALERT_PACING, type AlertConfig, type ChannelConfig } from '../../src/alerts';
import { createJsonLogger, silentLogger } from '../../src/lib/logger';
import { captureLines, FakeClock, WebhookReceiver } from './support';

// The documented payload shapes (required keys and types), strict at the top level so a misspelt key fails.
const DingTalkMarkdown = z.strictObject({
  msgtype: z.literal('markdown'),
  markdown: z.object({ title: z.string().min(1), text: z.string().min(1) }),
});
const WeComMarkdown = z.strictObject({
  msgtype: z.literal('markdown'),
  markdown: z.object({ content: z.string().min(1).refine((s) => Buffer.byteLength(s, 'utf8') <= 4096, 'content over 4096 bytes') }),
});
const FeishuPost = z.strictObject({
  timestamp: z.string().regex(/^\d{10}$/).optional(),
  sign: z.string().min(1).optional(),
  msg_type: z.literal('post'),
  content: z.object({
    post: z.object({
      zh_cn: z.object({
        title: z.string().min(1),
        content: z.array(z.array(z.object({ tag: z.literal('text'), text: z.string() }))).min(1),
      }),
    }),
  }),
});
const GenericDigest = z.object({
  source: z.literal('erp-bridge'),
  type: z.literal('alert.digest'),
  title: z.string(),
  text: z.string(),
  window: z.object({ from: z.iso.datetime(), to: z.iso.datetime() }),
  parked: z.object({
    total: z.number().int(),
    unlisted: z.number().int(),
    byReason: z.array(z.object({ reason: z.string(), count: z.number().int() })),
    byScheme: z.record(z.string(), z.number().int()),
    listed: z.array(z.object({ asId: z.string(), schemeId: z.string(), step: z.string(), reason: z.string(), workflowId: z.string() })),
  }),
  failingSchemes: z.array(z.object({ schemeId: z.string(), failures: z.number().int(), lastReason: z.string() })),
});

const DING_SECRET = 'SEC0123456789abcdef-ding';
const FEISHU_SECRET = 'feishu-secret-+/=xyz';
const T0 = Date.UTC(2026, 0, 21, 2, 0, 0, 123); // 10:00:00.123 Beijing time

let receiver: WebhookReceiver;
before(async () => {
  receiver = await WebhookReceiver.start();
});
after(async () => {
  await receiver.close();
});
beforeEach(() => {
  receiver.requests.length = 0;
  receiver.respond = (req) => (req.path.startsWith('/feishu') ? { status: 200, body: { code: 0, msg: 'success', data: {} } } : { status: 200, body: { errcode: 0, errmsg: 'ok' } });
});

function channels(): ChannelConfig[] {
  return [
    { kind: 'dingtalk', url: `${receiver.baseUrl}/dingtalk/robot/send?access_token=ding-token-1`, secret: DING_SECRET },
    { kind: 'wecom', url: `${receiver.baseUrl}/wecom/cgi-bin/webhook/send?key=wecom-key-1` },
    { kind: 'feishu', url: `${receiver.baseUrl}/feishu/open-apis/bot/v2/hook/feishu-hook-1`, secret: FEISHU_SECRET },
    { kind: 'webhook', url: `${receiver.baseUrl}/webhook/erp` },
  ];
}

function config(over: Partial<AlertConfig> = {}): AlertConfig {
  return { ...DEFAULT_ALERT_PACING, channels: channels(), ...over };
}

const park = (i: number, reason = 'customer not found in Kingdee') => ({
  asId: String(5_000_000 + i),
  schemeId: 'jst-refund-to-sales-return',
  step: 'save',
  reason,
  workflowId: `jst-refund-${5_000_000 + i}`,
});

test('each platform gets its documented payload; DingTalk and Feishu signatures verify', async () => {
  const clock = new FakeClock(T0);
  const alerter = createAlerter(config(), silentLogger, { clock });
  alerter.refundParked(park(1));
  alerter.refundParked(park(2, 'material SKU-9 not found'));
  alerter.schemeFailing({ schemeId: 'jst-refund-to-sales-return', failures: 4, lastReason: 'Kingdee login failed' });
  clock.advance(60_000);
  await alerter.flush();
  const sentAt = T0 + 60_000;

  const [ding] = receiver.on('/dingtalk');
  assert.ok(ding, 'DingTalk received a message');
  const dingBody = DingTalkMarkdown.parse(ding.body);
  assert.match(dingBody.markdown.title, /2 refunds parked, 1 scheme failing/);
  assert.match(dingBody.markdown.text, /as_id 5000001 · save · customer not found in Kingdee/);
  assert.match(dingBody.markdown.text, /Kingdee login failed/);
  assert.equal(ding.query.get('access_token'), 'ding-token-1', 'the original query is kept');
  assert.equal(ding.query.get('timestamp'), String(sentAt), 'DingTalk timestamp is in milliseconds');
  const expectedDing = createHmac('sha256', DING_SECRET).update(`${sentAt}\n${DING_SECRET}`).digest('base64');
  assert.equal(ding.query.get('sign'), expectedDing);
  assert.match(ding.rawQuery, /&sign=[A-Za-z0-9%]+$/, 'the Base64 sign is URL-encoded on the wire');
  assert.equal(ding.headers['content-type'], 'application/json; charset=utf-8');

  const [wecom] = receiver.on('/wecom');
  assert.ok(wecom, 'WeCom received a message');
  const wecomBody = WeComMarkdown.parse(wecom.body);
  assert.match(wecomBody.markdown.content, /- 1 × material SKU-9 not found/);

  const [feishu] = receiver.on('/feishu');
  assert.ok(feishu, 'Feishu received a message');
  const feishuBody = FeishuPost.parse(feishu.body);
  const seconds = Math.floor(sentAt / 1000);
  assert.equal(feishuBody.timestamp, String(seconds), 'Feishu timestamp is in seconds');
  const expectedFeishu = createHmac('sha256', `${seconds}\n${FEISHU_SECRET}`).update('').digest('base64');
  assert.equal(feishuBody.sign, expectedFeishu);
  const feishuText = feishuBody.content.post.zh_cn.content.map((p) => p.map((e) => e.text).join('')).join('\n');
  assert.match(feishuText, /as_id 5000002 · save · material SKU-9 not found/);
  assert.doesNotMatch(feishuText, /\*\*/, 'no Markdown markers in a Feishu post');

  const [hook] = receiver.on('/webhook');
  assert.ok(hook, 'the generic webhook received a message');
  const digest = GenericDigest.parse(hook.body);
  assert.equal(digest.parked.total, 2);
  assert.deepEqual(digest.failingSchemes, [{ schemeId: 'jst-refund-to-sales-return', failures: 4, lastReason: 'Kingdee login failed' }]);
  assert.equal(digest.window.from, new Date(T0).toISOString());
  assert.equal(digest.window.to, new Date(sentAt).toISOString());
  assert.equal(alerter.stats().delivered, 4);
});

test('unsigned DingTalk and Feishu robots get no signature', async () => {
  const clock = new FakeClock(T0);
  const alerter = createAlerter(config({ channels: channels().filter((c) => c.kind === 'dingtalk' || c.kind === 'feishu').map((c) => ({ ...c, secret: undefined })) }), silentLogger, { clock });
  alerter.refundParked(park(1));
  await alerter.flush();
  const [ding] = receiver.on('/dingtalk');
  const [feishu] = receiver.on('/feishu');
  assert.ok(ding && feishu);
  assert.equal(ding.query.get('sign'), null);
  const body = FeishuPost.parse(feishu.body);
  assert.equal(body.sign, undefined);
  assert.equal(body.timestamp, undefined);
});

test('100 parks in one window become one message per channel, with counts by reason and the first N as_ids', async () => {
  const clock = new FakeClock(T0);
  const alerter = createAlerter(config({ maxListed: 10 }), silentLogger, { clock });
  for (let i = 0; i < 100; i++) {
    alerter.refundParked(park(i, i % 5 < 3 ? 'customer not found in Kingdee' : 'Kingdee save failed: 单据编号重复'));
    clock.advance(500); // spread over 50 s, all inside the 60 s window
  }
  alerter.refundParked(park(7)); // an activity retry reports the same refund again: counted once
  assert.equal(clock.pending, 4, 'one window timer per channel, nothing sent yet');
  await new Promise((r) => setImmediate(r));
  assert.equal(receiver.requests.length, 0);

  clock.advance(10_000);
  await alerter.flush();
  assert.equal(receiver.requests.length, 4, 'one message per channel');
  const digest = GenericDigest.parse(receiver.on('/webhook')[0]?.body);
  assert.equal(digest.parked.total, 100);
  assert.deepEqual(digest.parked.byReason, [
    { reason: 'customer not found in Kingdee', count: 60 },
    { reason: 'Kingdee save failed: 单据编号重复', count: 40 },
  ]);
  assert.deepEqual(digest.parked.byScheme, { 'jst-refund-to-sales-return': 100 });
  assert.deepEqual(digest.parked.listed.map((p) => p.asId), Array.from({ length: 10 }, (_, i) => String(5_000_000 + i)));
  assert.equal(digest.parked.unlisted, 90);
  const ding = DingTalkMarkdown.parse(receiver.on('/dingtalk')[0]?.body);
  assert.match(ding.markdown.text, /- 60 × customer not found in Kingdee/);
  assert.match(ding.markdown.text, /- 40 × Kingdee save failed: 单据编号重复/);
  assert.match(ding.markdown.text, /First 10 of 100/);
  assert.match(ding.markdown.text, /… and 90 more/);
});

test('WeCom markdown stays within 4096 bytes however many reasons there are', async () => {
  const clock = new FakeClock(T0);
  const alerter = createAlerter(config({ channels: channels().filter((c) => c.kind === 'wecom'), maxListed: 50 }), silentLogger, { clock });
  for (let i = 0; i < 200; i++) alerter.refundParked(park(i, `物料 ${'长'.repeat(60)} ${i} 在金蝶中不存在，请先维护物料档案再重新处理`));
  await alerter.flush();
  const body = WeComMarkdown.parse(receiver.on('/wecom')[0]?.body); // the schema checks the byte limit
  assert.match(body.markdown.content, /200 refunds parked/);
});

test('a channel sends at most one message per minimum interval; what arrives meanwhile joins the next one', async () => {
  const clock = new FakeClock(T0);
  const alerter = createAlerter(config({ channels: channels().filter((c) => c.kind === 'webhook'), groupWindowMs: 60_000, minIntervalMs: 300_000 }), silentLogger, { clock });
  // flush() with nothing pending only waits for deliveries in flight.
  const delivered = async () => {
    await alerter.flush();
    return receiver.requests.length;
  };

  alerter.refundParked(park(1));
  clock.advance(60_000); // first message at T0+60s
  assert.equal(await delivered(), 1);
  alerter.refundParked(park(2)); // at T0+60s: its window would end at T0+120s, the interval at T0+360s
  clock.advance(30_000);
  alerter.refundParked(park(3));
  clock.advance(269_999); // T0+359.999s
  assert.equal(clock.pending, 1, 'the second message is still held back');
  clock.advance(1); // T0+360s
  assert.equal(clock.pending, 0);
  assert.equal(await delivered(), 2);
  const second = GenericDigest.parse(receiver.requests[1]?.body);
  assert.deepEqual(second.parked.listed.map((p) => p.asId), ['5000002', '5000003']);
  assert.equal(second.window.to, new Date(T0 + 360_000).toISOString());
});

test('a failing delivery is retried a bounded number of times, then logged and dropped without throwing', async () => {
  const clock = new FakeClock(T0);
  const log = captureLines();
  const delays: number[] = [];
  receiver.respond = () => ({ status: 200, body: { errcode: 310000, errmsg: 'sign not match' } });
  const alerter = createAlerter(config({ channels: channels().filter((c) => c.kind === 'dingtalk'), retries: 2, retryDelayMs: 1000 }), createJsonLogger({ write: log.write, now: () => new Date(clock.now()) }), {
    clock,
    sleep: async (ms) => {
      delays.push(ms);
      clock.advance(ms);
    },
  });
  assert.doesNotThrow(() => alerter.refundParked(park(1)));
  await alerter.flush(); // resolves: delivery failures never reach the caller
  assert.equal(receiver.requests.length, 3, 'one attempt plus two retries');
  assert.deepEqual(delays, [1000, 2000], 'exponential backoff between attempts');
  const signs = receiver.requests.map((r) => r.query.get('timestamp'));
  assert.equal(new Set(signs).size, 3, 'each attempt is signed afresh');
  assert.deepEqual(alerter.stats(), { accepted: 1, delivered: 0, dropped: 1, attempts: 3 });

  const lines = log.parsed();
  const givenUp = lines.find((l) => l.msg === 'alert not delivered; giving up');
  assert.ok(givenUp, 'the drop is logged');
  assert.equal(givenUp.level, 'error');
  assert.match(String(givenUp.problem), /310000: sign not match/);
  const all = log.lines.join('\n');
  assert.doesNotMatch(all, /ding-token-1/, 'the webhook token is never logged');
  assert.doesNotMatch(all, new RegExp(DING_SECRET), 'the signing secret is never logged');
});

test('a transient failure then success delivers once; a throwing sender is contained and scrubbed from logs', async () => {
  const clock = new FakeClock(T0);
  let calls = 0;
  receiver.respond = () => (++calls < 3 ? { status: 503, body: { error: 'busy' } } : { status: 200, body: { errcode: 0, errmsg: 'ok' } });
  const flaky = createAlerter(config({ channels: channels().filter((c) => c.kind === 'wecom'), retries: 3 }), silentLogger, { clock, sleep: async () => {} });
  flaky.refundParked(park(1));
  await flaky.flush();
  assert.deepEqual(flaky.stats(), { accepted: 1, delivered: 1, dropped: 0, attempts: 3 });

  const log = captureLines();
  const wecom = channels().find((c) => c.kind === 'wecom')!;
  const throwing = createAlerter(config({ channels: [wecom], retries: 1 }), createJsonLogger({ write: log.write }), {
    clock,
    sleep: async () => {},
    send: async (req) => {
      throw Object.assign(new Error(`connect ECONNREFUSED for ${req.url}`), { code: 'ECONNREFUSED' });
    },
  });
  throwing.refundParked(park(2));
  await throwing.close();
  assert.deepEqual(throwing.stats(), { accepted: 1, delivered: 0, dropped: 1, attempts: 2 });
  assert.match(log.lines.join('\n'), /ECONNREFUSED/);
  assert.doesNotMatch(log.lines.join('\n'), /wecom-key-1/);
  throwing.refundParked(park(3)); // after close: ignored, not thrown
  assert.equal(throwing.stats().accepted, 1);
});

test('no channels configured: events are accepted and nothing is sent', async () => {
  const alerter = createAlerter(config({ channels: [] }), silentLogger, { clock: new FakeClock(T0) });
  alerter.refundParked(park(1));
  await alerter.close();
  assert.equal(receiver.requests.length, 0);
});

test('invalid events are logged and ignored rather than thrown', async () => {
  const log = captureLines();
  const alerter = createAlerter(config({ channels: channels().filter((c) => c.kind === 'webhook') }), createJsonLogger({ write: log.write }), { clock: new FakeClock(T0) });
  assert.doesNotThrow(() => alerter.refundParked({ asId: '', schemeId: '', step: 'save', reason: 'x', workflowId: 'w' }));
  await alerter.flush();
  assert.equal(receiver.requests.length, 0);
  assert.equal(log.parsed()[0]?.msg, 'invalid refundParked alert ignored');
});
