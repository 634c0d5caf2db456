// Proof that the corpus guards syncRefund: a command added at its start without patched() breaks every
// recorded syncRefund history with a non-determinism error; the same step behind patched() breaks none.
// The variants are workflow-code fixtures (test/fixtures/upgrade/), bundled here like a new build.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { describeBreak, replayHistories } from '../../src/temporal/replay';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { buildIdOf, bundleWorkflows, type WorkflowBundleWithBuildId } from '../../src/temporal/workflow-bundle';
import { corpusHistories, historyFiles } from '../support/corpus';

const variant = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', 'upgrade', name);
const syncRefundFiles = historyFiles().filter((f) => f.startsWith('syncRefund--'));
let unpatched: WorkflowBundleWithBuildId;
let patchedV2: WorkflowBundleWithBuildId;

before(async () => {
  // The breaks below are expected: keep core's warning about each failed workflow task out of the output.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  [unpatched, patchedV2] = await Promise.all([bundleWorkflows(variant('v2-unpatched')), bundleWorkflows(variant('v2-patched'))]);
});

test('a step added at the start of syncRefund without patched() breaks every recorded syncRefund history', async () => {
  assert.ok(syncRefundFiles.length >= 10, 'the corpus holds syncRefund histories');
  const report = await replayHistories(corpusHistories(syncRefundFiles), { bundleCode: unpatched.code });
  assert.equal(report.replayed, syncRefundFiles.length);
  assert.equal(report.breaks.length, syncRefundFiles.length, `every history breaks; these did not: ${syncRefundFiles.length - report.breaks.length}`);
  for (const b of report.breaks) assert.ok(b.nondeterminism, `a non-determinism error, got: ${describeBreak(b)}`);
});

test('the same step behind patched() replays the whole corpus', async () => {
  const report = await replayHistories(corpusHistories(), { bundleCode: patchedV2.code });
  assert.deepEqual(report.breaks.map(describeBreak), []);
});

test('build ids: the same workflow code gives the same id, changed code a new one', async () => {
  const bundlePath = process.env.ERP_BRIDGE_TEST_BUNDLE;
  assert.ok(bundlePath, 'run through the harness, which bundles src/workflows');
  const v1 = buildIdOf(readFileSync(bundlePath, 'utf8'));
  assert.equal((await bundleWorkflows()).buildId, v1);
  assert.match(v1, /^wf-[0-9a-f]{16}$/);
  assert.equal(new Set([v1, unpatched.buildId, patchedV2.buildId]).size, 3);
});
