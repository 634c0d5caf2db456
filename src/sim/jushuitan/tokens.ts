// Access/refresh token pairs per app key (§5.4, §7.6). Tokens are deterministic per seed, so a seeded
// simulator prints the same fake credentials every time.
import { SeededRandom } from '../random';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

export interface TokenOptions {
  /** Lifetime of an access token, seconds. Default 2 592 000 (30 days). */
  expiresInSeconds?: number;
  /** A refresh kills the old access and refresh tokens at once (§7.9). Default true. */
  refreshInvalidatesOld?: boolean;
}

interface AccessEntry {
  appKey: string;
  expiresAt: number;
}

export function hex32(rnd: SeededRandom): string {
  return Array.from({ length: 4 }, () => rnd.int(0, 0xffffffff).toString(16).padStart(8, '0')).join('');
}

export class TokenStore {
  private readonly access = new Map<string, AccessEntry>();
  /** refresh token → the app key and the access token issued with it. */
  private readonly refresh = new Map<string, { appKey: string; accessToken: string }>();
  private readonly rnd: SeededRandom;
  expiresInSeconds: number;
  refreshInvalidatesOld: boolean;

  constructor(
    seed: number,
    private readonly now: () => number,
    options: TokenOptions = {},
  ) {
    this.rnd = new SeededRandom(seed ^ 0x70ce5);
    this.expiresInSeconds = options.expiresInSeconds ?? 2_592_000;
    this.refreshInvalidatesOld = options.refreshInvalidatesOld ?? true;
  }

  issue(appKey: string): TokenPair {
    const pair = { accessToken: hex32(this.rnd), refreshToken: hex32(this.rnd), expiresIn: this.expiresInSeconds };
    this.access.set(pair.accessToken, { appKey, expiresAt: this.now() + pair.expiresIn * 1000 });
    this.refresh.set(pair.refreshToken, { appKey, accessToken: pair.accessToken });
    return pair;
  }

  /** True when the token was issued to this app key and has not expired or been revoked. */
  isValid(appKey: string, accessToken: string): boolean {
    const entry = this.access.get(accessToken);
    return entry !== undefined && entry.appKey === appKey && this.now() < entry.expiresAt;
  }

  /** A new pair for a known refresh token of this app key, or undefined. */
  refreshPair(appKey: string, refreshToken: string): TokenPair | undefined {
    const entry = this.refresh.get(refreshToken);
    if (!entry || entry.appKey !== appKey) return undefined;
    if (this.refreshInvalidatesOld) {
      this.refresh.delete(refreshToken);
      this.access.delete(entry.accessToken);
    }
    return this.issue(appKey);
  }

  /** Expires one access token, or all when none is named. Returns how many. */
  expire(accessToken?: string): number {
    const targets = accessToken === undefined ? [...this.access.values()] : [this.access.get(accessToken)].filter((e) => e !== undefined);
    for (const entry of targets) entry.expiresAt = this.now() - 1;
    return targets.length;
  }

  /** Forgets tokens (access and/or refresh); with nothing named, every token. Returns how many. */
  revoke(tokens: { accessToken?: string; refreshToken?: string } = {}): number {
    if (tokens.accessToken === undefined && tokens.refreshToken === undefined) {
      const count = this.access.size + this.refresh.size;
      this.access.clear();
      this.refresh.clear();
      return count;
    }
    let count = 0;
    if (tokens.accessToken !== undefined && this.access.delete(tokens.accessToken)) count++;
    if (tokens.refreshToken !== undefined && this.refresh.delete(tokens.refreshToken)) count++;
    return count;
  }
}
