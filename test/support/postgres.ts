// A fresh database per test on the harness's real PostgreSQL server (scripts/run-tests.ts starts it).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function testPostgresUrl(): string {
  const url = process.env.ERP_BRIDGE_TEST_POSTGRES_URL;
  if (!url) throw new Error('ERP_BRIDGE_TEST_POSTGRES_URL is not set: run the tests through the harness (npm test), which starts PostgreSQL');
  return url;
}

/** Creates an empty database and returns its URL. */
export async function createTestDatabase(prefix = 'test'): Promise<string> {
  const base = testPostgresUrl();
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: base });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
