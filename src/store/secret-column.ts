// Secrets at rest: with payload-encryption keys configured, a secret column holds "enc:<keyId>:<base64>" (AES-256-GCM
// with the current key); without keys, the value itself. Values written before keys were configured still read.
import { decryptAesGcm, encryptAesGcm } from '../temporal/codec/crypto';
import type { Keyring } from '../temporal/codec/keyring';

const PREFIX = 'enc:';

export interface SecretColumn {
  seal(value: string): string;
  open(stored: string): string;
}

export function secretColumn(keyring?: Keyring): SecretColumn {
  return {
    seal(value) {
      if (!keyring) return value;
      const { id, key } = keyring.current;
      return `${PREFIX}${id}:${encryptAesGcm(Buffer.from(value, 'utf8'), key).toString('base64')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const rest = stored.slice(PREFIX.length);
      const colon = rest.indexOf(':');
      const id = rest.slice(0, colon);
      const key = colon > 0 ? keyring?.find(id) : undefined;
      if (!key) {
        throw new Error(`a secret in the state store is encrypted under key id "${id}", which ERP_BRIDGE_CODEC_KEYS does not list`);
      }
      return decryptAesGcm(Buffer.from(rest.slice(colon + 1), 'base64'), key).toString('utf8');
    },
  };
}
