import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jstSign, signedFormBody } from '../../src/connectors/jushuitan/sign';

test('vector A (kocotree/jushuitan-mcp)', () => {
  assert.equal(jstSign({ timestamp: '100', app_key: 'app', charset: 'utf-8' }, 'secret'), '706427ca94e342781ac36d501151cb10');
});

test('vector A with an empty and a null parameter signs the same (empty values are skipped)', () => {
  assert.equal(jstSign({ timestamp: '100', app_key: 'app', charset: 'utf-8', x: '', y: null, sign: 'ignored' }, 'secret'), '706427ca94e342781ac36d501151cb10');
});

test('vector B (ieu/jst-java getInitToken)', () => {
  const params = {
    app_key: '5b53060f23d84ddf9703056e84fa5a2d',
    timestamp: '1639128407',
    grant_type: 'authorization_code',
    charset: 'utf-8',
    code: '123456',
  };
  assert.equal(jstSign(params, 'e9c5ca33fecb404b8e6cdbd0ef4a6d25'), '05e3a51e19e0883afd1882ccd309e0b9');
});

test('vector C (ieu/jst-java business call, Chinese biz hashed raw)', () => {
  const params = {
    access_token: 'd7b01bf0842a4742a9450e21ffd95f60',
    app_key: '5b53060f23d84ddf9703056e84fa5a2d',
    timestamp: '1639128407',
    charset: 'utf-8',
    version: '2',
    biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
  };
  assert.equal(jstSign(params, 'e9c5ca33fecb404b8e6cdbd0ef4a6d25'), '395f5a78b446be465ac03a02491296c7');
});

test('the worked refund-query example: sign and form body (§2.2)', () => {
  const fields = {
    app_key: 'test_app_key_0000',
    access_token: 'test_access_token_0000',
    timestamp: '1714924800',
    charset: 'utf-8',
    version: '2',
    biz: '{"page_index":1,"page_size":50,"modified_begin":"2024-05-01 00:00:00","modified_end":"2024-05-07 23:59:59"}',
  };
  assert.equal(jstSign(fields, 'test_app_secret_0000'), '97e30ecf57b711f752b42cf84193b234');
  const body = signedFormBody(fields, 'test_app_secret_0000');
  assert.equal(
    body,
    'app_key=test_app_key_0000&access_token=test_access_token_0000&timestamp=1714924800&charset=utf-8&version=2&biz=%7B%22page_index%22%3A1%2C%22page_size%22%3A50%2C%22modified_begin%22%3A%222024-05-01+00%3A00%3A00%22%2C%22modified_end%22%3A%222024-05-07+23%3A59%3A59%22%7D&sign=97e30ecf57b711f752b42cf84193b234',
  );
  assert.equal(new URLSearchParams(body).get('biz'), fields.biz, 'decoding gives back the exact biz string');
});

test('a different secret or a changed value changes the sign', () => {
  const base = { timestamp: '100', app_key: 'app', charset: 'utf-8' };
  assert.notEqual(jstSign(base, 'other'), '706427ca94e342781ac36d501151cb10');
  assert.notEqual(jstSign({ ...base, timestamp: '101' }, 'secret'), '706427ca94e342781ac36d501151cb10');
});
