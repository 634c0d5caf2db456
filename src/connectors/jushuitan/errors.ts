// Typed failures of the Jushuitan connector, classified once here (jushuitan-refund-api.md §5.3) so callers
// decide on `retryable` alone. Messages carry the path, code and server msg, never secrets or tokens.

/** Failures that never reached a business answer, and a window that kept shifting while paged. */
export type JstLocalCode = 'network' | 'timeout' | 'malformed_json' | 'bad_response' | 'reply_too_large' | 'unstable_window' | 'page_cap' | `http_${number}`;
export type JstErrorCode = number | JstLocalCode;

export interface JstErrorDetails {
  code: JstErrorCode;
  /** API path of the call, e.g. /open/refund/single/query. */
  path: string;
  /** The server's `msg`, when there was one. */
  apiMsg?: string;
}

export abstract class JushuitanError extends Error {
  abstract readonly retryable: boolean;
  readonly code: JstErrorCode;
  readonly path: string;
  readonly apiMsg?: string;

  constructor(message: string, details: JstErrorDetails) {
    // No `cause`: transport errors can hold the request, whose signed body carries the access token.
    super(`Jushuitan ${details.path}: ${message}`);
    this.code = details.code;
    this.path = details.path;
    this.apiMsg = details.apiMsg;
  }
}

/** Network errors, timeouts, HTTP 5xx/429, unparseable bodies and the rate-limit codes 199/200. */
export class JushuitanRetryableError extends JushuitanError {
  override readonly name = 'JushuitanRetryableError';
  readonly retryable = true;
}

/** Code 100 that a token refresh could not heal (no refresh token, refresh refused, or 100 again). */
export class JushuitanAuthError extends JushuitanError {
  override readonly name = 'JushuitanAuthError';
  readonly retryable = false;
}

/** Sign (10), parameters (140), timestamp skew (180), permissions and every other code; schema violations. */
export class JushuitanPermanentError extends JushuitanError {
  override readonly name = 'JushuitanPermanentError';
  readonly retryable = false;
}

export const JST_CODE = {
  ok: 0,
  badSign: 10,
  badToken: 100,
  badParams: 140,
  badTimestamp: 180,
  perSecondLimit: 199,
  perMinuteLimit: 200,
} as const;

export type JstCodeClass = 'ok' | 'retryable' | 'refresh' | 'permanent';

export function classifyJstCode(code: number): JstCodeClass {
  if (code === JST_CODE.ok) return 'ok';
  if (code === JST_CODE.perSecondLimit || code === JST_CODE.perMinuteLimit) return 'retryable';
  if (code === JST_CODE.badToken) return 'refresh';
  return 'permanent';
}

/** The typed error for a non-zero business code. */
export function businessError(path: string, code: number, apiMsg: string): JushuitanError {
  const message = `code ${code}: ${apiMsg || '(no msg)'}`;
  switch (classifyJstCode(code)) {
    case 'retryable':
      return new JushuitanRetryableError(message, { code, path, apiMsg });
    case 'refresh':
      return new JushuitanAuthError(message, { code, path, apiMsg });
    default:
      return new JushuitanPermanentError(message, { code, path, apiMsg });
  }
}
