export { EncryptionCodec, ENCRYPTED_ENCODING, METADATA_ENCRYPTION_KEY_ID } from './encryption-codec';
export { Keyring, KEY_BYTES, type EncryptionKey, type RawEncryptionKey } from './keyring';
export { PayloadCodecError, PayloadDecryptionError, UnknownEncryptionKeyError } from './errors';
export { dataConverterFor, dataConverterFromEnv } from './data-converter';
export { startCodecServer, type CodecServerOptions, type RunningCodecServer } from './codec-server';
