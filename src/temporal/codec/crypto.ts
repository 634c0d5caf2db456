// AES-256-GCM for one blob. Layout: iv ‖ ciphertext ‖ tag — what WebCrypto and Go's gcm.Seal produce, so the
// Temporal samples' codecs (TS and Go) can read what we write and vice versa.
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

const CIPHER = 'aes-256-gcm';
/** 96-bit IVs are GCM's native size; a fresh random one per payload, since reusing an IV under one key breaks GCM. */
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export function encryptAesGcm(plaintext: Uint8Array, key: KeyObject): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, ciphertext, cipher.getAuthTag()]);
}

/** Thrown when a blob is not authentic; deliberately says nothing about the key or the data. */
export class AuthenticationFailedError extends Error {
  override name = 'AuthenticationFailedError';
}

export function decryptAesGcm(sealed: Uint8Array, key: KeyObject): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new AuthenticationFailedError(`ciphertext is ${sealed.length} bytes, shorter than IV + tag (${IV_BYTES + TAG_BYTES})`);
  }
  const iv = sealed.subarray(0, IV_BYTES);
  const ciphertext = sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  const decipher = createDecipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    // final() throws when the tag does not verify; Node's message adds nothing, so replace it.
    throw new AuthenticationFailedError('authentication tag mismatch (ciphertext tampered with, or a different key under this id)');
  }
}
