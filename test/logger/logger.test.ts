import assert from 'node:assert/strict';
import { test } from 'node:test';
import { log as activityLog } from '@temporalio/activity';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createJsonLogger, isSecretKey, parseLogLevel, redact, redactText, temporalLogger, type LogLevel } from '../../src/lib/logger';

function capture(level?: LogLevel) {
  const lines: string[] = [];
  const logger = createJsonLogger({ level, write: (l) => lines.push(l), now: () => new Date(Date.UTC(2026, 0, 21, 2, 0, 0)) });
  return { logger, lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('one JSON object per line: ts, level, msg first, then the fields', () => {
  const { logger, lines } = capture();
  logger.info('refund synced', { asId: '5000123', billNo: 'AS5000123' });
  assert.equal(lines.length, 1);
  assert.ok(!lines[0]!.includes('\n'));
  assert.equal(lines[0], '{"ts":"2026-01-21T02:00:00.000Z","level":"info","msg":"refund synced","asId":"5000123","billNo":"AS5000123"}');
});

test('lines below the level are dropped; bad level names are rejected', () => {
  const { logger, parsed } = capture('warn');
  logger.debug('noise');
  logger.info('noise');
  logger.warn('kept');
  logger.error('kept too');
  assert.deepEqual(parsed().map((l) => l.level), ['warn', 'error']);
  assert.equal(parseLogLevel('DEBUG'), 'debug');
  assert.equal(parseLogLevel(undefined), 'info');
  assert.throws(() => parseLogLevel('loud'), /log level must be one of/);
});

test('child loggers carry their fields on every line, nested children add more', () => {
  const { logger, parsed } = capture();
  const refund = logger.child({ asId: '5000123', workflowId: 'jst-refund-5000123' });
  refund.info('saving');
  refund.child({ step: 'audit' }).warn('audit failed', { attempt: 2 });
  logger.info('unrelated');
  const [a, b, c] = parsed();
  assert.deepEqual({ asId: a!.asId, workflowId: a!.workflowId }, { asId: '5000123', workflowId: 'jst-refund-5000123' });
  assert.deepEqual({ asId: b!.asId, step: b!.step, attempt: b!.attempt }, { asId: '5000123', step: 'audit', attempt: 2 });
  assert.equal(c!.asId, undefined);
});

test('fields cannot overwrite ts, level or msg', () => {
  const { logger, parsed } = capture();
  logger.info('real message', { msg: 'fake', level: 'error', ts: 'yesterday' });
  assert.deepEqual(parsed()[0], { ts: '2026-01-21T02:00:00.000Z', level: 'info', msg: 'real message' });
});

test('secret-bearing keys are dropped at any depth; ordinary keys survive', () => {
  const meta = {
    asId: '5000123',
    password: 'p1', KINGDEE_PASSWORD: 'p2', secret: 's1', appSecret: 's2', app_secret: 's3', JST_APP_SECRET: 's4',
    token: 't1', access_token: 't2', accessToken: 't3', refresh_token: 't4', sign: 'g1', signature: 'g2',
    authorization: 'Bearer x', Cookie: 'kdservice-sessionid=abc',
    request: { headers: { Authorization: 'Basic y', 'content-type': 'application/json' }, body: { app_key: 'k', sign: 'g3', biz: { as_id: 1 } } },
    list: [{ password: 'p3', name: 'ok' }],
    signal: 'reprocess', assignee: 'ops', design: 'x', reason: 'customer not found',
  };
  const out = JSON.stringify(redact(meta));
  for (const secret of ['p1', 'p2', 's1', 's2', 's3', 's4', 't1', 't2', 't3', 't4', 'g1', 'g2', 'g3', 'Bearer x', 'Basic y', 'kdservice-sessionid', '"p3"']) {
    assert.ok(!out.includes(secret), `${secret} must not survive redaction: ${out}`);
  }
  const kept = redact(meta) as Record<string, unknown>;
  assert.deepEqual(
    { asId: kept.asId, signal: kept.signal, assignee: kept.assignee, design: kept.design, reason: kept.reason },
    { asId: '5000123', signal: 'reprocess', assignee: 'ops', design: 'x', reason: 'customer not found' },
  );
  assert.deepEqual(kept.request, { headers: { 'content-type': 'application/json' }, body: { app_key: 'k', biz: { as_id: 1 } } });
  assert.deepEqual(kept.list, [{ name: 'ok' }]);
  assert.equal(isSecretKey('app-secret'), true);
  assert.equal(isSecretKey('signal'), false);
});

test('credential query parameters are masked inside strings and messages', () => {
  assert.equal(
    redactText('POST https://oapi.dingtalk.com/robot/send?access_token=abc123&timestamp=1&sign=xyz%2B failed'),
    'POST https://oapi.dingtalk.com/robot/send?access_token=[redacted]&timestamp=1&sign=[redacted] failed',
  );
  const { logger, lines } = capture();
  logger.error('send to https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=wk-1 failed', { url: 'https://x/y?token=tk-1&a=1' });
  assert.ok(!lines[0]!.includes('wk-1') && !lines[0]!.includes('tk-1'), lines[0]);
});

test('errors, dates, bigints and cycles become plain JSON', () => {
  const { logger, parsed } = capture();
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic.self = cyclic;
  const err = Object.assign(new Error('login failed for https://k/?password=hunter2'), { code: 'E_LOGIN', password: 'hunter2' });
  logger.error('boom', { err, at: new Date(0), big: 10n, cyclic, fn: () => 1 });
  const line = parsed()[0]!;
  const e = line.err as Record<string, unknown>;
  assert.equal(e.name, 'Error');
  assert.equal(e.code, 'E_LOGIN');
  assert.match(String(e.message), /password=\[redacted\]/);
  assert.ok(!JSON.stringify(line).includes('hunter2'));
  assert.equal(line.at, '1970-01-01T00:00:00.000Z');
  assert.equal(line.big, '10');
  assert.deepEqual(line.cyclic, { name: 'loop', self: '[circular]' });
  assert.equal('fn' in line, false);
});

test("Temporal's Logger interface: levels map, symbol keys are skipped, refund workflows get their asId", () => {
  const { logger, parsed } = capture('trace');
  const t = temporalLogger(logger);
  t.info('Workflow started', { workflowId: 'jst-refund-5000123', runId: 'r1', sdkComponent: 'workflow', [Symbol('ts')]: 1n });
  t.log('WARN', 'core says', { sdkComponent: 'core' });
  t.trace('tiny');
  t.debug('small');
  t.error('bad', { workflowId: 'poll-refunds', secret: 'nope' });
  const lines = parsed();
  assert.deepEqual(lines.map((l) => l.level), ['info', 'warn', 'trace', 'debug', 'error']);
  assert.deepEqual(lines[0], { ts: '2026-01-21T02:00:00.000Z', level: 'info', msg: 'Workflow started', workflowId: 'jst-refund-5000123', runId: 'r1', sdkComponent: 'workflow', asId: '5000123' });
  assert.equal(lines[4]!.asId, undefined);
  assert.equal(lines[4]!.secret, undefined);
});

test('activity logs (log from @temporalio/activity) come out as JSON with the workflow id and asId', async () => {
  const { logger, parsed } = capture();
  const env = new MockActivityEnvironment(
    { activityType: 'saveBill', workflowExecution: { workflowId: 'jst-refund-5000777', runId: 'run-1' } },
    { logger: temporalLogger(logger) },
  );
  await env.run(async () => activityLog.info('bill saved', { billNo: 'AS5000777', app_secret: 'never' }));
  const line = parsed().find((l) => l.msg === 'bill saved');
  assert.ok(line, JSON.stringify(parsed()));
  assert.equal(line.workflowId, 'jst-refund-5000777');
  assert.equal(line.asId, '5000777');
  assert.equal(line.activityType, 'saveBill');
  assert.equal(line.billNo, 'AS5000777');
  assert.equal(line.app_secret, undefined);
});
