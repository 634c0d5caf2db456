// Every migration, in order. `setup` applies the missing ones; `check` and the worker compare versions.
import initial from './0001-initial';
import verifiedJstSecret from './0002-verified-jst-secret';
import pollHealth from './0003-poll-health';
import decisionContentDigest from './0004-decision-content-digest';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [initial, verifiedJstSecret, pollHealth, decisionContentDigest];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
