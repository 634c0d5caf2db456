// Errors raised while decoding encrypted payloads. They name the key *id* (an operator needs it to find the
// missing or rotated key) but never carry key material, plaintext or the underlying crypto error.

export class PayloadCodecError extends Error {
  override name = 'PayloadCodecError';
}

/** The payload was encrypted under a key id the keyring does not hold (e.g. a retired key was dropped too early). */
export class UnknownEncryptionKeyError extends PayloadCodecError {
  override name = 'UnknownEncryptionKeyError';
  constructor(
    readonly keyId: string,
    knownKeyIds: readonly string[],
  ) {
    super(
      `cannot decrypt payload: no key with encryption-key-id "${keyId}" in the keyring ` +
        `(known ids: ${knownKeyIds.join(', ')}); add it to ERP_BRIDGE_CODEC_KEYS as a previous key`,
    );
  }
}

/** Authentication failed: the ciphertext, IV or tag was altered, or the key under this id is not the one used. */
export class PayloadDecryptionError extends PayloadCodecError {
  override name = 'PayloadDecryptionError';
  constructor(
    readonly keyId: string,
    reason: string,
  ) {
    super(`cannot decrypt payload with encryption-key-id "${keyId}": ${reason}`);
  }
}
