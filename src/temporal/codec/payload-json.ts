// The codec-server wire format (what the Temporal Web UI and CLI send): the proto3 JSON form of Payloads,
// i.e. { payloads: [{ metadata: { key: base64 }, data: base64 }] }. Validated with zod; unknown fields are ignored.
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

// proto3 JSON accepts standard and URL-safe base64, padded or not; Buffer.from(..., 'base64') decodes both.
const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

const JsonPayloadSchema = z.object({
  metadata: z.record(z.string(), base64).nullish(),
  data: base64.nullish(),
});

export const PayloadsBodySchema = z.object({ payloads: z.array(JsonPayloadSchema) });

export type JsonPayload = z.infer<typeof JsonPayloadSchema>;

export function payloadFromJson({ metadata, data }: JsonPayload): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

export function payloadToJson({ metadata, data }: Payload): { metadata: Record<string, string>; data: string } {
  return {
    metadata: Object.fromEntries(Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(data ?? new Uint8Array()).toString('base64'),
  };
}
