// Tenant: each scheme's polling health (failed runs in a row, new refunds that all park) and when each kind of
// alert about it was last raised. Kept in the store, not in a worker: every worker sees the same streaks, and a
// lagging scheme is alerted once per period however many workers and runs notice it.
import type { SqlQueryable } from './sql';

export type HealthAlertKind = 'failure' | 'lag' | 'parked';

/** A fixed column per kind: never built from input. */
const ALERTED_AT: Record<HealthAlertKind, string> = {
  failure: 'failure_alerted_at',
  lag: 'lag_alerted_at',
  parked: 'parked_alerted_at',
};

export interface AllParked {
  /** When the first refund parked after the scheme's last sync. */
  since: Date;
  /** Refunds parked since then. */
  count: number;
}

export function pollHealth(db: SqlQueryable) {
  const ensureRow = (schemeId: string) => db.query('insert into poll_health (scheme_id) values ($1) on conflict (scheme_id) do nothing', [schemeId]);

  return {
    /** One more failed run in a row; returns the streak's length. */
    async runFailed(schemeId: string, reason: string): Promise<number> {
      const [row] = await db.query<{ failures: number }>(
        `insert into poll_health (scheme_id, failures, last_failure) values ($1, 1, $2)
         on conflict (scheme_id) do update set failures = poll_health.failures + 1, last_failure = excluded.last_failure, updated_at = now()
         returning failures`,
        [schemeId, reason],
      );
      return row!.failures;
    },

    /** A run completed: the failure streak ends, and the next failure is alerted at once. */
    async runCompleted(schemeId: string): Promise<void> {
      await db.query(
        `insert into poll_health (scheme_id) values ($1)
         on conflict (scheme_id) do update set failures = 0, failure_alerted_at = null, updated_at = now()`,
        [schemeId],
      );
    },

    /** A refund of the scheme parked: starts the all-parked streak unless one is running. */
    async refundParked(schemeId: string): Promise<void> {
      await db.query(
        `insert into poll_health (scheme_id, parked_since, parked_count) values ($1, now(), 1)
         on conflict (scheme_id) do update set parked_since = coalesce(poll_health.parked_since, now()),
           parked_count = poll_health.parked_count + 1, updated_at = now()`,
        [schemeId],
      );
    },

    /** A refund of the scheme synced: not every new refund parks any more. */
    async refundSynced(schemeId: string): Promise<void> {
      await db.query(
        `update poll_health set parked_since = null, parked_count = 0, parked_alerted_at = null, updated_at = now()
         where scheme_id = $1 and parked_since is not null`,
        [schemeId],
      );
    },

    async failures(schemeId: string): Promise<number> {
      const [row] = await db.query<{ failures: number }>('select failures from poll_health where scheme_id = $1', [schemeId]);
      return row?.failures ?? 0;
    },

    /** The running all-parked streak, if every refund that reached an outcome since the last sync parked. */
    async allParked(schemeId: string): Promise<AllParked | undefined> {
      const [row] = await db.query<{ parked_since: Date | null; parked_count: number }>(
        'select parked_since, parked_count from poll_health where scheme_id = $1',
        [schemeId],
      );
      return row?.parked_since ? { since: new Date(row.parked_since), count: row.parked_count } : undefined;
    },

    /**
     * True for exactly one caller per `repeatMs` (or once) and kind: the one that should raise the alert now.
     * Atomic, so two workers noticing the same lag at once send one alert.
     */
    async claimAlert(schemeId: string, kind: HealthAlertKind, repeatMs: number | 'once'): Promise<boolean> {
      await ensureRow(schemeId);
      const column = ALERTED_AT[kind];
      // 'once': until clearAlert (or the condition's end) makes the next occurrence alertable.
      const claimed = await db.query(
        `update poll_health set ${column} = now(), updated_at = now()
         where scheme_id = $1 and (${column} is null or ($2::double precision is not null and ${column} <= now() - make_interval(secs => $2::double precision)))
         returning scheme_id`,
        [schemeId, repeatMs === 'once' ? null : repeatMs / 1000],
      );
      return claimed.length === 1;
    },

    /** The condition is over: the next time it happens is alerted at once. */
    async clearAlert(schemeId: string, kind: HealthAlertKind): Promise<void> {
      await db.query(`update poll_health set ${ALERTED_AT[kind]} = null where scheme_id = $1 and ${ALERTED_AT[kind]} is not null`, [schemeId]);
    },
  };
}

export type PollHealth = ReturnType<typeof pollHealth>;
