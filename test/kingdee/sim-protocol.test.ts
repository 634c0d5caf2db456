// Simulator contract §9.1–§9.2 over raw HTTP: routing, body shapes, logins, sessions, signed headers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { loginSign, signedHeaders } from '../../src/connectors/kingdee/signing';
import type { KingdeeSimulator } from '../../src/sim/kingdee';
import { call, login, rawCall, startSim, statusOf } from './helpers';

let sim: KingdeeSimulator;
let clock = Date.UTC(2026, 0, 20, 2, 0, 0);
before(async () => {
  sim = await startSim({ sessionTtlMs: 60_000, now: () => clock });
});
after(() => sim.stop());

const query = { FormId: 'BD_STOCK', FieldKeys: 'FNumber', FilterString: '', Limit: 10 };
const MSG1 = {
  Result: {
    ResponseStatus: {
      ErrorCode: 500, IsSuccess: false, Errors: [{ FieldName: null, Message: '会话信息已丢失，请重新登录', DIndex: 0 }], SuccessEntitys: [], SuccessMessages: [], MsgCode: 1,
    },
  },
};

test('routes match service and op case-insensitively; unknown ops get 404', async () => {
  const id = await login(sim);
  const lower = await rawCall(sim, 'dynamicformservice', 'executebillquery', { data: query }, { 'kdservice-sessionid': id });
  assert.equal(lower.status, 200);
  assert.deepEqual(lower.json, [['主仓'], ['销退仓'], ['华南仓']]);
  assert.equal((await rawCall(sim, 'DynamicFormService', 'Frobnicate', { data: query })).status, 404);
  assert.equal((await rawCall(sim, 'AuthService', 'Save', {})).status, 404, 'an op under the wrong service is unknown');
});

test('named, positional and legacy bodies are all accepted; data may be a JSON string with string booleans', async () => {
  const id = await login(sim);
  const expected = [['主仓'], ['销退仓'], ['华南仓']];
  assert.deepEqual((await call(sim, id, 'ExecuteBillQuery', { parameters: [query] })).json, expected);
  assert.deepEqual((await call(sim, id, 'ExecuteBillQuery', { DATA: JSON.stringify(query) })).json, expected);
  assert.deepEqual((await call(sim, id, 'ExecuteBillQuery', { format: 1, useragent: 'ApiClient', parameters: JSON.stringify([JSON.stringify(query)]), v: '1.0' })).json, expected);
  const form = `parameters=${encodeURIComponent(JSON.stringify([query]))}`;
  assert.deepEqual((await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', form, { 'kdservice-sessionid': id, 'content-type': 'application/x-www-form-urlencoded' })).json, expected);
  const view = await call(sim, id, 'View', { parameters: ['BD_STOCK', JSON.stringify({ Number: '主仓' })] });
  assert.equal((view.json as { Result: { Result: { Number: string } } }).Result.Result.Number, '主仓');
  const named = await call(sim, id, 'View', { FormId: 'BD_STOCK', Data: { number: '主仓' } });
  assert.equal((named.json as { Result: { Result: { Number: string } } }).Result.Result.Number, '主仓');
});

test('ValidateUser sets both cookies and returns the session id; a bad password is LoginResultType 0', async () => {
  const c = sim.credentials;
  const ok = await rawCall(sim, 'AuthService', 'ValidateUser', { parameters: [c.acctId, c.username, c.password, 2052] });
  const body = ok.json as { LoginResultType: number; KDSVCSessionId: string; IsSuccessByAPI: boolean; Context: { UserName: string } };
  assert.equal(body.LoginResultType, 1);
  assert.equal(body.IsSuccessByAPI, true);
  assert.equal(body.Context.UserName, c.username);
  assert.ok(ok.setCookies.some((l) => l.startsWith(`kdservice-sessionid=${body.KDSVCSessionId};`)));
  assert.ok(ok.setCookies.some((l) => l.startsWith('ASP.NET_SessionId=')));
  // The cookie alone carries the session.
  const byCookie = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, { cookie: `ASP.NET_SessionId=x; kdservice-sessionid=${body.KDSVCSessionId}` });
  assert.equal((byCookie.json as unknown[]).length, 3);

  const bad = await rawCall(sim, 'AuthService', 'ValidateUser', { AcctID: c.acctId, UserName: c.username, Password: 'wrong', lcid: 2052 });
  assert.equal((bad.json as { LoginResultType: number; Message: string }).LoginResultType, 0);
  assert.equal((bad.json as { Message: string }).Message, '用户名或密码错误');
  assert.deepEqual(bad.setCookies, []);
});

test('LoginByAppSecret and LoginBySign (SHA-256) log in; a wrong secret or signature does not', async () => {
  const c = sim.credentials;
  const byApp = await rawCall(sim, 'AuthService', 'LoginByAppSecret', { parameters: [c.acctId, c.username, c.appId, c.appSecret, 2052] });
  assert.equal((byApp.json as { LoginResultType: number }).LoginResultType, 1);
  const wrongApp = await rawCall(sim, 'AuthService', 'LoginByAppSecret', { parameters: [c.acctId, c.username, c.appId, 'f'.repeat(32), 2052] });
  assert.notEqual((wrongApp.json as { LoginResultType: number }).LoginResultType, 1);

  const timestamp = String(Math.floor(clock / 1000));
  const sign = loginSign({ acctId: c.acctId, userName: c.username, appId: c.appId, appSecret: c.appSecret, timestamp });
  const bySign = await rawCall(sim, 'AuthService', 'LoginBySign', { parameters: [c.acctId, c.username, c.appId, timestamp, sign, 2052] });
  assert.equal((bySign.json as { LoginResultType: number }).LoginResultType, 1);
  const sha1 = loginSign({ acctId: c.acctId, userName: c.username, appId: c.appId, appSecret: c.appSecret, timestamp }, 'sha1');
  const wrongHash = await rawCall(sim, 'AuthService', 'LoginBySign', { parameters: [c.acctId, c.username, c.appId, timestamp, sha1, 2052] });
  assert.notEqual((wrongHash.json as { LoginResultType: number }).LoginResultType, 1);
});

test('LoginBySign: SHA-1 behind a switch, timestamp skew only when a window is configured', async () => {
  const other = await startSim({ loginSignAlgorithm: 'sha1', signWindowSeconds: 300, now: () => clock });
  try {
    const c = other.credentials;
    const sign = (ts: string) => loginSign({ acctId: c.acctId, userName: c.username, appId: c.appId, appSecret: c.appSecret, timestamp: ts }, 'sha1');
    const now = String(Math.floor(clock / 1000));
    const fresh = await rawCall(other, 'AuthService', 'LoginBySign', { parameters: [c.acctId, c.username, c.appId, now, sign(now), 2052] });
    assert.equal((fresh.json as { LoginResultType: number }).LoginResultType, 1);
    const stale = String(Math.floor(clock / 1000) - 3600);
    const old = await rawCall(other, 'AuthService', 'LoginBySign', { parameters: [c.acctId, c.username, c.appId, stale, sign(stale), 2052] });
    assert.notEqual((old.json as { LoginResultType: number }).LoginResultType, 1);
  } finally {
    await other.stop();
  }
});

test('no live session → HTTP 200 MsgCode 1 in the exact contract shape, for queries too', async () => {
  for (const [op, body] of [['ExecuteBillQuery', { data: query }], ['BillQuery', { data: query }], ['Save', { formid: 'SAL_RETURNSTOCK', data: { Model: {} } }]] as const) {
    const r = await rawCall(sim, 'DynamicFormService', op, body);
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, MSG1, op);
  }
  assert.deepEqual((await call(sim, 'not-a-session', 'ExecuteBillQuery', { data: query })).json, MSG1);
});

test('sessions slide: each call renews them; idle past the TTL they expire; Logout ends them', async () => {
  const id = await login(sim);
  for (let i = 0; i < 3; i++) {
    clock += 50_000; // under the 60 s TTL each time, 150 s in total
    assert.ok(Array.isArray((await call(sim, id, 'ExecuteBillQuery', { data: query })).json));
  }
  clock += 61_000;
  assert.deepEqual((await call(sim, id, 'ExecuteBillQuery', { data: query })).json, MSG1);

  const second = await login(sim);
  const out = await rawCall(sim, 'AuthService', 'Logout', { parameters: [] }, { 'kdservice-sessionid': second });
  assert.equal(out.json, true);
  assert.deepEqual((await call(sim, second, 'ExecuteBillQuery', { data: query })).json, MSG1);
});

test('signed headers: a valid signature creates a session (cookie set); bad ones get MsgCode 1; an unknown acctId is non-200', async () => {
  const c = sim.credentials;
  const url = `${sim.baseUrl}Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc`;
  const identity = { acctId: c.acctId, userName: c.username, appId: c.appId, appSecret: c.appSecret, lcid: 2052, orgNum: 0 };
  const signed = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, signedHeaders(url, identity, clock / 1000));
  assert.deepEqual(signed.json, [['主仓'], ['销退仓'], ['华南仓']]);
  const cookie = signed.setCookies.find((l) => l.startsWith('kdservice-sessionid='));
  assert.ok(cookie, 'the server issues a session cookie');

  // A live session bypasses the signature check, as on the real server.
  const sessionId = cookie.split(';')[0]!.split('=')[1]!;
  const bypass = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, { ...signedHeaders(url, { ...identity, appSecret: 'wrong' }, clock / 1000), 'kdservice-sessionid': sessionId });
  assert.equal((bypass.json as unknown[]).length, 3);

  const wrongSecret = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, signedHeaders(url, { ...identity, appSecret: 'wrong' }, clock / 1000));
  assert.deepEqual(wrongSecret.json, MSG1);
  const wrongUser = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, signedHeaders(url, { ...identity, userName: 'nobody' }, clock / 1000));
  assert.deepEqual(wrongUser.json, MSG1);
  const wrongAcct = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, signedHeaders(url, { ...identity, acctId: 'nope' }, clock / 1000));
  assert.notEqual(wrongAcct.status, 200);
  assert.match(wrongAcct.text, /Fail to verify thirty passport/);
});

test('X-Api-Signature is checked only behind its switch', async () => {
  const strict = await startSim({ verifyApiSignature: true });
  try {
    const c = strict.credentials;
    const url = `${strict.baseUrl}Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc`;
    const headers = signedHeaders(url, { acctId: c.acctId, userName: c.username, appId: c.appId, appSecret: c.appSecret, lcid: 2052, orgNum: 0 }, Date.now() / 1000);
    assert.equal((await rawCall(strict, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, headers)).status, 200);
    const tampered = { ...headers, 'X-Api-Signature': 'AAAA' };
    assert.deepEqual((await rawCall(strict, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, tampered)).json, MSG1);
    // The default simulator ignores it.
    const loose = await rawCall(sim, 'DynamicFormService', 'ExecuteBillQuery', { data: query }, {
      ...signedHeaders(`${sim.baseUrl}x`, { acctId: sim.credentials.acctId, userName: sim.credentials.username, appId: sim.credentials.appId, appSecret: sim.credentials.appSecret, lcid: 2052, orgNum: 0 }, 1),
      'X-Api-Signature': 'AAAA',
    });
    assert.equal((loose.json as unknown[]).length, 3);
  } finally {
    await strict.stop();
  }
});

test('a malformed body is a parameter error, not a crash', async () => {
  const id = await login(sim);
  const r = await call(sim, id, 'Save', '{not json');
  assert.equal(r.status, 200);
  assert.equal(statusOf(r.json).MsgCode, 8);
});
