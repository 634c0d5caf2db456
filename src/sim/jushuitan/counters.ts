// Call accounting (§7.8): calls by path and by outcome (business code, or an injected / transport outcome
// such as http_5xx, malformed, http_404), plus the largest page_size and window span any query asked for.

export interface PathCounters {
  calls: number;
  outcomes: Record<string, number>;
}

export interface CounterSnapshot {
  total: number;
  byPath: Record<string, PathCounters>;
  byOutcome: Record<string, number>;
  /** Largest integer page_size seen in a query's biz (0 when none). */
  maxPageSize: number;
  /** Largest modified_end − modified_begin, seconds, of a well-formed query window (0 when none). */
  maxWindowSeconds: number;
}

export class CallCounters {
  private state: CounterSnapshot = CallCounters.empty();

  private static empty(): CounterSnapshot {
    return { total: 0, byPath: {}, byOutcome: {}, maxPageSize: 0, maxWindowSeconds: 0 };
  }

  record(path: string, outcome: string | number): void {
    const key = String(outcome);
    const byPath = (this.state.byPath[path] ??= { calls: 0, outcomes: {} });
    byPath.calls++;
    byPath.outcomes[key] = (byPath.outcomes[key] ?? 0) + 1;
    this.state.byOutcome[key] = (this.state.byOutcome[key] ?? 0) + 1;
    this.state.total++;
  }

  observeQuery(seen: { pageSize?: number; windowSeconds?: number }): void {
    if (seen.pageSize !== undefined) this.state.maxPageSize = Math.max(this.state.maxPageSize, seen.pageSize);
    if (seen.windowSeconds !== undefined) this.state.maxWindowSeconds = Math.max(this.state.maxWindowSeconds, seen.windowSeconds);
  }

  /** Count of one outcome, optionally on one path. */
  count(outcome: string | number, path?: string): number {
    const table = path === undefined ? this.state.byOutcome : this.state.byPath[path]?.outcomes ?? {};
    return table[String(outcome)] ?? 0;
  }

  calls(path: string): number {
    return this.state.byPath[path]?.calls ?? 0;
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.state);
  }

  reset(): void {
    this.state = CallCounters.empty();
  }
}
