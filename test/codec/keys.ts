// Test keys: random per run, so no test can pass by matching a hard-coded ciphertext.
import { randomBytes } from 'node:crypto';
import { Keyring, type RawEncryptionKey } from '../../src/temporal/codec/keyring';

export function randomKey(id: string): RawEncryptionKey {
  return { id, material: randomBytes(32) };
}

export function keyringOf(...keys: RawEncryptionKey[]): Keyring {
  return new Keyring(keys);
}

/** Ways key material could leak into text: base64, hex, and a recognisable prefix of each. */
export function keyLeaks(text: string, key: RawEncryptionKey): string[] {
  const b64 = Buffer.from(key.material).toString('base64');
  const hex = Buffer.from(key.material).toString('hex');
  return [b64, b64.slice(0, 12), hex, hex.slice(0, 16)].filter((form) => text.includes(form));
}
