// The Jushuitan token pair in the state store, on a real PostgreSQL and the real simulator: several clients (as
// several workers) refresh once between them, a restarted one with the environment's dead pair keeps working,
// tokens are encrypted at rest with the codec key, and tools never refresh behind the workers' back.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { JST_PATHS, JushuitanClient, type JstTokens } from '../../src/connectors/jushuitan';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { migrate, openStateStore, type SqlStore } from '../../src/store';
import { storedTokenKeeper } from '../../src/store/tokens';
import { Keyring } from '../../src/temporal/codec/keyring';
import { createTestDatabase } from '../support/postgres';

let systems: SimulatedSystems;
let store: SqlStore;
let databaseUrl: string;
before(async () => {
  systems = await startSimulatedSystems({ refunds: 5, seed: 7, jstRateLimits: { perSecond: 1000, perMinute: 60_000 }, jstClientLimits: { perSecond: 1000, perMinute: 60_000 } });
  databaseUrl = await createTestDatabase('tokens');
  store = await openStateStore({ databaseUrl, dataDir: '' });
  await migrate(store);
});
after(async () => {
  await store?.close();
  await systems?.stop();
});

const configured = (): JstTokens => ({ accessToken: systems.configs.jushuitan.accessToken, refreshToken: systems.configs.jushuitan.refreshToken ?? '' });
const appKey = () => systems.configs.jushuitan.appKey;

function client(options: { readOnly?: boolean; keyring?: Keyring; tokens?: JstTokens; appKey?: string } = {}): JushuitanClient {
  const keeper = storedTokenKeeper({ store, appKey: options.appKey ?? appKey(), configured: options.tokens ?? configured(), keyring: options.keyring, readOnly: options.readOnly });
  return new JushuitanClient(systems.configs.jushuitan, { tokens: keeper });
}

const query = (c: JushuitanClient) =>
  c.queryRefundPage({ modifiedBegin: '2026-01-14 00:00:00', modifiedEnd: '2026-01-20 00:00:00', pageIndex: 1, pageSize: 1 });

test('three workers meet an expired token: exactly one refresh, every call succeeds, a restart with the dead pair keeps working', async () => {
  const workers = [client(), client(), client()];
  await Promise.all(workers.map(query)); // seeds the row from the environment
  systems.jushuitan.counters.reset();
  systems.jushuitan.tokens.expire();

  const calls = workers.flatMap((w) => [query(w), query(w)]);
  await Promise.all(calls);
  assert.equal(systems.jushuitan.counters.calls(JST_PATHS.refreshToken), 1, 'one refresh between all of them');
  assert.ok(systems.jushuitan.counters.count(100) <= calls.length, 'each call met the dead token at most once');

  // The environment still holds the original pair, which the refresh killed: a restarted worker uses the stored one.
  const restarted = client();
  await query(restarted);
  assert.equal(systems.jushuitan.counters.calls(JST_PATHS.refreshToken), 1, 'no second refresh after the restart');
  const [row] = await store.query<{ generation: number }>('select generation from jst_tokens where app_key = $1', [appKey()]);
  assert.ok(row!.generation >= 2, 'the refreshed pair is a new generation');
});

test('a read-only tool does not refresh a dead token behind the workers\' back', async () => {
  systems.jushuitan.tokens.expire();
  const before = systems.jushuitan.counters.calls(JST_PATHS.refreshToken);
  await assert.rejects(query(client({ readOnly: true })), /does not refresh it/);
  assert.equal(systems.jushuitan.counters.calls(JST_PATHS.refreshToken), before);
  await query(client()); // a worker then refreshes normally
  assert.equal(systems.jushuitan.counters.calls(JST_PATHS.refreshToken), before + 1);
});

test('with codec keys the tokens are encrypted at rest and still work', async () => {
  const keyring = new Keyring([{ id: 'k1', material: randomBytes(32) }]);
  const key = `${appKey()}-encrypted`;
  const keeper = storedTokenKeeper({ store, appKey: key, configured: { accessToken: 'access-plain-123', refreshToken: 'refresh-plain-456' }, keyring });
  assert.deepEqual(await keeper.current(), { accessToken: 'access-plain-123', refreshToken: 'refresh-plain-456' });
  const [row] = await store.query<{ access_token: string; refresh_token: string }>('select access_token, refresh_token from jst_tokens where app_key = $1', [key]);
  assert.match(row!.access_token, /^enc:k1:/);
  assert.ok(!row!.access_token.includes('access-plain-123') && !row!.refresh_token.includes('refresh-plain-456'));
});

test('new credentials in the environment replace the stored pair; the same old ones never do', async () => {
  const key = `${appKey()}-rotation`;
  const keeper = (accessToken: string) => storedTokenKeeper({ store, appKey: key, configured: { accessToken, refreshToken: `${accessToken}-r` } });
  await keeper('first').current();
  await store.query(`update jst_tokens set access_token = 'refreshed', refresh_token = 'refreshed-r' where app_key = $1`, [key]);
  assert.equal((await keeper('first').current()).accessToken, 'refreshed', 'the dead configured pair does not win');
  assert.equal((await keeper('second').current()).accessToken, 'second', 'a re-authorised pair does');
});

test('the jst CLI reads the workers\' stored pair and refuses to refresh a dead one', async () => {
  const run = (extra: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; err: string }>((resolve) => {
      execFile(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'jst', 'refunds', '--from', '2026-01-14 00:00:00', '--to', '2026-01-20 00:00:00'],
        { env: { PATH: process.env.PATH, ...connectorEnv(systems.configs), ...extra }, timeout: 60_000 },
        (error, _out, stderr) => resolve({ code: error ? (error as { code?: number }).code ?? 1 : 0, err: stderr }));
    });
  // Workers refreshed earlier in this file: the environment's pair is dead, the stored one works.
  const viaStore = await run({ ERP_BRIDGE_DATABASE_URL: databaseUrl });
  assert.equal(viaStore.code, 0, viaStore.err);
  const before = systems.jushuitan.counters.calls(JST_PATHS.refreshToken);
  const withoutStore = await run({});
  assert.notEqual(withoutStore.code, 0);
  assert.match(withoutStore.err, /does not refresh tokens/);
  assert.equal(systems.jushuitan.counters.calls(JST_PATHS.refreshToken), before, 'the CLI never refreshed');
});

test('workers starting together probe a new app secret once between them; a failed probe leaves it unverified', async () => {
  const key = `${appKey()}-verify`;
  const keeper = () => storedTokenKeeper({ store, appKey: key, configured: { accessToken: 'a', refreshToken: 'r' } });
  let probes = 0;
  const probe = async () => {
    probes++;
    await new Promise((r) => setTimeout(r, 50));
    return { ok: true as const };
  };
  const results = await Promise.all([keeper(), keeper(), keeper()].map((k) => k.verifySecretOnce('secret-1', probe)));
  assert.equal(probes, 1, 'one probe for three workers');
  assert.equal(results.filter((r) => 'alreadyVerified' in r).length, 2);

  const failing = await keeper().verifySecretOnce('secret-2', async () => ({ ok: false as const }));
  assert.equal(failing.ok, false);
  await keeper().verifySecretOnce('secret-2', probe);
  assert.equal(probes, 2, 'a new secret, unverified after a failed probe, is probed again');
});
