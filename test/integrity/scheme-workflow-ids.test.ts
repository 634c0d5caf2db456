// Issue 16, point 11: one workflow per scheme and record; the id prefix is declared in the scheme file and
// unique at load.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { checkWorkflowIdPrefixes, DEFAULT_SCHEME_ID, findScheme, SCHEMES_DIR } from '../../src/scheme/load-file';
import { refundWorkflowId } from '../../src/workflows/messages';

const flagshipFile = path.join(SCHEMES_DIR, `${DEFAULT_SCHEME_ID}.yaml`);

test('the flagship keeps jst-refund-<as_id>', () => {
  const scheme = findScheme(DEFAULT_SCHEME_ID);
  assert.equal(scheme.workflowIdPrefix, 'jst-refund-');
  assert.equal(refundWorkflowId('5000123', scheme.workflowIdPrefix), 'jst-refund-5000123');
  assert.equal(refundWorkflowId('5000123'), 'jst-refund-5000123');
});

function withSchemes(second: (flagship: string) => string, check: (dir: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'schemes-'));
  try {
    copyFileSync(flagshipFile, path.join(dir, `${DEFAULT_SCHEME_ID}.yaml`));
    writeFileSync(path.join(dir, 'second.yaml'), second(readFileSync(flagshipFile, 'utf8')));
    check(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a second scheme over the same records with the same prefix is refused at load, naming both', () => {
  withSchemes((text) => text.replace(/^id: .*$/m, 'id: second-scheme'), (dir) => {
    assert.throws(() => findScheme(DEFAULT_SCHEME_ID, dir), /schemes .* and .* have overlapping workflow id prefixes "jst-refund-"/);
  });
});

test('a second scheme with its own prefix (or the default <id>-) loads beside the flagship', () => {
  withSchemes((text) => text.replace(/^id: .*$/m, 'id: second-scheme').replace(/^workflowIdPrefix: .*$/m, ''), (dir) => {
    checkWorkflowIdPrefixes(dir);
    assert.equal(findScheme('second-scheme', dir).workflowIdPrefix, 'second-scheme-');
    assert.equal(findScheme(DEFAULT_SCHEME_ID, dir).workflowIdPrefix, 'jst-refund-');
  });
});
