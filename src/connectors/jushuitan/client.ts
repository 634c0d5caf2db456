// The Jushuitan v2 client: envelope, signing, throttle, token refresh and retries around one HTTP POST.
// Retries happen here with bounded back-off; what escapes is a typed JushuitanError.
import { request } from 'undici';
import { readCappedText, ReplyTooLargeError } from '../../lib/capped-body';
import { systemClock, type Clock } from './clock';
import { parseJushuitanConfig, type JushuitanConfig, type JushuitanConfigInput } from './config';
import {
  businessError,
  JST_CODE,
  JushuitanAuthError,
  JushuitanError,
  JushuitanPermanentError,
  JushuitanRetryableError,
} from './errors';
import { RateLimiter, sharedRateLimiter } from './rate-limiter';
import {
  describeZodError,
  envelopeSchema,
  parseJsonKeepingLargeIds,
  parseRefundRecords,
  refundPageDataSchema,
  tokenDataSchema,
  type InvalidRefundRecord,
  type JstRefund,
} from './schemas';
import { signedFormBody } from './sign';
import { memoryTokenKeeper, type JstTokens, type TokenKeeper } from './token-keeper';

export type { JstTokens } from './token-keeper';

export const JST_PATHS = {
  refundQuery: '/open/refund/single/query',
  getInitToken: '/openWeb/auth/getInitToken',
  refreshToken: '/openWeb/auth/refreshToken',
} as const;

export const MAX_PAGE_SIZE = 50;

export interface RefundPageQuery {
  /** Beijing time `yyyy-MM-dd HH:mm:ss`, inclusive. */
  modifiedBegin: string;
  /** Beijing time `yyyy-MM-dd HH:mm:ss`, inclusive; at most 7 days after modifiedBegin. */
  modifiedEnd: string;
  pageIndex: number;
  /** 1..50; default 50. */
  pageSize?: number;
  status?: string;
  shopId?: string;
  /**
   * What a record that fails validation does: `fail` (default) fails the whole page with a permanent error
   * naming the field; `separate` returns it in `invalid`, so one bad record cannot block its page.
   */
  invalidRecords?: 'fail' | 'separate';
}

export interface RefundPage {
  records: JstRefund[];
  /** Records that failed validation (present when the query asked for `invalidRecords: 'separate'`). */
  invalid?: InvalidRefundRecord[];
  hasNext: boolean;
  pageIndex: number;
  dataCount?: number;
  pageCount?: number;
}

export interface JushuitanClientDeps {
  clock?: Clock;
  /** Defaults to the process-wide limiter; with an injected clock and no limiter, a private one on that clock. */
  limiter?: RateLimiter;
  /** Jitter source, [0, 1). */
  random?: () => number;
  /**
   * Where the token pair lives. Default: in memory, seeded from the configuration (one process only: a refresh
   * kills the old pair, so production passes the state store's keeper, shared by every worker).
   */
  tokens?: TokenKeeper;
  /** Called after an in-memory refresh with the new pair (ignored when `tokens` is given). */
  onTokensRefreshed?: (tokens: JstTokens) => void;
}

type Fields = Record<string, string>;

export class JushuitanClient {
  readonly config: JushuitanConfig;
  readonly clock: Clock;
  private readonly limiter: RateLimiter;
  private readonly random: () => number;
  private readonly tokens: TokenKeeper;

  constructor(config: JushuitanConfigInput, deps: JushuitanClientDeps = {}) {
    this.config = parseJushuitanConfig(config);
    this.clock = deps.clock ?? systemClock;
    this.limiter = deps.limiter ?? (deps.clock ? new RateLimiter(deps.clock) : sharedRateLimiter);
    this.random = deps.random ?? Math.random;
    this.tokens =
      deps.tokens ??
      memoryTokenKeeper({ accessToken: this.config.accessToken, refreshToken: this.config.refreshToken ?? '' }, deps.onTokensRefreshed);
  }

  /** One page of 退货退款查询 by modified-time window. */
  async queryRefundPage(q: RefundPageQuery): Promise<RefundPage> {
    const pageSize = q.pageSize ?? MAX_PAGE_SIZE;
    const biz: Record<string, unknown> = {
      page_index: q.pageIndex,
      page_size: pageSize,
      modified_begin: q.modifiedBegin,
      modified_end: q.modifiedEnd,
    };
    if (q.status !== undefined) biz.status = q.status;
    if (q.shopId !== undefined) biz.shop_id = /^\d+$/.test(q.shopId) ? Number(q.shopId) : q.shopId;

    const data = await this.callBusiness(JST_PATHS.refundQuery, biz);
    const parsed = refundPageDataSchema.safeParse(data ?? {});
    if (!parsed.success) {
      throw new JushuitanPermanentError(`response does not match the refund page schema: ${describeZodError(parsed.error)}`, {
        code: 'bad_response',
        path: JST_PATHS.refundQuery,
      });
    }
    const page = parsed.data;
    const datas = page.datas ?? [];
    const { records, invalid } = parseRefundRecords(datas);
    if (invalid.length > 0 && q.invalidRecords !== 'separate') {
      const more = invalid.length > 1 ? ` (and ${invalid.length - 1} more bad records)` : '';
      throw new JushuitanPermanentError(`response does not match the refund page schema: ${invalid[0]!.pageError}${more}`, {
        code: 'bad_response',
        path: JST_PATHS.refundQuery,
      });
    }
    const pageCount = page.page_count ?? undefined;
    // Fallbacks when has_next is missing (§4.1): page_count, then "the page came back full".
    const hasNext = page.has_next ?? (pageCount !== undefined ? q.pageIndex < pageCount : datas.length >= pageSize);
    return { records, invalid, hasNext, pageIndex: page.page_index ?? q.pageIndex, dataCount: page.data_count ?? undefined, pageCount };
  }

  /** Refreshes the access token through the token keeper (concurrent callers share one refresh). */
  async refreshAccessToken(): Promise<void> {
    const { accessToken } = await this.tokens.current();
    await this.tokens.replace(accessToken, (refreshToken) => this.exchangeRefreshToken(refreshToken));
  }

  private async callBusiness(path: string, biz: Record<string, unknown>): Promise<unknown> {
    const bizText = JSON.stringify(biz);
    let refreshed = false;
    let skewRetried = false;
    let failures = 0;
    for (;;) {
      const tokenUsed = (await this.tokens.current()).accessToken;
      try {
        return await this.send(path, {
          app_key: this.config.appKey,
          access_token: tokenUsed,
          timestamp: this.timestamp(),
          charset: 'utf-8',
          version: '2',
          biz: bizText,
        });
      } catch (err) {
        if (!(err instanceof JushuitanError)) throw err;
        if (err instanceof JushuitanAuthError && err.code === JST_CODE.badToken && !refreshed) {
          refreshed = true;
          // Another worker may have refreshed already: the keeper then hands back its pair without a call.
          await this.tokens.replace(tokenUsed, (refreshToken) => this.exchangeRefreshToken(refreshToken));
          continue;
        }
        // A 180 is re-signed with a fresh timestamp once (§5.3); a second one is a clock problem.
        if (err.code === JST_CODE.badTimestamp && !skewRetried) {
          skewRetried = true;
          continue;
        }
        failures = await this.backOffOrThrow(err, failures);
      }
    }
  }

  /** The refresh call itself: a new pair for `refreshToken` (which Jushuitan then kills, with its access token). */
  private async exchangeRefreshToken(refreshToken: string): Promise<JstTokens> {
    if (!refreshToken) {
      throw new JushuitanAuthError('no refresh token configured', { code: JST_CODE.badToken, path: JST_PATHS.refreshToken });
    }
    let failures = 0;
    let data: unknown;
    for (;;) {
      try {
        data = await this.send(JST_PATHS.refreshToken, {
          app_key: this.config.appKey,
          timestamp: this.timestamp(),
          grant_type: 'refresh_token',
          charset: 'utf-8',
          refresh_token: refreshToken,
          scope: 'all',
        });
        break;
      } catch (err) {
        if (!(err instanceof JushuitanError)) throw err;
        if (err.code === JST_CODE.badToken) {
          throw new JushuitanAuthError(`token refresh refused (code ${err.code}: ${err.apiMsg ?? ''})`, {
            code: err.code,
            path: err.path,
            apiMsg: err.apiMsg,
          });
        }
        failures = await this.backOffOrThrow(err, failures);
      }
    }
    const tokens = tokenDataSchema.safeParse(data);
    if (!tokens.success) {
      throw new JushuitanPermanentError(`refresh answer lacks tokens: ${describeZodError(tokens.error)}`, {
        code: 'bad_response',
        path: JST_PATHS.refreshToken,
      });
    }
    return {
      accessToken: tokens.data.access_token,
      refreshToken: tokens.data.refresh_token,
      expiresInSeconds: tokens.data.expires_in ?? undefined,
    };
  }

  /** Waits before the next attempt of a retryable failure, or rethrows; returns the new failure count. */
  private async backOffOrThrow(err: JushuitanError, failuresSoFar: number): Promise<number> {
    const failures = failuresSoFar + 1;
    if (!err.retryable || failures >= this.config.retry.maxAttempts) throw err;
    const retry = this.config.retry;
    const jitter = 1 + this.random() * 0.25;
    if (err.code === JST_CODE.perMinuteLimit) {
      // Every caller of this app key must wait the window out, not only this one.
      this.limiter.holdOff(this.config.appKey, retry.perMinuteLimitDelayMs * jitter);
    } else if (err.code === JST_CODE.perSecondLimit) {
      this.limiter.holdOff(this.config.appKey, Math.min(retry.maxDelayMs, retry.perSecondLimitDelayMs * 2 ** (failures - 1)) * jitter);
    } else {
      await this.clock.sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (failures - 1)) * jitter);
    }
    return failures;
  }

  private timestamp(): string {
    return String(Math.floor(this.clock.now() / 1000));
  }

  /** One throttled, signed POST; returns `data` of a code-0 answer or throws the typed error. */
  private async send(path: string, fields: Fields): Promise<unknown> {
    const done = await this.limiter.acquire(this.config.appKey, this.config.limits);
    const body = signedFormBody(fields, this.config.appSecret);
    let status: number;
    let text: string;
    try {
      const response = await request(this.config.baseUrl + path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body,
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      status = response.statusCode;
      text = await readCappedText(
        response.body,
        { system: 'Jushuitan', operation: path, maxBytes: this.config.maxReplyBytes, variable: 'JST_MAX_REPLY_MB' },
        response.headers['content-length'],
      );
    } catch (err) {
      // An answer that is too large is an answer, not a network failure: retrying would fetch it again.
      if (err instanceof ReplyTooLargeError) throw new JushuitanPermanentError(err.message, { code: 'reply_too_large', path });
      const name = err instanceof Error ? err.name : '';
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new JushuitanRetryableError(`no answer within ${this.config.timeoutMs} ms`, { code: 'timeout', path });
      }
      // Only the code and message of the cause: the request object would carry the signed body.
      const cause = err as { code?: string; message?: string };
      throw new JushuitanRetryableError(`network error: ${cause.code ?? ''} ${cause.message ?? String(err)}`.trim(), {
        code: 'network',
        path,
      });
    } finally {
      done();
    }

    if (status >= 500 || status === 429) {
      throw new JushuitanRetryableError(`HTTP ${status}`, { code: `http_${status}`, path });
    }
    if (status !== 200) throw new JushuitanPermanentError(`HTTP ${status}`, { code: `http_${status}`, path });

    let json: unknown;
    try {
      json = parseJsonKeepingLargeIds(text);
    } catch {
      throw new JushuitanRetryableError(`malformed JSON in the answer (${text.length} bytes)`, { code: 'malformed_json', path });
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) {
      throw new JushuitanPermanentError(`answer is not a {code, msg, data} envelope: ${describeZodError(envelope.error)}`, {
        code: 'bad_response',
        path,
      });
    }
    const { code, msg, data } = envelope.data;
    if (code !== JST_CODE.ok) throw businessError(path, code, msg ?? '');
    return data;
  }
}
