// Authentication of the simulator (kingdee-webapi.md §9.2): ValidateUser, LoginByAppSecret, LoginBySign,
// Logout, sliding-expiry sessions found by cookie or header, and the SDK signed-header scheme.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { apiSignature, kdAppSignature, loginSign } from '../../connectors/kingdee/signing';

export const SESSION_COOKIE = 'kdservice-sessionid';
export const ASPNET_COOKIE = 'ASP.NET_SessionId';

export interface SimUser {
  username: string;
  password: string;
  userId: number;
}

export interface SimAppGrant {
  appId: string;
  appSecret: string;
}

export interface AuthSettings {
  acctId: string;
  users: SimUser[];
  apps: SimAppGrant[];
  /** Sliding session lifetime (20 minutes on real servers). */
  sessionTtlMs: number;
  /** LoginBySign hash (servers before PT-146911 use SHA-1). */
  loginSignAlgorithm: 'sha256' | 'sha1';
  /** LoginBySign timestamp skew window in seconds; unchecked when undefined. */
  signWindowSeconds: number | undefined;
  /** Accept the SDK signed-header scheme on business calls. */
  signedHeaders: boolean;
  /** Also check `X-Api-Signature` (the public gateway's check; off on on-prem servers). */
  verifyApiSignature: boolean;
}

export interface Session {
  id: string;
  aspNetId: string;
  user: SimUser;
  lastSeenMs: number;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly ttlMs: () => number,
    private readonly nowMs: () => number,
  ) {}

  create(user: SimUser): Session {
    const session: Session = { id: randomBytes(16).toString('hex'), aspNetId: randomBytes(12).toString('base64url'), user, lastSeenMs: this.nowMs() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, renewed (sliding expiry); expired ones are removed. */
  touch(id: string | undefined): Session | undefined {
    if (!id) return undefined;
    const session = this.sessions.get(id);
    if (!session) return undefined;
    const now = this.nowMs();
    if (now - session.lastSeenMs > this.ttlMs()) {
      this.sessions.delete(id);
      return undefined;
    }
    session.lastSeenMs = now;
    return session;
  }

  drop(id: string | undefined): boolean {
    return id ? this.sessions.delete(id) : false;
  }

  /** Ends every session (tests: "the server lost all sessions"). Returns how many there were. */
  expireAll(): number {
    const n = this.sessions.size;
    this.sessions.clear();
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }
}

export function sessionCookies(session: Session): string[] {
  return [`${SESSION_COOKIE}=${session.id}; path=/; HttpOnly`, `${ASPNET_COOKIE}=${session.aspNetId}; path=/; HttpOnly`];
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export type LoginOperation = 'ValidateUser' | 'ValidateUser2' | 'LoginByAppSecret' | 'LoginBySign';

export interface LoginArgs {
  positional: unknown[] | undefined;
  named: (key: string) => unknown;
}

/** Login parameters in Manual order; named keys are matched case-insensitively by the caller's `named`. */
const PARAMETERS: Record<LoginOperation, string[]> = {
  ValidateUser: ['acctid', 'username', 'password', 'lcid'],
  ValidateUser2: ['acctid', 'username', 'password', 'iskickoff', 'lcid'],
  LoginByAppSecret: ['acctid', 'username', 'appid', 'appsecret', 'lcid'],
  LoginBySign: ['acctid', 'username', 'appid', 'timestamp', 'sign', 'lcid'],
};

export interface LoginOutcome {
  body: unknown;
  success: boolean;
  setCookies: string[];
}

export class Authenticator {
  readonly sessions: SessionRegistry;

  constructor(
    readonly settings: AuthSettings,
    private readonly nowMs: () => number,
  ) {
    this.sessions = new SessionRegistry(() => this.settings.sessionTtlMs, nowMs);
  }

  private user(name: string): SimUser | undefined {
    return this.settings.users.find((u) => u.username === name);
  }

  private app(appId: string): SimAppGrant | undefined {
    return this.settings.apps.find((a) => a.appId === appId);
  }

  login(op: LoginOperation, args: LoginArgs): LoginOutcome {
    const names = PARAMETERS[op];
    const arg = (name: string): string => {
      const v = args.positional ? args.positional[names.indexOf(name)] : args.named(name);
      return v === undefined || v === null ? '' : String(v);
    };
    const refuse = (type: number, message: string): LoginOutcome => ({ body: loginResult(type, message), success: false, setCookies: [] });
    if (arg('acctid') !== this.settings.acctId) return refuse(-1, `数据中心“${arg('acctid')}”不存在`);
    const user = this.user(arg('username'));
    switch (op) {
      case 'ValidateUser':
      case 'ValidateUser2':
        if (!user || !same(user.password, arg('password'))) return refuse(0, '用户名或密码错误');
        break;
      case 'LoginByAppSecret': {
        const app = this.app(arg('appid'));
        if (!user || !app || !same(app.appSecret, arg('appsecret'))) return refuse(-1, '第三方系统登录授权验证失败');
        break;
      }
      case 'LoginBySign': {
        const app = this.app(arg('appid'));
        const timestamp = arg('timestamp');
        if (!user || !app) return refuse(-1, '第三方系统登录授权验证失败');
        const expected = loginSign({ acctId: this.settings.acctId, userName: user.username, appId: app.appId, appSecret: app.appSecret, timestamp }, this.settings.loginSignAlgorithm);
        if (!same(expected, arg('sign').toLowerCase())) return refuse(-1, '签名验证失败');
        const window = this.settings.signWindowSeconds;
        if (window !== undefined && Math.abs(this.nowMs() / 1000 - Number(timestamp)) > window) return refuse(-1, '时间戳超出有效范围');
        break;
      }
    }
    const session = this.sessions.create(user!);
    return { body: loginSuccess(session, this.settings.acctId), success: true, setCookies: sessionCookies(session) };
  }

  /**
   * Checks the SDK signed headers when the request carries no live session. Returns the new session,
   * `sessionLost` (bad signature, unknown user or app) or `passport` (unknown acctId: non-200 on real servers).
   */
  signedSession(headers: Record<string, string | string[] | undefined>, requestUrl: string): Session | 'absent' | 'sessionLost' | 'passport' {
    const h = (name: string): string => {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
    };
    const appKey = h('X-Kd-Appkey');
    if (!this.settings.signedHeaders || appKey === '') return 'absent';
    const appData = Buffer.from(h('X-Kd-Appdata'), 'base64').toString('utf8');
    const [acctId = '', userName = '', lcid = ''] = appData.split(',');
    if (acctId !== this.settings.acctId) return 'passport';
    const app = this.app(appKey);
    const user = this.user(userName);
    if (!app || !user || !/^\d+$/.test(lcid)) return 'sessionLost';
    if (!same(kdAppSignature(app.appId, appData, app.appSecret), h('X-Kd-Signature'))) return 'sessionLost';
    if (this.settings.verifyApiSignature) {
      const ts = h('x-api-timestamp');
      if (!same(apiSignature(requestUrl, ts, h('x-api-nonce'), app.appId), h('X-Api-Signature'))) return 'sessionLost';
    }
    return this.sessions.create(user);
  }
}

function loginResult(type: number, message: string): unknown {
  return {
    Message: message, MessageCode: null, LoginResultType: type, KDSVCSessionId: null, IsSuccessByAPI: false, Context: null,
    FormId: null, RedirectFormParam: null, ErrorStackTrace: null, Lcid: 0, AccessToken: null, CustomParam: {},
  };
}

function loginSuccess(session: Session, acctId: string): unknown {
  return {
    Message: null, MessageCode: null, LoginResultType: 1, KDSVCSessionId: session.id, IsSuccessByAPI: true,
    Context: {
      UserId: session.user.userId, UserName: session.user.username, DBid: acctId, SessionId: session.id,
      CurrentOrganizationInfo: { ID: 1, Name: '总公司' },
    },
    FormId: null, RedirectFormParam: null, ErrorStackTrace: null, Lcid: 0, AccessToken: null, CustomParam: {},
  };
}
