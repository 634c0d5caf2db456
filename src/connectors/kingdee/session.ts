// One Kingdee session per client: logged in lazily, carried as cookies plus the `kdservice-sessionid`
// header, and renewed single-flight when a call reports MsgCode 1 — many callers, one login.
// In signed-header mode there is no login: every request is signed and the server re-issues sessions.
import type { KingdeeConfig } from './config';
import { ReplyTooLargeError } from '../../lib/capped-body';
import { KingdeeLoginError, KingdeeReplyTooLargeError, KingdeeTransientError, type KingdeeCallContext } from './errors';
import type { KingdeeHttp, TransportFailure } from './http';
import { interpretReply } from './reply';
import { LoginResultSchema } from './responses';
import { loginSign, signedHeaders } from './signing';

export const SESSION_COOKIE = 'kdservice-sessionid';

const LOGIN_OPERATION = { 'validate-user': 'ValidateUser', 'app-secret': 'LoginByAppSecret', sign: 'LoginBySign' } as const;

export function operationUrl(baseUrl: string, service: 'AuthService' | 'DynamicFormService', op: string): string {
  return `${baseUrl}Kingdee.BOS.WebApi.ServicesStub.${service}.${op}.common.kdsvc`;
}

export class KingdeeSession {
  private readonly cookies = new Map<string, string>();
  private sessionId: string | undefined;
  private established = false;
  private renewing: Promise<void> | undefined;
  /** Bumped by every renewal; a caller that saw MsgCode 1 under an older generation need not renew again. */
  private generationCounter = 0;
  /** Login calls made (diagnostics and tests). */
  logins = 0;

  constructor(
    private readonly config: KingdeeConfig,
    private readonly http: KingdeeHttp,
    private readonly nowMs: () => number,
  ) {}

  get generation(): number {
    return this.generationCounter;
  }

  get signedMode(): boolean {
    return this.config.authMode === 'signed-header';
  }

  /** Logs in first if no session exists yet (login modes only). */
  async ensure(): Promise<void> {
    if (!this.signedMode && !this.established) await this.renew(this.generationCounter);
  }

  /** Renews the session seen at `staleGeneration`, once, whoever asks; later askers join or skip. */
  async renew(staleGeneration: number): Promise<void> {
    if (staleGeneration !== this.generationCounter) return;
    this.renewing ??= this.replace().finally(() => {
      this.renewing = undefined;
    });
    await this.renewing;
  }

  headersFor(url: string): Record<string, string> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (this.sessionId) headers[SESSION_COOKIE] = this.sessionId;
    if (this.signedMode) {
      Object.assign(
        headers,
        signedHeaders(url, {
          acctId: this.config.acctId,
          userName: this.config.username,
          appId: this.config.appId ?? '',
          appSecret: this.config.appSecret ?? '',
          lcid: this.config.lcid,
          orgNum: this.config.orgNum,
        }, this.nowMs() / 1000),
      );
    }
    return headers;
  }

  /** Takes the cookies of a reply; a new `kdservice-sessionid` (signed mode re-issue) becomes the header value too. */
  absorb(setCookies: readonly string[]): void {
    for (const line of setCookies) {
      const pair = line.split(';', 1)[0] ?? '';
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
      if (name.toLowerCase() === SESSION_COOKIE && value !== '') this.sessionId = value;
    }
  }

  /** Ends the session on the server (login modes); failures are ignored, the session expires anyway. */
  async logout(): Promise<void> {
    if (this.signedMode || !this.established) return;
    const url = operationUrl(this.config.baseUrl, 'AuthService', 'Logout');
    try {
      await this.http.post(url, JSON.stringify({ parameters: [] }), this.headersFor(url));
    } catch {
      // best effort
    }
    this.forget();
  }

  private forget(): void {
    this.cookies.clear();
    this.sessionId = undefined;
    this.established = false;
  }

  private async replace(): Promise<void> {
    this.forget();
    if (!this.signedMode) await this.login();
    this.established = true;
    this.generationCounter++;
  }

  private loginBody(mode: keyof typeof LOGIN_OPERATION): unknown {
    const c = this.config;
    switch (mode) {
      case 'validate-user':
        return { acctid: c.acctId, username: c.username, password: c.password, lcid: c.lcid };
      case 'app-secret':
        // Positional: named spellings differ between clients (kingdee-webapi.md §2.2).
        return { parameters: [c.acctId, c.username, c.appId, c.appSecret, c.lcid] };
      case 'sign': {
        const timestamp = String(Math.floor(this.nowMs() / 1000));
        const sign = loginSign(
          { acctId: c.acctId, userName: c.username, appId: c.appId ?? '', appSecret: c.appSecret ?? '', timestamp },
          c.signAlgorithm,
        );
        return { parameters: [c.acctId, c.username, c.appId, timestamp, sign, c.lcid] };
      }
    }
  }

  private async login(): Promise<void> {
    const mode = this.config.authMode as keyof typeof LOGIN_OPERATION;
    const operation = LOGIN_OPERATION[mode];
    const ctx: KingdeeCallContext = { operation };
    const url = operationUrl(this.config.baseUrl, 'AuthService', operation);
    this.logins++;
    let reply;
    try {
      reply = await this.http.post(url, JSON.stringify(this.loginBody(mode)), {});
    } catch (err) {
      if (err instanceof ReplyTooLargeError) throw new KingdeeReplyTooLargeError(ctx, err.message);
      throw new KingdeeTransientError(ctx, `login failed: ${(err as TransportFailure).message}`, { cause: err });
    }
    const { payload } = interpretReply(reply, ctx);
    const parsed = LoginResultSchema.safeParse(payload);
    if (!parsed.success) throw new KingdeeTransientError(ctx, 'login reply has no LoginResultType');
    const result = parsed.data;
    if (result.LoginResultType !== 1) {
      const who = `user ${this.config.username} in data center ${this.config.acctId}`;
      throw new KingdeeLoginError(ctx, `login refused for ${who}: LoginResultType ${result.LoginResultType}${result.Message ? ` (${result.Message})` : ''}`, result.LoginResultType);
    }
    this.absorb(reply.setCookies);
    if (result.KDSVCSessionId) this.sessionId = result.KDSVCSessionId;
  }
}
