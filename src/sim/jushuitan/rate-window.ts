// The server's call-rate rule (§7.2 step 5, §7.9): per app key across all paths, reject when, counting
// this call, more than perSecond calls fall in (t − 1 s, t] (code 199, checked first) or more than
// perMinute in (t − 60 s, t] (code 200). Rejected calls count too.

export interface SimRateLimits {
  perSecond: number;
  perMinute: number;
  enabled: boolean;
}

export const DEFAULT_SIM_RATE_LIMITS: SimRateLimits = { perSecond: 5, perMinute: 100, enabled: true };

export class ServerRateWindow {
  private readonly calls = new Map<string, number[]>();
  limits: SimRateLimits;

  constructor(
    private readonly now: () => number,
    limits: Partial<SimRateLimits> = {},
  ) {
    this.limits = { ...DEFAULT_SIM_RATE_LIMITS, ...limits };
  }

  /** Counts a call of `appKey` now; 0 when allowed, else 199 or 200. */
  admit(appKey: string): 0 | 199 | 200 {
    const t = this.now();
    const recent = (this.calls.get(appKey) ?? []).filter((at) => at > t - 60_000);
    recent.push(t);
    this.calls.set(appKey, recent);
    if (!this.limits.enabled) return 0;
    if (recent.filter((at) => at > t - 1_000).length > this.limits.perSecond) return 199;
    if (recent.length > this.limits.perMinute) return 200;
    return 0;
  }

  set(limits: Partial<SimRateLimits>): SimRateLimits {
    this.limits = { ...this.limits, ...limits };
    return this.limits;
  }

  /** Forgets past calls (e.g. after a test lowered the limits). */
  clear(): void {
    this.calls.clear();
  }
}
