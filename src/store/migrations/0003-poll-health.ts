// Version 3: each scheme's polling health, so a failing or stuck poll is alerted once per period across every
// worker (the alert claims are row updates) and "every new refund parks" is seen across workers and restarts.
export default {
  version: 3,
  name: 'poll health',
  sql: `
    create table poll_health (
      scheme_id          text primary key,
      -- consecutive failed poll runs, and the last one's reason
      failures           integer not null default 0,
      last_failure       text,
      -- the first park after the scheme's last sync: since then every refund that reached an outcome parked
      parked_since       timestamptz,
      parked_count       integer not null default 0,
      -- when each kind of alert was last raised (one alert per kind and period, whichever worker sees it)
      failure_alerted_at timestamptz,
      lag_alerted_at     timestamptz,
      parked_alerted_at  timestamptz,
      updated_at         timestamptz not null default now()
    );
  `,
};
