// Bad configuration: every variable of every config function, set to something wrong, gives an error that
// names the variable (and, for secrets, never echoes the value). One table per config function.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { alertConfigFromEnv } from '../../src/alerts';
import { codecConfigFromEnv } from '../../src/config/codec-config';
import { syncConfigFromEnv } from '../../src/config/sync-config';
import { jushuitanConfigFromEnv } from '../../src/connectors/jushuitan';
import { kingdeeConfigFromEnv } from '../../src/connectors/kingdee';

type Case = [variable: string, value: string, message: RegExp];

function expectError(run: () => unknown, variable: string, value: string, message: RegExp): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof Error);
    assert.ok(err.message.includes(variable), `names ${variable}: ${err.message}`);
    assert.match(err.message, message);
    // Secrets, and URLs (webhook URLs carry tokens), are never echoed; other values may be quoted for clarity.
    if (/SECRET|PASSWORD|TOKEN|KEYS|URL/.test(variable) && value.length >= 4) {
      assert.ok(!err.message.includes(value), `does not echo the value of ${variable}: ${err.message}`);
    }
    return true;
  });
}

describe('jushuitanConfigFromEnv', () => {
  const good = { JST_BASE_URL: 'https://openapi.jushuitan.com', JST_APP_KEY: 'app-key-1', JST_APP_SECRET: 'app-secret-1', JST_ACCESS_TOKEN: 'access-1' };
  const cases: Case[] = [
    ['JST_BASE_URL', 'not-a-url-secret', /JST_BASE_URL \(baseUrl\): Invalid URL/],
    ['JST_APP_KEY', '', /missing environment variable\(s\) for Jushuitan: JST_APP_KEY/],
    ['JST_APP_SECRET', '', /missing .*JST_APP_SECRET/],
    ['JST_ACCESS_TOKEN', '', /missing .*JST_ACCESS_TOKEN/],
    ['JST_RATE_PER_SECOND', 'fast', /JST_RATE_PER_SECOND must be a number/],
    ['JST_RATE_PER_MINUTE', '-5', /JST_RATE_PER_MINUTE \(limits.perMinute\): Too small/],
    ['JST_TIMEOUT_MS', '1.5', /JST_TIMEOUT_MS \(timeoutMs\): .*int/],
    ['JST_MAX_ATTEMPTS', '0', /JST_MAX_ATTEMPTS \(retry.maxAttempts\): Too small/],
  ];
  for (const [variable, value, message] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => expectError(() => jushuitanConfigFromEnv({ ...good, [variable]: value }), variable, value, message));
  }
  test('a good set parses, the refresh token is optional', () => assert.equal(jushuitanConfigFromEnv(good).refreshToken, undefined));
});

describe('kingdeeConfigFromEnv', () => {
  const good = { KINGDEE_BASE_URL: 'http://erp.example.com/k3cloud/', KINGDEE_ACCT_ID: 'acct', KINGDEE_USERNAME: 'user', KINGDEE_PASSWORD: 'pw-secret-1' };
  const cases: Case[] = [
    ['KINGDEE_BASE_URL', 'ftp://erp.example.com', /KINGDEE_BASE_URL: Invalid URL/],
    ['KINGDEE_ACCT_ID', '', /missing KINGDEE_ACCT_ID/],
    ['KINGDEE_USERNAME', '', /missing KINGDEE_USERNAME/],
    ['KINGDEE_PASSWORD', '', /missing KINGDEE_PASSWORD/],
    ['KINGDEE_LCID', 'zh-CN', /KINGDEE_LCID must be an integer/],
    ['KINGDEE_ORG_NUM', '-1', /KINGDEE_ORG_NUM: Too small/],
    ['KINGDEE_AUTH_MODE', 'magic', /KINGDEE_AUTH_MODE: Invalid option/],
    ['KINGDEE_SIGN_ALGORITHM', 'md5', /KINGDEE_SIGN_ALGORITHM: Invalid option/],
    ['KINGDEE_MAX_CONCURRENCY', '0', /KINGDEE_MAX_CONCURRENCY: Too small/],
    ['KINGDEE_TIMEOUT_MS', 'soon', /KINGDEE_TIMEOUT_MS must be an integer/],
  ];
  for (const [variable, value, message] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => expectError(() => kingdeeConfigFromEnv({ ...good, [variable]: value }), variable, value, message));
  }
  test('KINGDEE_APP_ID and KINGDEE_APP_SECRET are named when an app mode needs them', () => {
    for (const variable of ['KINGDEE_APP_ID', 'KINGDEE_APP_SECRET']) {
      expectError(() => kingdeeConfigFromEnv({ ...good, KINGDEE_AUTH_MODE: 'app-secret' }), variable, '', /\(KINGDEE_AUTH_MODE=app-secret\)/);
    }
  });
});

describe('syncConfigFromEnv', () => {
  const cases: Case[] = [
    ['ERP_BRIDGE_SCHEME', '', /ERP_BRIDGE_SCHEME: is empty; .*for example ERP_BRIDGE_SCHEME=jst-refund-to-sales-return/],
    ['ERP_BRIDGE_TASK_QUEUE', '', /ERP_BRIDGE_TASK_QUEUE: is empty; .*for example ERP_BRIDGE_TASK_QUEUE=/],
    ['ERP_BRIDGE_POLL_EVERY', 'often', /ERP_BRIDGE_POLL_EVERY="often": not a duration .*for example ERP_BRIDGE_POLL_EVERY=5m/],
    ['ERP_BRIDGE_POLL_EVERY', '5', /ERP_BRIDGE_POLL_EVERY="5": a duration needs a unit .*5 milliseconds; for example ERP_BRIDGE_POLL_EVERY=5m/],
    ['ERP_BRIDGE_POLL_EVERY', '2s', /ERP_BRIDGE_POLL_EVERY="2s": at least 10s is needed; for example ERP_BRIDGE_POLL_EVERY=5m/],
    ['ERP_BRIDGE_POLL_CRON', '', /ERP_BRIDGE_POLL_CRON: is empty; .*for example ERP_BRIDGE_POLL_CRON=/],
    ['ERP_BRIDGE_LOOKBACK', 'a while', /ERP_BRIDGE_LOOKBACK="a while": not a duration.*for example ERP_BRIDGE_LOOKBACK=24h/],
    ['ERP_BRIDGE_OVERLAP', '-1m', /ERP_BRIDGE_OVERLAP="-1m": not a duration.*ERP_BRIDGE_OVERLAP=10m/],
    ['ERP_BRIDGE_LAG', 'lag', /ERP_BRIDGE_LAG="lag": not a duration.*ERP_BRIDGE_LAG=1m/],
    ['ERP_BRIDGE_CATCHUP_WINDOW', 'forever', /ERP_BRIDGE_CATCHUP_WINDOW="forever": not a duration.*ERP_BRIDGE_CATCHUP_WINDOW=24h/],
    ['ERP_BRIDGE_MAX_ACTIVITIES', '0', /ERP_BRIDGE_MAX_ACTIVITIES must be at least 1, for example ERP_BRIDGE_MAX_ACTIVITIES=50/],
    ['ERP_BRIDGE_MAX_WORKFLOW_TASKS', '2.5', /ERP_BRIDGE_MAX_WORKFLOW_TASKS must be a whole number, for example ERP_BRIDGE_MAX_WORKFLOW_TASKS=40/],
  ];
  for (const [variable, value, message] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => expectError(() => syncConfigFromEnv({ [variable]: value }), variable, value, message));
  }
});

describe('alertConfigFromEnv', () => {
  const cases: Case[] = [
    ['ERP_BRIDGE_ALERT_DINGTALK_URL', 'oapi.dingtalk.com/robot?access_token=tok-secret', /ERP_BRIDGE_ALERT_DINGTALK_URL: must be an http\(s\) URL/],
    ['ERP_BRIDGE_ALERT_DINGTALK_SECRET', 'SECdingtalk-secret', /ERP_BRIDGE_ALERT_DINGTALK_SECRET is set without ERP_BRIDGE_ALERT_DINGTALK_URL/],
    ['ERP_BRIDGE_ALERT_WECOM_URL', 'ftp://qyapi.weixin.qq.com?key=wecom-secret', /ERP_BRIDGE_ALERT_WECOM_URL: must be an http\(s\) URL/],
    ['ERP_BRIDGE_ALERT_FEISHU_URL', 'open.feishu.cn/hook/feishu-secret', /ERP_BRIDGE_ALERT_FEISHU_URL: must be an http\(s\) URL/],
    ['ERP_BRIDGE_ALERT_FEISHU_SECRET', 'feishu-sign-secret', /ERP_BRIDGE_ALERT_FEISHU_SECRET is set without ERP_BRIDGE_ALERT_FEISHU_URL/],
    ['ERP_BRIDGE_ALERT_WEBHOOK_URL', 'hooks.example.com/webhook-secret', /ERP_BRIDGE_ALERT_WEBHOOK_URL: must be an http\(s\) URL/],
    ['ERP_BRIDGE_ALERT_GROUP_WINDOW', 'a bit', /ERP_BRIDGE_ALERT_GROUP_WINDOW: must be a duration/],
    ['ERP_BRIDGE_ALERT_MIN_INTERVAL', 'rarely', /ERP_BRIDGE_ALERT_MIN_INTERVAL: must be a duration/],
    ['ERP_BRIDGE_ALERT_MAX_LISTED', '1000', /ERP_BRIDGE_ALERT_MAX_LISTED: must be at most 100/],
    ['ERP_BRIDGE_ALERT_RETRIES', '-1', /ERP_BRIDGE_ALERT_RETRIES: must be 0 or more/],
  ];
  for (const [variable, value, message] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => expectError(() => alertConfigFromEnv({ [variable]: value }), variable, value, message));
  }
});

describe('codecConfigFromEnv', () => {
  const cases: Case[] = [
    ['ERP_BRIDGE_CODEC_KEYS', 'c2VjcmV0LWtleS1tYXRlcmlhbA==', /ERP_BRIDGE_CODEC_KEYS: entry 1: expected keyId:base64Key/],
    ['ERP_BRIDGE_CODEC_CORS_ORIGINS', 'localhost:8233/ui', /ERP_BRIDGE_CODEC_CORS_ORIGINS: .* is not an origin/],
  ];
  for (const [variable, value, message] of cases) {
    test(`${variable}=${JSON.stringify(value)}`, () => expectError(() => codecConfigFromEnv({ [variable]: value }), variable, value, message));
  }
});
