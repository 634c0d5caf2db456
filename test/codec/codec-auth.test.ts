// The codec server authenticates every caller when auth is configured: a configured bearer token, or a JWT
// from the Web UI's identity provider verified against its JWKS; and it refuses to listen beyond loopback
// without authentication.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import type * as Jose from 'jose' with { 'resolution-mode': 'import' };
import { codecConfigFromEnv } from '../../src/config/codec-config';
import { createCodecAuthenticator } from '../../src/temporal/codec/codec-auth';
import { startCodecServer, type RunningCodecServer } from '../../src/temporal/codec/codec-server';
import { EncryptionCodec } from '../../src/temporal/codec/encryption-codec';
import { payloadToJson } from '../../src/temporal/codec/payload-json';
import { keyringOf, randomKey } from './keys';

const TOKEN = 'codec-token-0123456789abcdef';
const UI_ORIGIN = 'http://localhost:8233';
const ISSUER = 'https://login.example.test/';
const AUDIENCE = 'temporal-ui';

type JoseModule = typeof Jose;
type SigningKey = Awaited<ReturnType<JoseModule['generateKeyPair']>>['privateKey'];
let jose: JoseModule;
let idpKey: SigningKey;
let otherKey: SigningKey;
let jwks: Server;
let server: RunningCodecServer;

before(async () => {
  jose = (await import('jose')) as JoseModule;
  const pair = await jose.generateKeyPair('ES256', { extractable: true });
  idpKey = pair.privateKey;
  otherKey = (await jose.generateKeyPair('ES256')).privateKey;
  const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: 'idp-1', alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  server = await startCodecServer({
    port: 0,
    codec: new EncryptionCodec(keyringOf(randomKey('auth-key'))),
    allowedOrigins: [UI_ORIGIN],
    auth: createCodecAuthenticator({ token: TOKEN, jwksUrl, jwtIssuer: ISSUER, jwtAudience: AUDIENCE }),
  });
});
after(async () => {
  await server?.stop();
  await new Promise<void>((resolve) => (jwks ? jwks.close(() => resolve()) : resolve()));
});

const body = JSON.stringify({ payloads: [payloadToJson(defaultPayloadConverter.toPayload({ buyer: '张三', phone: '13800000000' }))] });

function decode(headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.url}/decode`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function jwt(key: SigningKey, claims: { iss?: string; aud?: string; exp?: string } = {}): Promise<string> {
  return new jose.SignJWT({ sub: 'operator@example.test' })
    .setProtectedHeader({ alg: 'ES256', kid: 'idp-1' })
    .setIssuer(claims.iss ?? ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(claims.exp ?? '5m')
    .sign(key);
}

test('without an Authorization header /decode answers 401 and reveals nothing', async () => {
  const res = await decode();
  assert.equal(res.status, 401);
  assert.match(res.headers.get('www-authenticate') ?? '', /^Bearer/);
  const text = await res.text();
  assert.doesNotMatch(text, /张三|13800000000/);
  assert.match(text, /Authorization: Bearer/);
});

test('a wrong bearer token answers 401; the configured one is served', async () => {
  assert.equal((await decode({ authorization: 'Bearer not-the-token-000000000' })).status, 401);
  assert.equal((await decode({ authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).status, 401);
  const ok = await decode({ authorization: `Bearer ${TOKEN}` });
  assert.equal(ok.status, 200);
});

test('a Web UI access token signed by the identity provider is accepted; forged, expired or foreign ones are not', async () => {
  assert.equal((await decode({ authorization: `Bearer ${await jwt(idpKey)}`, origin: UI_ORIGIN })).status, 200);
  const forged = await decode({ authorization: `Bearer ${await jwt(otherKey)}` });
  assert.equal(forged.status, 401);
  assert.match(await forged.text(), /access token rejected: ERR_JWS_SIGNATURE_VERIFICATION_FAILED|ERR_JWKS_NO_MATCHING_KEY/);
  assert.equal((await decode({ authorization: `Bearer ${await jwt(idpKey, { exp: '-1m' })}` })).status, 401);
  assert.equal((await decode({ authorization: `Bearer ${await jwt(idpKey, { aud: 'another-app' })}` })).status, 401);
  assert.equal((await decode({ authorization: `Bearer ${await jwt(idpKey, { iss: 'https://evil.example/' })}` })).status, 401);
});

test('a CORS preflight from the UI needs no token; an origin not configured is refused even with one', async () => {
  const preflight = await fetch(`${server.url}/decode`, { method: 'OPTIONS', headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST' } });
  assert.equal(preflight.status, 204);
  const foreign = await decode({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.headers.get('access-control-allow-origin'), null);
});

test('the server refuses to listen beyond loopback without authentication', async () => {
  await assert.rejects(
    startCodecServer({ port: 0, host: '0.0.0.0', codec: new EncryptionCodec(keyringOf(randomKey('k'))), allowedOrigins: [] }),
    /refusing to listen on 0\.0\.0\.0 without authentication.*ERP_BRIDGE_CODEC_AUTH_TOKEN/,
  );
});

test('codec auth configuration: token length checked without echoing it, JWKS URL must be https', () => {
  const cfg = codecConfigFromEnv({ ERP_BRIDGE_CODEC_AUTH_TOKEN: TOKEN, ERP_BRIDGE_CODEC_HOST: '0.0.0.0' });
  assert.equal(cfg.auth.token, TOKEN);
  assert.equal(cfg.host, '0.0.0.0');
  assert.equal(codecConfigFromEnv({}).host, '127.0.0.1');
  assert.throws(() => codecConfigFromEnv({ ERP_BRIDGE_CODEC_AUTH_TOKEN: 'short-secret' }), (err: Error) => {
    assert.match(err.message, /ERP_BRIDGE_CODEC_AUTH_TOKEN: must be at least 16 characters/);
    assert.doesNotMatch(err.message, /short-secret/);
    return true;
  });
  assert.throws(() => codecConfigFromEnv({ ERP_BRIDGE_CODEC_JWKS_URL: 'http://idp.example/jwks' }), /ERP_BRIDGE_CODEC_JWKS_URL: must be an https:\/\/ URL/);
});
