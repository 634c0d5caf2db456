// Tenant: the Jushuitan token pair, one row per app key, shared by every worker.
// - Every call reads the row, so a pair refreshed by another worker (or before a restart) is used at once.
// - A refresh holds the row lock (select … for update) through the HTTP exchange: two workers never refresh
//   together, and the second one finds the new pair instead of spending the now-dead refresh token.
// - The configured (environment) pair seeds the row; the same pair configured again never overwrites a newer
//   stored one (it is dead after the first refresh), while new credentials in the environment do.
import { createHash } from 'node:crypto';
import type { JstTokens, TokenKeeper } from '../connectors/jushuitan';
import type { Keyring } from '../temporal/codec/keyring';
import { secretColumn } from './secret-column';
import type { SqlQueryable, SqlStore } from './sql';

interface TokenRow {
  access_token: string;
  refresh_token: string;
  seed_digest: string;
  generation: number;
}

export interface StoredTokenKeeperOptions {
  store: SqlStore;
  appKey: string;
  /** The pair from the environment (JST_ACCESS_TOKEN, JST_REFRESH_TOKEN). */
  configured: JstTokens;
  /** ERP_BRIDGE_CODEC_KEYS: tokens are encrypted at rest when present. */
  keyring?: Keyring;
  /** Tools that must never refresh behind the workers' back (the `jst` CLI): a dead token is an error instead. */
  readOnly?: boolean;
  /** Called after this process stored a refreshed pair. */
  onRefreshed?: (generation: number) => void;
}

const digest = (token: string) => createHash('sha256').update(token).digest('hex');

export interface StoredTokenKeeper extends TokenKeeper {
  /**
   * Runs `probe` (one signed call) unless this app secret is already known to work; under the row lock, so workers
   * starting together probe once between them. A probe that fails leaves the secret unverified.
   */
  verifySecretOnce<T extends { ok: boolean }>(appSecret: string, probe: () => Promise<T>): Promise<T | { ok: true; alreadyVerified: true }>;
}

export function storedTokenKeeper(options: StoredTokenKeeperOptions): StoredTokenKeeper {
  const { store, appKey, configured } = options;
  const column = secretColumn(options.keyring);
  const seed = digest(configured.accessToken);
  const toTokens = (row: TokenRow): JstTokens => ({ accessToken: column.open(row.access_token), refreshToken: column.open(row.refresh_token) });
  const read = async (db: SqlQueryable, forUpdate = false) =>
    (await db.query<TokenRow>(
      `select access_token, refresh_token, seed_digest, generation from jst_tokens where app_key = $1${forUpdate ? ' for update' : ''}`,
      [appKey],
    ))[0];

  /** Seeds (or re-seeds, for new credentials) from the environment; returns the row to use. */
  async function seeded(): Promise<TokenRow> {
    const row = await read(store);
    if (row && row.seed_digest === seed) return row;
    await store.query(
      `insert into jst_tokens (app_key, access_token, refresh_token, seed_digest) values ($1, $2, $3, $4)
       on conflict (app_key) do update set access_token = excluded.access_token, refresh_token = excluded.refresh_token,
         seed_digest = excluded.seed_digest, generation = jst_tokens.generation + 1, expires_at = null, updated_at = now()
       where jst_tokens.seed_digest <> excluded.seed_digest`,
      [appKey, column.seal(configured.accessToken), column.seal(configured.refreshToken), seed],
    );
    return (await read(store))!;
  }

  return {
    async current() {
      return toTokens(await seeded());
    },
    async verifySecretOnce(appSecret, probe) {
      await seeded();
      const secretDigest = digest(`${appKey}\n${appSecret}`);
      return store.transaction(async (tx) => {
        const [row] = await tx.query<{ verified_secret_digest: string | null }>(
          'select verified_secret_digest from jst_tokens where app_key = $1 for update', [appKey]);
        if (row?.verified_secret_digest === secretDigest) return { ok: true as const, alreadyVerified: true as const };
        const result = await probe();
        if (result.ok) await tx.query('update jst_tokens set verified_secret_digest = $2 where app_key = $1', [appKey, secretDigest]);
        return result;
      });
    },
    async replace(used, exchange) {
      await seeded();
      return store.transaction(async (tx) => {
        const row = (await read(tx, true))!;
        const stored = toTokens(row);
        if (stored.accessToken !== used) return stored; // another worker refreshed while we waited for the lock
        if (options.readOnly) {
          throw new Error(
            'the stored Jushuitan access token was refused; this command does not refresh it (the workers do, through the state store)',
          );
        }
        const next = await exchange(stored.refreshToken);
        await tx.query(
          `update jst_tokens set access_token = $2, refresh_token = $3, generation = generation + 1, updated_at = now(),
             expires_at = case when $4::int is null then null else now() + make_interval(secs => $4::int) end
           where app_key = $1`,
          [appKey, column.seal(next.accessToken), column.seal(next.refreshToken), next.expiresInSeconds ?? null],
        );
        options.onRefreshed?.(row.generation + 1);
        return next;
      });
    },
  };
}
