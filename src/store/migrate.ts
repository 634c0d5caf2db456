// Applies the versioned migrations, each in its own transaction, under an advisory lock so two `setup`s at once
// cannot both apply one. Idempotent: a store at the latest version is left untouched.
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { SqlQueryable, SqlStore } from './sql';

const MIGRATIONS_TABLE = 'erp_bridge_schema_migrations';
/** An arbitrary constant shared by every erp-bridge process: the key of the migration lock. */
const MIGRATION_LOCK_KEY = 5_118_2026;

export interface SchemaState {
  current: number;
  latest: number;
}

export async function schemaVersion(db: SqlQueryable): Promise<number> {
  const [exists] = await db.query<{ present: boolean }>('select to_regclass($1) is not null as present', [MIGRATIONS_TABLE]);
  if (!exists?.present) return 0;
  const [row] = await db.query<{ version: number | null }>(`select max(version) as version from ${MIGRATIONS_TABLE}`);
  return row?.version ?? 0;
}

export async function schemaState(db: SqlQueryable): Promise<SchemaState> {
  return { current: await schemaVersion(db), latest: LATEST_SCHEMA_VERSION };
}

/** Applies what is missing; returns the versions applied (empty when the store was current). */
export async function migrate(store: SqlStore): Promise<number[]> {
  return store.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(
      `create table if not exists ${MIGRATIONS_TABLE} (version integer primary key, name text not null, applied_at timestamptz not null default now())`,
    );
    const current = await schemaVersion(tx);
    if (current > LATEST_SCHEMA_VERSION) {
      throw new Error(
        `the state store is at schema version ${current}, newer than this build knows (${LATEST_SCHEMA_VERSION}): run a newer erp-bridge`,
      );
    }
    const applied: number[] = [];
    for (const m of MIGRATIONS.filter((x) => x.version > current)) {
      await tx.exec(m.sql);
      await tx.query(`insert into ${MIGRATIONS_TABLE} (version, name) values ($1, $2)`, [m.version, m.name]);
      applied.push(m.version);
    }
    return applied;
  });
}
