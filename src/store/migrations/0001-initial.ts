// Version 1: the three tenants the product keeps outside Temporal. Never edit a migration that has shipped:
// add the next file instead, so every store reaches the same schema by the same steps.
export default {
  version: 1,
  name: 'tokens, decisions and watermarks',
  sql: `
    -- Jushuitan token pair per app key. One worker refreshes at a time (row lock); every worker reads the pair here.
    -- Token columns hold "enc:<keyId>:<base64>" when ERP_BRIDGE_CODEC_KEYS is set, the token itself otherwise.
    create table jst_tokens (
      app_key       text primary key,
      access_token  text not null,
      refresh_token text not null,
      -- sha256 of the configured (environment) access token this row was seeded from: new credentials in the
      -- environment replace the row, the same old ones never do.
      seed_digest   text not null,
      generation    integer not null default 1,
      expires_at    timestamptz,
      updated_at    timestamptz not null default now()
    );

    -- The terminal decision per scheme and record, written before the workflow completes, so it outlives
    -- Temporal's retention: a synced record is not synced again, a skipped one is not booked.
    create table refund_decisions (
      scheme_id       text not null,
      as_id           text not null,
      decision        text not null,
      bill_id         text,
      bill_no         text,
      record_modified text,
      record_digest   text,
      record_snapshot jsonb,
      reason          text,
      actor           text,
      workflow_id     text,
      run_id          text,
      decided_at      timestamptz not null default now(),
      primary key (scheme_id, as_id)
    );

    -- How far each scheme's polling has read completely. Only ever moves forward.
    create table poll_watermarks (
      scheme_id  text primary key,
      watermark  timestamptz not null,
      updated_at timestamptz not null default now(),
      updated_by text
    );
  `,
};
