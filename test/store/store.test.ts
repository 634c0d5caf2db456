// The state store's engines run the same migrations; the embedded one belongs to one process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { LATEST_SCHEMA_VERSION, migrate, openStateStore, schemaState } from '../../src/store';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { createTestDatabase } from '../support/postgres';
import { MIGRATIONS } from '../../src/store/migrations';

test('PostgreSQL: migrations apply once and a second run changes nothing', async () => {
  const store = await openStateStore({ databaseUrl: await createTestDatabase('migrate'), dataDir: '' });
  try {
    assert.deepEqual(await schemaState(store), { current: 0, latest: LATEST_SCHEMA_VERSION });
    assert.deepEqual(await migrate(store), MIGRATIONS.map((m) => m.version));
    assert.deepEqual(await migrate(store), []);
    assert.deepEqual(await schemaState(store), { current: LATEST_SCHEMA_VERSION, latest: LATEST_SCHEMA_VERSION });
    const tables = await store.query<{ name: string }>(`select table_name as name from information_schema.tables where table_schema = 'public' order by 1`);
    assert.deepEqual(tables.map((t) => t.name), ['erp_bridge_schema_migrations', 'jst_tokens', 'poll_health', 'poll_watermarks', 'refund_decisions']);
  } finally {
    await store.close();
  }
});

test('PostgreSQL: a bad URL is a clear error naming the variable, without the password', async () => {
  await assert.rejects(openStateStore({ databaseUrl: 'postgres://erp:hunter2@127.0.0.1:1/none', dataDir: '' }), (err: Error) => {
    assert.match(err.message, /cannot reach the state store at postgres:\/\/erp:\*\*\*@127\.0\.0\.1:1\/none/);
    assert.match(err.message, /ERP_BRIDGE_DATABASE_URL/);
    assert.ok(!err.message.includes('hunter2'));
    return true;
  });
});

test('embedded PGlite: same migrations; a second process is refused with a clear error', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'erp-bridge-pglite-'));
  const store = await openStateStore({ dataDir: dir });
  try {
    assert.deepEqual(await migrate(store), MIGRATIONS.map((m) => m.version));
    assert.equal((await schemaState(store)).current, LATEST_SCHEMA_VERSION);
    const script = `require('tsx/cjs'); require(${JSON.stringify(path.join(PROJECT_ROOT, 'src', 'store'))}).openStateStore({ dataDir: ${JSON.stringify(dir)} })` +
      `.then(() => process.exit(0), (e) => { console.error(e.message); process.exit(3); });`;
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, ['-e', script], { cwd: PROJECT_ROOT, timeout: 60_000 }, (err, _stdout, stderr) =>
        resolve({ code: err ? (err as { code?: number }).code ?? 1 : 0, stderr }));
    });
    assert.equal(outcome.code, 3, outcome.stderr);
    assert.match(outcome.stderr, new RegExp(`open in another process \\(pid ${process.pid}\\)`));
    assert.match(outcome.stderr, /ERP_BRIDGE_DATABASE_URL/);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
