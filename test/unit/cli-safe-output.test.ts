// What the CLI prints reaches the terminal without control characters, whatever a value holds.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { terminalSafe } from '../../src/cli/safe-output';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

test('an error echoing a hostile value prints it without bell, bidi override or escape sequences (argv cannot hold a NUL)', async () => {
  const hostile = 'x\u0007\u001b[2J\u001b]0;pwned\u0007\u202eevil';
  const run = promisify(execFile)(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js'), 'report', '--from', hostile, '--to', '2026-01-02 00:00:00']);
  const err = (await run.then(() => assert.fail('expected a non-zero exit'), (e: unknown) => e)) as { stderr: string; code: number };
  assert.equal(err.code, 1);
  assert.match(err.stderr, /--from/);
  assert.match(err.stderr, /evil/, 'the visible text is kept');
  assert.doesNotMatch(err.stderr, CONTROL);
});

test('terminalSafe keeps newlines, tabs and a leading carriage return (the progress line) only', () => {
  assert.equal(terminalSafe('\r[##..] pages 2\u001b[K'), '\r[##..] pages 2');
  assert.equal(terminalSafe('a\r\nb\tc\u0007\u0000'), 'a\nb\tc');
});
