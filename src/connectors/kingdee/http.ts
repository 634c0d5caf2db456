// One POST to Kingdee over undici, under the per-user concurrency limit. Transport failures are told apart
// by whether the request can have reached the server: that decides whether a write's outcome is unknown.
import { Agent, request, type Dispatcher } from 'undici';
import { DEFAULT_MAX_REPLY_BYTES, readCappedText, ReplyTooLargeError } from '../../lib/capped-body';
import { ConcurrencyLimiter } from './limiter';

export interface RawReply {
  status: number;
  /** Every `Set-Cookie` line, unsplit (a cookie's `expires=` holds a comma). */
  setCookies: string[];
  body: string;
}

/** The request failed without a reply. `sent: false` means the server cannot have seen it (connect failures). */
export class TransportFailure extends Error {
  override readonly name = 'TransportFailure';
  constructor(
    readonly sent: boolean,
    readonly timedOut: boolean,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
  }
}

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

function errorCodes(err: unknown, depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 3) return [];
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  // AbortSignal.timeout() rejects with a DOMException named TimeoutError (code is a number there).
  const own = typeof e.code === 'string' ? [e.code] : e.name === 'TimeoutError' ? ['TIMEOUT'] : [];
  const nested = Array.isArray(e.errors) ? e.errors.flatMap((x) => errorCodes(x, depth + 1)) : [];
  return [...own, ...nested, ...errorCodes(e.cause, depth + 1)];
}

export function classifyTransportError(err: unknown): TransportFailure {
  const codes = errorCodes(err);
  const notSent = codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c));
  const timedOut = codes.some((c) => TIMEOUT_CODES.has(c));
  const what = codes[0] ?? (err instanceof Error ? err.name : 'error');
  return new TransportFailure(!notSent, timedOut, timedOut ? `timed out (${what})` : `network failure (${what})`, { cause: err });
}

/** `ExecuteBillQuery` from `…DynamicFormService.ExecuteBillQuery.common.kdsvc`, for messages. */
export function operationOfUrl(url: string): string {
  return /\.(\w+)\.common\.kdsvc$/.exec(url)?.[1] ?? url;
}

export class KingdeeHttp {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly timeoutMs: number;
  private readonly maxReplyBytes: number;
  readonly limiter: ConcurrencyLimiter;

  constructor(options: { maxConcurrency: number; timeoutMs: number; maxReplyBytes?: number; dispatcher?: Dispatcher }) {
    this.limiter = new ConcurrencyLimiter(options.maxConcurrency);
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher = options.dispatcher ?? new Agent({ connections: options.maxConcurrency * 2 });
    this.timeoutMs = options.timeoutMs;
    this.maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  }

  /** Throws TransportFailure without a reply, ReplyTooLargeError when the body exceeds the cap. */
  post(url: string, body: string, headers: Record<string, string>): Promise<RawReply> {
    return this.limiter.run(async () => {
      // undici's own header/body timeouts run on coarse (~1 s) timers; the signal makes the limit precise.
      const signal = AbortSignal.timeout(this.timeoutMs);
      let response: Dispatcher.ResponseData;
      try {
        response = await request(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json; charset=utf-8', accept: 'application/json', ...headers },
          dispatcher: this.dispatcher,
          signal,
          headersTimeout: this.timeoutMs,
          bodyTimeout: this.timeoutMs,
        });
      } catch (err) {
        throw classifyTransportError(err);
      }
      const cap = { system: 'Kingdee', operation: operationOfUrl(url), maxBytes: this.maxReplyBytes, variable: 'KINGDEE_MAX_REPLY_MB' };
      let text: string;
      try {
        text = await readCappedText(response.body, cap, response.headers['content-length']);
      } catch (err) {
        if (err instanceof ReplyTooLargeError) throw err;
        throw classifyTransportError(err);
      }
      const raw = response.headers['set-cookie'];
      const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
      return { status: response.statusCode, setCookies, body: text };
    });
  }

  /** Idempotent: a second close (a test's teardown after a command's) is a no-op. */
  async close(): Promise<void> {
    if (!this.ownsDispatcher || this.closed) return;
    this.closed = true;
    await this.dispatcher.close().catch((err: unknown) => {
      if ((err as { code?: string }).code !== 'UND_ERR_DESTROYED') throw err; // already torn down: nothing to close
    });
  }

  private closed = false;
}
