// The data converter the Client and Worker.create must *both* get: if only one side encrypts, the other cannot
// read its payloads. `undefined` (encryption off) leaves the SDK's default converter in place.
// With encryption on, failures' messages and stack traces are encoded too (failure-converter.ts), by path so
// the worker's workflow bundle gets the same converter.
import path from 'node:path';
import type { DataConverter } from '@temporalio/common';
import { codecConfigFromEnv, type CodecConfig } from '../../config/codec-config';
import { EncryptionCodec } from './encryption-codec';

/** Without an extension: resolves to the .ts source under tsx and the bundler, to the .js file in dist/. */
export const ENCODING_FAILURE_CONVERTER_PATH = path.join(__dirname, 'failure-converter');

export function dataConverterFor(config: Pick<CodecConfig, 'keyring'>): DataConverter | undefined {
  if (!config.keyring) return undefined;
  return { payloadCodecs: [new EncryptionCodec(config.keyring)], failureConverterPath: ENCODING_FAILURE_CONVERTER_PATH };
}

export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  return dataConverterFor(codecConfigFromEnv(env));
}
