// Every committed history replays against the current workflow code: a change that would break running
// workflows (non-determinism) fails here. The corpus (test/histories/, recorded by scripts/record-histories.ts
// from real runs) only grows; its manifest says which situation each history covers.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { describeBreak, replayHistories } from '../../src/temporal/replay';
import { corpusHistories, historyFiles, readManifest, REQUIRED_LEAN_SCENARIOS, REQUIRED_SCENARIOS } from '../support/corpus';
import { HISTORIES_DIR, workflowTypeOf } from '../support/histories';

const files = historyFiles();

test('the corpus covers every situation a deploy can meet', () => {
  const covered = new Set(readManifest().flatMap((entry) => entry.scenarios));
  const missing = [...REQUIRED_SCENARIOS, ...REQUIRED_LEAN_SCENARIOS].filter((s) => !covered.has(s));
  assert.deepEqual(missing, [], `scenarios without a recorded history: ${missing.join(', ')}`);
  const types = new Set(files.map((f) => workflowTypeOf(readFileSync(`${HISTORIES_DIR}/${f}`, 'utf8'))));
  for (const type of ['syncRefund', 'pollWindow', 'pollRefunds']) assert.ok(types.has(type), `a recorded ${type} history`);
});

test('every history is listed in the manifest and every listed history is still there', () => {
  const listed = readManifest().map((entry) => entry.file).sort();
  assert.deepEqual(files.filter((f) => !listed.includes(f)), [], 'histories missing from test/histories/corpus.json');
  assert.deepEqual(listed.filter((f) => !files.includes(f)), [], 'manifest entries whose history was removed (the corpus only grows)');
});

for (const file of files) {
  test(`replays ${file}`, async () => {
    const bundlePath = process.env.ERP_BRIDGE_TEST_BUNDLE;
    assert.ok(bundlePath, 'run through the harness (npm run test:replay), which builds the workflow bundle once');
    const report = await replayHistories(corpusHistories([file]), { bundleCode: readFileSync(bundlePath, 'utf8') });
    assert.equal(report.replayed, 1);
    assert.deepEqual(report.breaks.map(describeBreak), []);
  });
}
