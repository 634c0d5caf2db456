import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { defaultPayloadConverter, METADATA_ENCODING_KEY } from '@temporalio/common';
import { startCodecServer, type RunningCodecServer } from '../../src/temporal/codec/codec-server';
import { EncryptionCodec, ENCRYPTED_ENCODING, METADATA_ENCRYPTION_KEY_ID } from '../../src/temporal/codec/encryption-codec';
import { payloadToJson } from '../../src/temporal/codec/payload-json';
import { keyringOf, randomKey } from './keys';

const UI_ORIGIN = 'http://localhost:8233';
const b64 = (text: string) => Buffer.from(text).toString('base64');
const unb64 = (text: string | undefined) => Buffer.from(text ?? '', 'base64').toString('utf8');

interface JsonPayloads {
  payloads: { metadata: Record<string, string>; data: string }[];
}

let server: RunningCodecServer;
before(async () => {
  server = await startCodecServer({
    port: 0,
    codec: new EncryptionCodec(keyringOf(randomKey('srv-key'))),
    allowedOrigins: [UI_ORIGIN, 'http://127.0.0.1:8233'],
    maxBodyBytes: 64 * 1024,
  });
});
after(async () => {
  await server?.stop();
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('listens on 127.0.0.1 on the port the OS picked', () => {
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.notEqual(server.url, 'http://127.0.0.1:0');
});

test('POST /encode then POST /decode round-trips payloads in the Web UI JSON format', async () => {
  const plain = payloadToJson(defaultPayloadConverter.toPayload({ customer: '张三', amount: '12.50' }));
  const encodedRes = await post('/encode', { payloads: [plain] });
  assert.equal(encodedRes.status, 200);
  const encoded = (await encodedRes.json()) as JsonPayloads;
  const [sealed] = encoded.payloads;
  assert.ok(sealed);
  assert.equal(unb64(sealed.metadata[METADATA_ENCODING_KEY]), ENCRYPTED_ENCODING);
  assert.equal(unb64(sealed.metadata[METADATA_ENCRYPTION_KEY_ID]), 'srv-key');
  assert.equal(unb64(sealed.data).includes('张三'), false);

  const decodedRes = await post('/decode', encoded);
  assert.equal(decodedRes.status, 200);
  assert.match(decodedRes.headers.get('content-type') ?? '', /application\/json/);
  assert.deepEqual(await decodedRes.json(), { payloads: [plain] });
});

test('decode passes unencrypted payloads through and accepts null/missing fields', async () => {
  const res = await post('/decode', { payloads: [{ metadata: { encoding: b64('json/plain') }, data: b64('"hi"') }, { metadata: null }] });
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), {
    payloads: [
      { metadata: { encoding: b64('json/plain') }, data: b64('"hi"') },
      { metadata: {}, data: '' },
    ],
  });
});

test('an allowed origin is reflected with credentials allowed', async () => {
  const res = await post('/decode', { payloads: [] }, { origin: UI_ORIGIN });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), UI_ORIGIN);
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  assert.match(res.headers.get('vary') ?? '', /Origin/);
});

test('a disallowed origin gets 403 and no CORS headers', async () => {
  const res = await post('/decode', { payloads: [] }, { origin: 'https://evil.example' });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
  const body = (await res.json()) as { error: string };
  assert.match(body.error, /origin https:\/\/evil\.example is not allowed/);
});

test('preflight OPTIONS from an allowed origin allows POST and the UI headers', async () => {
  const res = await fetch(`${server.url}/decode`, {
    method: 'OPTIONS',
    headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get('access-control-allow-origin'), UI_ORIGIN);
  assert.match(res.headers.get('access-control-allow-methods') ?? '', /POST/);
  const allowed = (res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase());
  for (const header of ['x-namespace', 'content-type', 'authorization']) assert.ok(allowed.includes(header), header);
});

test('preflight from a disallowed origin is refused', async () => {
  const res = await fetch(`${server.url}/encode`, { method: 'OPTIONS', headers: { origin: 'http://localhost:9999' } });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});

for (const [what, body, expected] of [
  ['invalid JSON', '{"payloads": [', /not valid JSON/],
  ['no payloads array', { payload: [] }, /payloads/],
  ['non-base64 data', { payloads: [{ data: 'not base64!' }] }, /payloads\.0\.data: must be base64/],
  ['non-string metadata', { payloads: [{ metadata: { encoding: 7 } }] }, /payloads\.0\.metadata\.encoding/],
] as const) {
  test(`a malformed body (${what}) gets 400 with a clear message`, async () => {
    const res = await post('/decode', body);
    assert.equal(res.status, 400);
    const { error } = (await res.json()) as { error: string };
    assert.match(error, expected);
  });
}

test('a payload encrypted under an unknown key gets 422 naming the key id', async () => {
  const other = new EncryptionCodec(keyringOf(randomKey('elsewhere')));
  const foreign = (await other.encode([defaultPayloadConverter.toPayload('x')])).map(payloadToJson);
  const res = await post('/decode', { payloads: foreign });
  assert.equal(res.status, 422);
  const { error } = (await res.json()) as { error: string };
  assert.match(error, /encryption-key-id "elsewhere"/);
});

test('an over-long body gets 413', async () => {
  const res = await post('/encode', { payloads: [{ data: 'A'.repeat(100 * 1024) }] });
  assert.equal(res.status, 413);
});

test('other paths get 404 and other methods on the codec paths get 405', async () => {
  assert.equal((await post('/', { payloads: [] })).status, 404);
  assert.equal((await fetch(`${server.url}/nope`)).status, 404);
  const get = await fetch(`${server.url}/decode`);
  assert.equal(get.status, 405);
  assert.match(get.headers.get('allow') ?? '', /POST/);
});
