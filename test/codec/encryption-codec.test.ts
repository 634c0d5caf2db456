import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { test } from 'node:test';
import { defaultPayloadConverter, METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { IV_BYTES, TAG_BYTES } from '../../src/temporal/codec/crypto';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  METADATA_ENCRYPTION_KEY_ID,
} from '../../src/temporal/codec/encryption-codec';
import { PayloadCodecError, PayloadDecryptionError, UnknownEncryptionKeyError } from '../../src/temporal/codec/errors';
import { keyLeaks, keyringOf, randomKey } from './keys';

const meta = (p: Payload, key: string) => Buffer.from(p.metadata?.[key] ?? new Uint8Array()).toString('utf8');
const only = (payloads: Payload[]): Payload => {
  assert.equal(payloads.length, 1);
  return payloads[0] as Payload;
};
const SECRET = 'refund for 张三, phone 13800138000';

test('round trip: decode(encode(x)) gives back the original payload, metadata included', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('k1')));
  const originals = [defaultPayloadConverter.toPayload(SECRET), defaultPayloadConverter.toPayload({ amount: '12.50' })];
  const decoded = await codec.decode(await codec.encode(originals));
  assert.equal(decoded.length, 2);
  assert.equal(defaultPayloadConverter.fromPayload(decoded[0] as Payload), SECRET);
  assert.deepEqual(defaultPayloadConverter.fromPayload(decoded[1] as Payload), { amount: '12.50' });
  assert.equal(meta(decoded[0] as Payload, METADATA_ENCODING_KEY), 'json/plain');
});

test('encode tags each payload with binary/encrypted and the current key id, and hides the plaintext', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('current-2026'), randomKey('old-2025')));
  const encoded = only(await codec.encode([defaultPayloadConverter.toPayload(SECRET)]));
  assert.equal(meta(encoded, METADATA_ENCODING_KEY), ENCRYPTED_ENCODING);
  assert.equal(meta(encoded, METADATA_ENCRYPTION_KEY_ID), 'current-2026');
  assert.deepEqual(Object.keys(encoded.metadata ?? {}).sort(), [METADATA_ENCODING_KEY, METADATA_ENCRYPTION_KEY_ID].sort());
  const data = Buffer.from(encoded.data ?? new Uint8Array());
  assert.equal(data.includes(Buffer.from(SECRET)), false);
  assert.equal(data.includes(Buffer.from('json/plain')), false, 'the inner encoding is encrypted too');
});

test('every payload gets a fresh IV: the same input encrypts differently each time', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('k1')));
  const input = defaultPayloadConverter.toPayload(SECRET);
  const [a, b] = (await codec.encode([input, input])).map((p) => Buffer.from(p.data ?? new Uint8Array()));
  assert.ok(a && b);
  assert.notDeepEqual(a.subarray(0, IV_BYTES), b.subarray(0, IV_BYTES));
  assert.notDeepEqual(a, b);
});

test('payloads without the encrypted encoding pass through decode unchanged', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('k1')));
  const plain = defaultPayloadConverter.toPayload('written before encryption was switched on');
  const noMetadata: Payload = { data: Buffer.from('raw') };
  const decoded = await codec.decode([plain, noMetadata]);
  assert.equal(decoded[0], plain);
  assert.equal(decoded[1], noMetadata);
});

for (const [what, offset] of [
  ['IV', 0],
  ['ciphertext', IV_BYTES + 1],
  ['auth tag', -1],
] as const) {
  test(`tampering with the ${what} is detected and the error names the key id, not the key`, async () => {
    const key = randomKey('tamper-key');
    const codec = new EncryptionCodec(keyringOf(key));
    const encoded = only(await codec.encode([defaultPayloadConverter.toPayload(SECRET)]));
    const data = Buffer.from(encoded.data ?? new Uint8Array());
    const at = offset < 0 ? data.length + offset : offset;
    data[at] = (data[at] ?? 0) ^ 0x01;
    const err = await codec.decode([{ ...encoded, data }]).then(
      () => assert.fail('tampered payload decoded'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PayloadDecryptionError, `got ${inspect(err)}`);
    assert.equal(err.keyId, 'tamper-key');
    assert.match(err.message, /encryption-key-id "tamper-key"/);
    assert.match(err.message, /authentication tag mismatch/);
    assert.deepEqual(keyLeaks(`${err.message} ${inspect(err)}`, key), []);
  });
}

test('a truncated ciphertext is rejected, naming the key id', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('k1')));
  const encoded = only(await codec.encode([defaultPayloadConverter.toPayload(SECRET)]));
  const truncated = Buffer.from(encoded.data ?? new Uint8Array()).subarray(0, IV_BYTES + TAG_BYTES - 1);
  await assert.rejects(codec.decode([{ ...encoded, data: truncated }]), (err: unknown) => {
    assert.ok(err instanceof PayloadDecryptionError);
    assert.match(err.message, /"k1".*shorter than IV \+ tag/);
    return true;
  });
});

test('rotation: a payload encrypted under the old key decodes with a keyring whose current key is new', async () => {
  const oldKey = randomKey('2025-01');
  const newKey = randomKey('2026-01');
  const before = new EncryptionCodec(keyringOf(oldKey));
  const after = new EncryptionCodec(keyringOf(newKey, oldKey));
  const fromBefore = only(await before.encode([defaultPayloadConverter.toPayload('old record')]));
  const fromAfter = only(await after.encode([defaultPayloadConverter.toPayload('new record')]));
  assert.equal(meta(fromAfter, METADATA_ENCRYPTION_KEY_ID), '2026-01', 'new payloads use the new current key');
  const decoded = await after.decode([fromBefore, fromAfter]);
  assert.deepEqual(decoded.map((p) => defaultPayloadConverter.fromPayload(p)), ['old record', 'new record']);
});

test('an unknown key id (old key dropped from the keyring) gives an error naming that id and the known ids', async () => {
  const oldKey = randomKey('2025-01');
  const newKey = randomKey('2026-01');
  const encodedUnderOld = only(await new EncryptionCodec(keyringOf(oldKey)).encode([defaultPayloadConverter.toPayload(SECRET)]));
  const withoutOld = new EncryptionCodec(keyringOf(newKey));
  await assert.rejects(withoutOld.decode([encodedUnderOld]), (err: unknown) => {
    assert.ok(err instanceof UnknownEncryptionKeyError, `got ${inspect(err)}`);
    assert.equal(err.keyId, '2025-01');
    assert.match(err.message, /no key with encryption-key-id "2025-01".*known ids: 2026-01/);
    assert.deepEqual([...keyLeaks(err.message, oldKey), ...keyLeaks(err.message, newKey)], []);
    return true;
  });
});

test('an encrypted payload without a key id is rejected with a clear error', async () => {
  const codec = new EncryptionCodec(keyringOf(randomKey('k1')));
  const encoded = only(await codec.encode([defaultPayloadConverter.toPayload(SECRET)]));
  const { [METADATA_ENCRYPTION_KEY_ID]: _dropped, ...metadata } = encoded.metadata ?? {};
  await assert.rejects(codec.decode([{ ...encoded, metadata }]), (err: unknown) => {
    assert.ok(err instanceof PayloadCodecError);
    assert.match(err.message, /no encryption-key-id metadata/);
    return true;
  });
});

test('a keyring prints no key material', () => {
  const key = randomKey('k1');
  assert.deepEqual(keyLeaks(`${inspect(keyringOf(key), { depth: 10, showHidden: true })} ${JSON.stringify(keyringOf(key))}`, key), []);
});
