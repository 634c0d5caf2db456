// Every committed history replays against the current workflow code: a change that would break running
// workflows (non-determinism) fails here. Histories come from real runs (test/support/histories.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { HISTORIES_DIR, workflowTypeOf } from '../support/histories';

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.json')).sort();
const read = (file: string) => readFileSync(path.join(HISTORIES_DIR, file), 'utf8');

test('recorded histories cover every workflow type', () => {
  const types = new Set(files.map((f) => workflowTypeOf(read(f))));
  for (const type of ['syncRefund', 'pollWindow', 'pollRefunds']) assert.ok(types.has(type), `a recorded ${type} history`);
});

for (const file of files) {
  test(`replays ${file}`, async () => {
    const bundlePath = process.env.ERP_BRIDGE_TEST_BUNDLE;
    assert.ok(bundlePath, 'run through the harness (npm test), which builds the workflow bundle once');
    const history = historyFromJSON(JSON.parse(read(file)));
    const workflowId = file.replace(/\.json$/, '').split('--').slice(1).join('--');
    await Worker.runReplayHistory({ workflowBundle: { codePath: bundlePath } }, history, workflowId);
  });
}
