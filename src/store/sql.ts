// The state store's one SQL surface: what outlives a worker process and Temporal's retention (Jushuitan tokens,
// terminal decisions, watermarks). Two engines behind it run the same SQL and migrations: a PostgreSQL server
// (ERP_BRIDGE_DATABASE_URL, any Postgres 14+) and, for a single process without that variable, PGlite in `.data/`.
export type SqlParam = string | number | boolean | Date | null | Buffer | readonly string[];

export interface SqlQueryable {
  query<Row extends object>(text: string, params?: readonly SqlParam[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface SqlStore extends SqlQueryable {
  /** Runs `work` in one transaction on one connection: committed if it resolves, rolled back if it throws. */
  transaction<T>(work: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Where the store is, safe to print (no password). */
  readonly description: string;
  readonly engine: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** A store that cannot be opened or used: the message names the store and the fix. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}
