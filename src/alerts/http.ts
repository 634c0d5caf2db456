// The HTTP POST the alerter needs, as a function so tests (and other transports) can stand in for undici.
import { request } from 'undici';

export interface AlertHttpRequest {
  url: string;
  body: string;
  /** The overall deadline; `signal` enforces it (and shutdown) on the whole exchange, body included. */
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface AlertHttpReply {
  status: number;
  body: string;
}

export type AlertHttpSender = (req: AlertHttpRequest) => Promise<AlertHttpReply>;

/** Longest reply body kept: robots answer with a few dozen bytes; anything longer is not read further. */
const MAX_REPLY_BYTES = 64 * 1024;

export const undiciSender: AlertHttpSender = async ({ url, body, timeoutMs, signal }) => {
  const res = await request(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs),
  });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    if (size < MAX_REPLY_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_REPLY_BYTES) };
};
