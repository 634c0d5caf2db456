// A PostgreSQL server through `pg`'s pool: the production engine, shared by every worker of a deployment.
import pg from 'pg';
import { StateStoreError, type SqlParam, type SqlQueryable, type SqlStore } from './sql';

/** postgres://user:***@host:port/db — the URL without its password, for messages and logs. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable ERP_BRIDGE_DATABASE_URL)';
  }
}

export async function openPostgresStore(url: string, options: { maxConnections?: number } = {}): Promise<SqlStore> {
  const description = redactDatabaseUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 5, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    throw new StateStoreError(
      `cannot reach the state store at ${description}: ${err instanceof Error ? err.message : String(err)}. ` +
        'Check ERP_BRIDGE_DATABASE_URL (postgres://user:password@host:5432/database) and that the server accepts connections.',
    );
  }
  const run = async <Row extends object>(client: pg.Pool | pg.PoolClient, text: string, params?: readonly SqlParam[]) =>
    (await client.query<Row>(text, params as unknown[] | undefined)).rows;
  return {
    engine: 'postgres',
    description,
    query: (text, params) => run(pool, text, params),
    exec: async (script) => void (await pool.query(script)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const tx: SqlQueryable = { query: (text, params) => run(client, text, params), exec: async (script) => void (await client.query(script)) };
        const result = await work(tx);
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    // Idempotent: a teardown after an earlier close is a no-op.
    close: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}
