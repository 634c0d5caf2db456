// The encryption keys, by id: the first encrypts, all of them decrypt, so rotating is "prepend a new key and keep
// the old ones until nothing encrypted under them is still read". Keys are held as KeyObjects, which never print
// their bytes (util.inspect shows only the size; JSON.stringify gives {}), so a logged config leaks nothing.
import { createSecretKey, type KeyObject } from 'node:crypto';

export const KEY_BYTES = 32; // AES-256

export interface RawEncryptionKey {
  id: string;
  material: Uint8Array;
}

export interface EncryptionKey {
  readonly id: string;
  readonly key: KeyObject;
}

export class Keyring {
  readonly current: EncryptionKey;
  private readonly byId: ReadonlyMap<string, KeyObject>;

  /** `keys[0]` is the current key; the rest are previous keys kept for decryption. */
  constructor(keys: readonly RawEncryptionKey[]) {
    const byId = new Map<string, KeyObject>();
    for (const { id, material } of keys) {
      if (id.length === 0) throw new Error('keyring: a key id is empty');
      if (byId.has(id)) throw new Error(`keyring: key id "${id}" appears twice`);
      if (material.length !== KEY_BYTES) {
        throw new Error(`keyring: key "${id}" is ${material.length} bytes; AES-256 needs ${KEY_BYTES}`);
      }
      byId.set(id, createSecretKey(material));
    }
    const first = keys[0];
    if (!first) throw new Error('keyring: no keys given');
    this.byId = byId;
    this.current = { id: first.id, key: byId.get(first.id) as KeyObject };
  }

  find(id: string): KeyObject | undefined {
    return this.byId.get(id);
  }

  /** Current first; safe to print. */
  get ids(): string[] {
    return [...this.byId.keys()];
  }
}
