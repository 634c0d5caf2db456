// Which kind of test a file is, for `npm run test:unit|test:integration|test:replay`: replay tests live in
// test/replay/; files under test/integration/, named *.integration.test.ts, or that reach a Temporal server
// (the harness's or their own) are integration tests; the rest are unit tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const TEST_KINDS = ['unit', 'integration', 'replay'] as const;
export type TestKind = (typeof TEST_KINDS)[number];

const NEEDS_SERVER = /connectTestTemporal|startSyncStack|TEMPORAL_ADDRESS|startDevServer|runChaos/;

export function testKindOf(file: string): TestKind {
  const dirs = file.split(path.sep);
  if (dirs.includes('replay')) return 'replay';
  if (dirs.includes('integration') || file.endsWith('.integration.test.ts')) return 'integration';
  return NEEDS_SERVER.test(readFileSync(file, 'utf8')) ? 'integration' : 'unit';
}

export function parseTestKind(value: string): TestKind {
  if (!(TEST_KINDS as readonly string[]).includes(value)) throw new Error(`--kind must be one of ${TEST_KINDS.join(', ')}, got ${value}`);
  return value as TestKind;
}
