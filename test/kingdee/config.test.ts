import assert from 'node:assert/strict';
import { test } from 'node:test';
import { KingdeeClient, KingdeeConfigError, kingdeeConfigFromEnv } from '../../src/connectors/kingdee';

const base = { KINGDEE_BASE_URL: 'http://erp.example.com/k3cloud', KINGDEE_ACCT_ID: '65a1b2c3d4e5f6', KINGDEE_USERNAME: 'demo' };

test('ValidateUser is the default mode; defaults fill lcid, concurrency and timeout; the base URL gets its slash', () => {
  const config = kingdeeConfigFromEnv({ ...base, KINGDEE_PASSWORD: 'pw' });
  assert.equal(config.authMode, 'validate-user');
  assert.equal(config.baseUrl, 'http://erp.example.com/k3cloud/');
  assert.equal(config.lcid, 2052);
  assert.equal(config.maxConcurrency, 4);
  assert.equal(config.requestTimeoutMs, 120_000);
});

test('missing variables are all named, and the app modes ask for the app credentials', () => {
  assert.throws(() => kingdeeConfigFromEnv({ KINGDEE_BASE_URL: base.KINGDEE_BASE_URL }), (err: unknown) => {
    assert.ok(err instanceof KingdeeConfigError);
    assert.match(err.message, /missing KINGDEE_ACCT_ID, KINGDEE_USERNAME, KINGDEE_PASSWORD/);
    return true;
  });
  assert.throws(() => kingdeeConfigFromEnv({ ...base, KINGDEE_AUTH_MODE: 'signed-header', KINGDEE_APP_ID: 'x_y' }), /missing KINGDEE_APP_SECRET \(KINGDEE_AUTH_MODE=signed-header\)/);
  const app = kingdeeConfigFromEnv({ ...base, KINGDEE_AUTH_MODE: 'sign', KINGDEE_APP_ID: 'a_b', KINGDEE_APP_SECRET: 's', KINGDEE_LCID: '1033' });
  assert.equal(app.authMode, 'sign');
  assert.equal(app.lcid, 1033);
});

test('bad values are reported by variable name, never with secret values', () => {
  const secret = 'TopSecret-0123456789';
  assert.throws(
    () => kingdeeConfigFromEnv({ ...base, KINGDEE_PASSWORD: secret, KINGDEE_AUTH_MODE: 'magic', KINGDEE_LCID: 'zh', KINGDEE_BASE_URL: 'ftp://x' }),
    (err: unknown) => {
      assert.ok(err instanceof KingdeeConfigError);
      assert.match(err.message, /KINGDEE_AUTH_MODE/);
      assert.match(err.message, /KINGDEE_LCID must be an integer/);
      assert.match(err.message, /KINGDEE_BASE_URL/);
      assert.ok(!err.message.includes(secret));
      return true;
    },
  );
  assert.throws(() => kingdeeConfigFromEnv({ ...base, KINGDEE_PASSWORD: 'p', KINGDEE_BASE_URL: 'http://x/k3cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc' }), /site root/);
});

test('the client validates its config too', () => {
  assert.throws(() => new KingdeeClient({ baseUrl: 'http://x/k3cloud/', acctId: 'a', username: 'u', authMode: 'app-secret', appId: 'a_b' }), /appSecret is required/);
});
