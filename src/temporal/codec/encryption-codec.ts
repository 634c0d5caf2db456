// A PayloadCodec that encrypts every payload whole (data *and* metadata, so even the original encoding is hidden)
// with the keyring's current key, and records which key id it used so decode still works after a rotation.
// Codecs run outside the workflow sandbox (client side and in the worker's main thread), so node:crypto is fine here.
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { AuthenticationFailedError, decryptAesGcm, encryptAesGcm } from './crypto';
import { PayloadCodecError, PayloadDecryptionError, UnknownEncryptionKeyError } from './errors';
import type { Keyring } from './keyring';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_ENCRYPTION_KEY_ID = 'encryption-key-id';

const ProtoPayload = temporal.api.common.v1.Payload;
const utf8 = (text: string): Uint8Array => Buffer.from(text, 'utf8');
const text = (bytes: Uint8Array | null | undefined): string | undefined =>
  bytes ? Buffer.from(bytes).toString('utf8') : undefined;

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keyring.current;
    return payloads.map((payload) => ({
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
        [METADATA_ENCRYPTION_KEY_ID]: utf8(id),
      },
      // The inner payload is serialised as the Payload protobuf, as the other SDKs' encryption samples do.
      data: encryptAesGcm(ProtoPayload.encode(payload).finish(), key),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  private decodeOne(payload: Payload): Payload {
    // Anything we did not encrypt (written before encryption was on, or by another codec) passes through untouched.
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;

    const keyId = text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]);
    if (!keyId) throw new PayloadCodecError(`cannot decrypt payload: ${ENCRYPTED_ENCODING} payload has no ${METADATA_ENCRYPTION_KEY_ID} metadata`);
    const key = this.keyring.find(keyId);
    if (!key) throw new UnknownEncryptionKeyError(keyId, this.keyring.ids);

    let plaintext: Buffer;
    try {
      plaintext = decryptAesGcm(payload.data ?? new Uint8Array(), key);
    } catch (err) {
      if (err instanceof AuthenticationFailedError) throw new PayloadDecryptionError(keyId, err.message);
      throw err;
    }
    try {
      return ProtoPayload.decode(plaintext);
    } catch {
      throw new PayloadDecryptionError(keyId, 'decrypted bytes are not a Payload protobuf');
    }
  }
}
