import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertConfigFromEnv, AlertConfigError, DEFAULT_ALERT_PACING, describeAlertConfig } from '../../src/alerts';

test('no alert variables: no channels, default pacing', () => {
  const config = alertConfigFromEnv({ PATH: '/usr/bin' });
  assert.deepEqual(config.channels, []);
  assert.equal(config.groupWindowMs, DEFAULT_ALERT_PACING.groupWindowMs);
  assert.equal(config.minIntervalMs, DEFAULT_ALERT_PACING.minIntervalMs);
});

test('every channel and the pacing are read from ERP_BRIDGE_ALERT_*', () => {
  const config = alertConfigFromEnv({
    ERP_BRIDGE_ALERT_DINGTALK_URL: 'https://oapi.dingtalk.com/robot/send?access_token=abc',
    ERP_BRIDGE_ALERT_DINGTALK_SECRET: 'SECxyz',
    ERP_BRIDGE_ALERT_WECOM_URL: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k1',
    ERP_BRIDGE_ALERT_FEISHU_URL: 'https://open.feishu.cn/open-apis/bot/v2/hook/h1',
    ERP_BRIDGE_ALERT_FEISHU_SECRET: 'fs',
    ERP_BRIDGE_ALERT_WEBHOOK_URL: 'http://127.0.0.1:9000/hook',
    ERP_BRIDGE_ALERT_GROUP_WINDOW: '90s',
    ERP_BRIDGE_ALERT_MIN_INTERVAL: '15m',
    ERP_BRIDGE_ALERT_MAX_LISTED: '5',
    ERP_BRIDGE_ALERT_RETRIES: '2',
  });
  assert.deepEqual(config.channels.map((c) => c.kind), ['dingtalk', 'wecom', 'feishu', 'webhook']);
  assert.deepEqual(config.channels[0], { kind: 'dingtalk', url: 'https://oapi.dingtalk.com/robot/send?access_token=abc', secret: 'SECxyz' });
  assert.equal(config.groupWindowMs, 90_000);
  assert.equal(config.minIntervalMs, 900_000);
  assert.equal(config.maxListed, 5);
  assert.equal(config.retries, 2);
  const described = JSON.stringify(describeAlertConfig(config));
  assert.match(described, /oapi\.dingtalk\.com/);
  for (const secret of ['access_token=abc', 'SECxyz', 'key=k1', 'hook/h1', '"fs"']) assert.ok(!described.includes(secret), `${secret} not described`);
});

test('empty variables count as unset', () => {
  assert.deepEqual(alertConfigFromEnv({ ERP_BRIDGE_ALERT_WECOM_URL: '', ERP_BRIDGE_ALERT_GROUP_WINDOW: ' ' }).channels, []);
});

test('bad values are reported by variable name, never with the value', () => {
  const secretish = 'not a url but a leaked token 123';
  assert.throws(
    () => alertConfigFromEnv({ ERP_BRIDGE_ALERT_DINGTALK_URL: secretish, ERP_BRIDGE_ALERT_GROUP_WINDOW: 'soon' }),
    (err: unknown) => {
      assert.ok(err instanceof AlertConfigError);
      assert.match(err.message, /ERP_BRIDGE_ALERT_DINGTALK_URL/);
      assert.match(err.message, /ERP_BRIDGE_ALERT_GROUP_WINDOW: must be a duration/);
      assert.ok(!err.message.includes(secretish));
      return true;
    },
  );
  assert.throws(() => alertConfigFromEnv({ ERP_BRIDGE_ALERT_FEISHU_SECRET: 's' }), /FEISHU_SECRET is set without ERP_BRIDGE_ALERT_FEISHU_URL/);
  assert.throws(() => alertConfigFromEnv({ ERP_BRIDGE_ALERT_WEBHOOK_URL: 'ftp://example.com/x' }), /ERP_BRIDGE_ALERT_WEBHOOK_URL/);
});
