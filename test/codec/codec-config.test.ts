import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { CodecConfigError, codecConfigFromEnv, DEFAULT_CODEC_CORS_ORIGINS } from '../../src/config/codec-config';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { EncryptionCodec } from '../../src/temporal/codec/encryption-codec';
import { keyLeaks, randomKey } from './keys';
import type { RawEncryptionKey } from '../../src/temporal/codec/keyring';

const entry = (k: RawEncryptionKey) => `${k.id}:${Buffer.from(k.material).toString('base64')}`;

function configError(env: NodeJS.ProcessEnv): string {
  try {
    codecConfigFromEnv(env);
  } catch (err) {
    assert.ok(err instanceof CodecConfigError, `expected CodecConfigError, got ${inspect(err)}`);
    return err.message;
  }
  return assert.fail('configuration was accepted');
}

test('encryption is off when ERP_BRIDGE_CODEC_KEYS is absent or blank', () => {
  assert.equal(codecConfigFromEnv({}).keyring, undefined);
  assert.equal(codecConfigFromEnv({ ERP_BRIDGE_CODEC_KEYS: '  ' }).keyring, undefined);
  assert.equal(dataConverterFromEnv({}), undefined);
});

test('the first entry is the current key; the others are kept for decryption', () => {
  const current = randomKey('2026-01');
  const previous = randomKey('2025-01');
  const config = codecConfigFromEnv({ ERP_BRIDGE_CODEC_KEYS: ` ${entry(current)} , ${entry(previous)}, ` });
  assert.ok(config.keyring);
  assert.equal(config.keyring.current.id, '2026-01');
  assert.deepEqual(config.keyring.ids, ['2026-01', '2025-01']);
  assert.deepEqual(config.keyring.find('2025-01')?.export(), Buffer.from(previous.material));
  assert.deepEqual(config.keyring.current.key.export(), Buffer.from(current.material));
  assert.deepEqual(keyLeaks(inspect(config, { depth: 10 }), current), [], 'a logged config shows no key');
});

test('dataConverterFromEnv gives one EncryptionCodec when keys are configured', () => {
  const converter = dataConverterFromEnv({ ERP_BRIDGE_CODEC_KEYS: entry(randomKey('k1')) });
  assert.equal(converter?.payloadCodecs?.length, 1);
  assert.ok(converter?.payloadCodecs?.[0] instanceof EncryptionCodec);
});

test('bad base64 is reported by entry and key id, without the key text', () => {
  const good = randomKey('good');
  const badText = `${Buffer.from(randomKey('x').material).toString('base64').slice(0, 40)}!!`;
  const message = configError({ ERP_BRIDGE_CODEC_KEYS: `${entry(good)},bad:${badText}` });
  assert.match(message, /ERP_BRIDGE_CODEC_KEYS: entry 2: key id "bad": key is not valid base64/);
  assert.equal(message.includes(badText.slice(0, 12)), false);
  assert.deepEqual(keyLeaks(message, good), []);
});

test('a key of the wrong length is reported with its byte count, without the key text', () => {
  const short = { id: 'short', material: randomKey('short').material.subarray(0, 16) };
  const message = configError({ ERP_BRIDGE_CODEC_KEYS: entry(short) });
  assert.match(message, /entry 1: key id "short": key decodes to 16 bytes; AES-256 needs 32/);
  assert.deepEqual(keyLeaks(message, short), []);
});

test('a duplicate key id is reported with both entry numbers, without either key', () => {
  const first = randomKey('same');
  const second = randomKey('same');
  const message = configError({ ERP_BRIDGE_CODEC_KEYS: `${entry(first)},${entry(randomKey('other'))},${entry(second)}` });
  assert.match(message, /entry 3: key id "same" is already used by entry 1/);
  assert.deepEqual([...keyLeaks(message, first), ...keyLeaks(message, second)], []);
});

test('an entry without an id, or with an invalid id, is reported without echoing it (it may be a key)', () => {
  const key = randomKey('k');
  const bare = Buffer.from(key.material).toString('base64');
  const noColon = configError({ ERP_BRIDGE_CODEC_KEYS: bare });
  assert.match(noColon, /entry 1: expected keyId:base64Key/);
  assert.deepEqual(keyLeaks(noColon, key), []);
  // Reversed "key:id": the key lands in the id position (base64 has "+", "/" or "=" in most keys; force one).
  const reversed = configError({ ERP_BRIDGE_CODEC_KEYS: `${bare}+/=:k` });
  assert.match(reversed, /entry 1: key id must be/);
  assert.deepEqual(keyLeaks(reversed, key), []);
});

test('CORS origins default to the local Web UI and can be replaced by an allow-list', () => {
  assert.deepEqual(codecConfigFromEnv({}).corsOrigins, DEFAULT_CODEC_CORS_ORIGINS);
  assert.deepEqual(DEFAULT_CODEC_CORS_ORIGINS, ['http://localhost:8233', 'http://127.0.0.1:8233']);
  const config = codecConfigFromEnv({ ERP_BRIDGE_CODEC_CORS_ORIGINS: 'https://temporal.example.com/, http://localhost:8080' });
  assert.deepEqual(config.corsOrigins, ['https://temporal.example.com', 'http://localhost:8080']);
});

test('a CORS entry that is not an origin is rejected by name', () => {
  const message = configError({ ERP_BRIDGE_CODEC_CORS_ORIGINS: 'http://localhost:8233,https://ui.example.com/app,*' });
  assert.match(message, /ERP_BRIDGE_CODEC_CORS_ORIGINS: "https:\/\/ui.example.com\/app" is not an origin/);
  assert.match(message, /"\*" is not an origin/);
});
