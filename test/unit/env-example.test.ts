// .env.example lists every variable the product reads, so an operator can see the whole configuration.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';

/** Constants that share the prefixes but are not environment variables. */
const NOT_VARIABLES = new Set([
  'JST_CODE', 'JST_FIX', 'JST_PATHS', 'JST_CLIENT_RATE', 'JST_SERVER_RATE', 'JST_REFUND_QUERY',
  'KINGDEE_AUTH_MODES', 'KINGDEE_KEY', 'KINGDEE_QUERY_OPS', 'KINGDEE_WRITE_OPS', 'ERP_BRIDGE_ALERT_', 'ERP_BRIDGE_TEST_BUNDLE',
  'KINGDEE_ACTIVITIES', 'KINGDEE_INTEGER_DIGITS', 'KINGDEE_DECIMALS', 'KINGDEE_WRITE_START_TO_CLOSE_MS',
]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

test('.env.example names every ERP_BRIDGE_*, JST_* and KINGDEE_* variable the sources read', () => {
  const example = readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8');
  const read = new Set<string>();
  for (const file of sources(path.join(PROJECT_ROOT, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:ERP_BRIDGE|JST|KINGDEE)_[A-Z0-9_]+/g)) if (!NOT_VARIABLES.has(m[0])) read.add(m[0]);
  }
  assert.ok(read.size > 40, `found the variables (${read.size})`);
  const missing = [...read].filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example));
  assert.deepEqual(missing, [], 'every variable has a line "NAME=default" (commented out when optional)');
});
