// The three Jushuitan endpoints and their check order (jushuitan-refund-api.md §7.2): envelope (140),
// timestamp (180), sign (10), token (100), rate (199/200), biz (140), query. Every business answer is
// HTTP 200 with {code, msg[, data]}.
import { jstSign } from '../../connectors/jushuitan/sign';
import { checkBiz } from './biz';
import type { ServerRateWindow } from './rate-window';
import type { RefundStore } from './store';
import type { TokenPair, TokenStore } from './tokens';

export interface BusinessAnswer {
  code: number;
  msg: string;
  data?: unknown;
}

const OK = '执行成功';
const BAD_PARAMS = '参数不符合规范: ';
const MAX_SKEW_SECONDS = 600;

const QUERY_FIELDS = ['app_key', 'access_token', 'timestamp', 'charset', 'version', 'biz', 'sign'] as const;
const INIT_TOKEN_FIELDS = ['app_key', 'timestamp', 'grant_type', 'charset', 'code', 'sign'] as const;
const REFRESH_FIELDS = ['app_key', 'timestamp', 'grant_type', 'charset', 'refresh_token', 'scope', 'sign'] as const;

export interface ProtocolDeps {
  now: () => number;
  /** app_key → app_secret. */
  apps: ReadonlyMap<string, string>;
  tokens: TokenStore;
  rate: ServerRateWindow;
  store: RefundStore;
}

function badParams(rule: string): BusinessAnswer {
  return { code: 140, msg: BAD_PARAMS + rule };
}

function tokenAnswer(pair: TokenPair): BusinessAnswer {
  return {
    code: 0,
    msg: OK,
    data: { access_token: pair.accessToken, expires_in: pair.expiresIn, refresh_token: pair.refreshToken, scope: 'all' },
  };
}

export class JushuitanProtocol {
  constructor(private readonly deps: ProtocolDeps) {}

  refundQuery(form: ReadonlyMap<string, string>): BusinessAnswer {
    const early = this.checkCommon(form, QUERY_FIELDS, true);
    if (early) return early;
    const appKey = form.get('app_key')!;
    if (!this.deps.tokens.isValid(appKey, form.get('access_token')!)) return { code: 100, msg: '无效的access_token或access_token已过期' };
    const limited = this.rateCheck(appKey);
    if (limited) return limited;

    const biz = checkBiz(form.get('biz')!);
    if (!biz.ok) return badParams(biz.rule);
    const q = biz.query;
    const page = this.deps.store.query(q);
    return {
      code: 0,
      msg: OK,
      data: {
        page_size: q.pageSize,
        page_index: q.pageIndex,
        data_count: page.dataCount,
        page_count: page.pageCount,
        has_next: q.pageIndex < page.pageCount,
        datas: page.records,
      },
    };
  }

  getInitToken(form: ReadonlyMap<string, string>): BusinessAnswer {
    const early = this.checkCommon(form, INIT_TOKEN_FIELDS, false) ?? this.rateCheck(form.get('app_key')!);
    if (early) return early;
    if (form.get('grant_type') !== 'authorization_code') return badParams('grant_type must be authorization_code');
    return tokenAnswer(this.deps.tokens.issue(form.get('app_key')!));
  }

  refreshToken(form: ReadonlyMap<string, string>): BusinessAnswer {
    const early = this.checkCommon(form, REFRESH_FIELDS, false) ?? this.rateCheck(form.get('app_key')!);
    if (early) return early;
    if (form.get('grant_type') !== 'refresh_token') return badParams('grant_type must be refresh_token');
    if (form.get('scope') !== 'all') return badParams('scope must be all');
    const pair = this.deps.tokens.refreshPair(form.get('app_key')!, form.get('refresh_token')!);
    return pair ? tokenAnswer(pair) : { code: 100, msg: '无效的refresh_token' };
  }

  /** Steps 1–3: required fields (and charset/version), timestamp skew, sign. */
  private checkCommon(form: ReadonlyMap<string, string>, required: readonly string[], business: boolean): BusinessAnswer | undefined {
    const missing = required.find((field) => !form.get(field));
    if (missing) return badParams(`missing ${missing}`);
    if (form.get('charset')!.toLowerCase() !== 'utf-8') return badParams('charset must be utf-8');
    if (business && form.get('version') !== '2') return badParams('version must be 2');

    const timestamp = form.get('timestamp')!;
    const nowSeconds = Math.floor(this.deps.now() / 1000);
    if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_SKEW_SECONDS) {
      return { code: 180, msg: 'timestamp 无效' };
    }

    const secret = this.deps.apps.get(form.get('app_key')!);
    // Values are hashed exactly as decoded; biz is never re-serialised (§2).
    if (secret === undefined || form.get('sign') !== jstSign(Object.fromEntries(form), secret)) {
      return { code: 10, msg: '验证失败！无效签名' };
    }
    return undefined;
  }

  private rateCheck(appKey: string): BusinessAnswer | undefined {
    const code = this.deps.rate.admit(appKey);
    if (code === 199) return { code, msg: '调用频次超过限制!请稍后再试' };
    if (code === 200) return { code, msg: '调用频次超过限制' };
    return undefined;
  }
}
