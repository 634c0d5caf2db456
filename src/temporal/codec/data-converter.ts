// The data converter the Client and Worker.create must *both* get: if only one side encrypts, the other cannot
// read its payloads. `undefined` (encryption off) leaves the SDK's default converter in place.
import type { DataConverter } from '@temporalio/common';
import { codecConfigFromEnv, type CodecConfig } from '../../config/codec-config';
import { EncryptionCodec } from './encryption-codec';

export function dataConverterFor(config: Pick<CodecConfig, 'keyring'>): DataConverter | undefined {
  return config.keyring ? { payloadCodecs: [new EncryptionCodec(config.keyring)] } : undefined;
}

export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  return dataConverterFor(codecConfigFromEnv(env));
}
