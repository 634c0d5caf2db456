// `erp-bridge check` against the simulators and the harness's dev server: all pass with the right
// settings; a wrong password fails the login with its fix and skips the lookups that depend on it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { connectorEnv, startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { migrate, openStateStore } from '../../src/store';
import { createTestDatabase } from '../support/postgres';

let systems: SimulatedSystems;
let databaseUrl: string;
before(async () => {
  systems = await startSimulatedSystems({ refunds: 10, seed: 3 });
  databaseUrl = await createTestDatabase('check');
  const store = await openStateStore({ databaseUrl, dataDir: '' });
  await migrate(store);
  await store.close();
});
after(async () => {
  await systems?.stop();
});

function envFor(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, ERP_BRIDGE_DATABASE_URL: databaseUrl, ...connectorEnv(systems.configs), ...overrides };
}

async function check(env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'check'], { env });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

test('every check passes against working systems', async () => {
  const { code, out } = await check(envFor());
  assert.equal(code, 0, out);
  for (const name of ['scheme', 'temporal reachable', 'temporal namespace', 'search attributes', 'state store', 'jushuitan signed query', 'kingdee login', 'lookup customers', 'lookup outbound_lines', 'lookup materials']) {
    assert.match(out, new RegExp(`PASS\\s+${name}`), `${name} passes`);
  }
  assert.match(out, /All checks passed/);
});

test('a wrong Kingdee password fails with its fix; the lookups are not run; the password is not printed', async () => {
  const { code, out } = await check(envFor({ KINGDEE_PASSWORD: 'wrong-Secret-123' }));
  assert.equal(code, 1);
  assert.match(out, /FAIL\s+kingdee login/);
  assert.match(out, /fix: Check KINGDEE_BASE_URL/);
  assert.match(out, /SKIP\s+lookup customers/);
  assert.match(out, /PASS\s+jushuitan signed query/);
  assert.ok(!out.includes('wrong-Secret-123'));
});

test('missing Jushuitan settings are named, not thrown', async () => {
  const { code, out } = await check(envFor({ JST_APP_SECRET: '' }));
  assert.equal(code, 1);
  assert.match(out, /FAIL\s+jushuitan config.*JST_APP_SECRET/);
});
