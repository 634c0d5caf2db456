// Groups the alerts of one window into a digest: counts by reason and scheme, the first N refunds by name.
// Memory stays bounded however bad the day is: only counts, a capped set of reasons and N examples are kept.

export interface RefundParkedAlert {
  asId: string;
  schemeId: string;
  step: string;
  reason: string;
  workflowId: string;
}

export interface SchemeFailingAlert {
  schemeId: string;
  /** Consecutive failures so far (the caller's count). */
  failures: number;
  lastReason: string;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

export interface AlertDigest {
  /** When the first alert of the window arrived and when the digest was cut (epoch ms). */
  from: number;
  to: number;
  parked: {
    total: number;
    byReason: ReasonCount[];
    byScheme: Record<string, number>;
    /** The first `maxListed` refunds, in arrival order. */
    listed: RefundParkedAlert[];
  };
  failingSchemes: SchemeFailingAlert[];
}

/** Distinct reasons tracked per window; the rest are counted under OTHER_REASONS. */
const MAX_REASONS = 50;
const MAX_REASON_LENGTH = 200;
/** Duplicate as_ids (an activity retried) are recognised up to this many per window. */
const MAX_DEDUPE = 10_000;
export const OTHER_REASONS = '(other reasons)';

export class AlertBatch {
  private total = 0;
  private readonly reasons = new Map<string, number>();
  private readonly schemes = new Map<string, number>();
  private readonly listed: RefundParkedAlert[] = [];
  private readonly seen = new Set<string>();
  private readonly failing = new Map<string, SchemeFailingAlert>();

  constructor(readonly openedAt: number, private readonly maxListed: number) {}

  get isEmpty(): boolean {
    return this.total === 0 && this.failing.size === 0;
  }

  addParked(alert: RefundParkedAlert): void {
    const key = alert.workflowId || alert.asId;
    if (this.seen.has(key)) return;
    if (this.seen.size < MAX_DEDUPE) this.seen.add(key);
    this.total += 1;
    const reason = normaliseReason(alert.reason);
    const reasonKey = this.reasons.has(reason) || this.reasons.size < MAX_REASONS ? reason : OTHER_REASONS;
    this.reasons.set(reasonKey, (this.reasons.get(reasonKey) ?? 0) + 1);
    this.schemes.set(alert.schemeId, (this.schemes.get(alert.schemeId) ?? 0) + 1);
    if (this.listed.length < this.maxListed) this.listed.push({ ...alert, reason });
  }

  addSchemeFailing(alert: SchemeFailingAlert): void {
    const prev = this.failing.get(alert.schemeId);
    // Keep the latest reason, and the highest count (reports may arrive out of order).
    this.failing.set(alert.schemeId, {
      schemeId: alert.schemeId,
      failures: Math.max(alert.failures, prev?.failures ?? 0),
      lastReason: normaliseReason(alert.lastReason),
    });
  }

  digest(cutAt: number): AlertDigest {
    return {
      from: this.openedAt,
      to: cutAt,
      parked: {
        total: this.total,
        byReason: [...this.reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
        byScheme: Object.fromEntries(this.schemes),
        listed: [...this.listed],
      },
      failingSchemes: [...this.failing.values()],
    };
  }
}

function normaliseReason(reason: string): string {
  const oneLine = reason.replace(/\s+/g, ' ').trim() || '(no reason given)';
  return oneLine.length > MAX_REASON_LENGTH ? `${oneLine.slice(0, MAX_REASON_LENGTH - 1)}…` : oneLine;
}
