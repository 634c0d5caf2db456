// The state store: open it from configuration, migrate it, and reach its tenants (tokens, decisions, watermarks).
import { openPgliteStore } from './pglite';
import { openPostgresStore } from './postgres';
import type { StoreConfig } from './config';
import type { SqlStore } from './sql';

export { storeConfigFromEnv, type StoreConfig } from './config';
export { migrate, schemaState, type SchemaState } from './migrate';
export { LATEST_SCHEMA_VERSION } from './migrations';
export { StateStoreError, type SqlStore, type SqlQueryable } from './sql';
export { redactDatabaseUrl } from './postgres';

export function openStateStore(config: StoreConfig): Promise<SqlStore> {
  return config.databaseUrl ? openPostgresStore(config.databaseUrl) : openPgliteStore(config.dataDir);
}
