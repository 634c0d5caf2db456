// The embedded default: PostgreSQL compiled to WASM, in-process, its files in a directory under `.data/`.
// It is one process's database, so a lock file with the owner's pid keeps a second process out with a clear error
// (PGlite itself would let two processes corrupt the directory).
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { StateStoreError, type SqlQueryable, type SqlStore } from './sql';

const LOCK_FILE = 'erp-bridge.lock';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the directory's lock, or throws naming the process that holds it. A lock left by a dead process is taken over. */
function lockDirectory(dir: string): () => void {
  const lockPath = path.join(dir, LOCK_FILE);
  for (let tries = 0; tries < 2; tries++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StateStoreError(
          `the embedded state store in ${dir} is open in another process (pid ${owner}). The embedded store serves one ` +
            'process only: stop that process, or give every process one PostgreSQL server with ERP_BRIDGE_DATABASE_URL.',
        );
      }
      unlinkSync(lockPath); // stale: its owner is gone
    }
  }
  throw new StateStoreError(`could not lock the embedded state store in ${dir}`);
}

export async function openPgliteStore(dir: string): Promise<SqlStore> {
  mkdirSync(dir, { recursive: true });
  const unlock = lockDirectory(dir);
  let db: PGlite;
  try {
    db = await PGlite.create(path.join(dir, 'pgdata'));
  } catch (err) {
    unlock();
    throw new StateStoreError(`cannot open the embedded state store in ${dir}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const asQueryable = (q: Pick<PGlite, 'query' | 'exec'>): SqlQueryable => ({
    query: async (text, params) => (await q.query(text, params as unknown[] | undefined)).rows as never,
    exec: async (script) => void (await q.exec(script)),
  });
  return {
    engine: 'pglite',
    description: `embedded PGlite in ${dir}`,
    ...asQueryable(db),
    transaction: (work) => db.transaction((tx) => work(asQueryable(tx))),
    async close() {
      await db.close();
      unlock();
    },
  };
}
