// Done-when of issue 15, on the harness's dev server: a v1 build parks refunds and has others in flight; v2
// (test/fixtures/upgrade/v2-patched: syncRefund gains steps behind patched()) starts beside it as a new build
// id and is promoted with `erp-bridge deploy promote`; the in-flight refunds finish, the parked ones are
// reprocessed and finish on v2, and no workflow task fails. Before the promotion, `erp-bridge replay` over
// the same v1 workflows exits 1 naming the refunds with the unpatched variant and 0 with the patched one.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { heartbeat } from '@temporalio/activity';
import { temporal as proto } from '@temporalio/proto';
import { createActivities } from '../../src/activities';
import { isEligibleRefund } from '../../src/sim/world';
import type { DeploymentStatus } from '../../src/temporal/deployment-status';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { ensureCurrentVersion, type WorkerDeployment } from '../../src/temporal/versioning';
import { buildIdOf, bundleWorkflows } from '../../src/temporal/workflow-bundle';
import { createWorkers, type WorkerGroup } from '../../src/worker';
import { refundWorkflowId, reprocessSignal, statusQuery } from '../../src/workflows/messages';
import { startSyncStack, type SyncStack } from '../support/sync-stack';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { waitUntil } from '../support/wait';

const BIN = path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js');
const variant = (name: string) => path.join(PROJECT_ROOT, 'test', 'fixtures', 'upgrade', name);

let temporal: TestTemporal;
let stack: SyncStack;
let v1: WorkerDeployment;
let v2: WorkerDeployment;
let v2Worker: WorkerGroup | undefined;
let v2Running: Promise<void> | undefined;
const deploymentName = `erp-bridge-upgrade-${randomUUID().slice(0, 8)}`;

/** Holds every submit-and-audit step until opened: the refunds waiting there are in flight when v2 is promoted. */
const auditGate = { open: false, waiting: new Set<string>() };
function holdAudits(activities: ReturnType<typeof createActivities>): ReturnType<typeof createActivities> {
  return {
    ...activities,
    async advanceBill(a) {
      auditGate.waiting.add(a.billNo);
      while (!auditGate.open) {
        heartbeat();
        await new Promise((r) => setTimeout(r, 200));
      }
      auditGate.waiting.delete(a.billNo);
      return activities.advanceBill(a);
    },
  };
}

before(async () => {
  temporal = await connectTestTemporal();
  const v1Code = readFileSync(temporal.workflowBundlePath, 'utf8');
  v1 = { version: { deploymentName, buildId: buildIdOf(v1Code) }, bundleCode: v1Code };
  const v2Bundle = await bundleWorkflows(variant('v2-patched'));
  v2 = { version: { deploymentName, buildId: v2Bundle.buildId }, bundleCode: v2Bundle.code };
  stack = await startSyncStack(temporal, { refunds: 30, seed: 41 }, undefined, { deployment: v1, wrapActivities: holdAudits });
  const shop = stack.systems.world.shops[2]!;
  assert.ok(stack.systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber));
});

after(async () => {
  auditGate.open = true;
  v2Worker?.shutdown();
  await v2Running;
  await stack?.stop();
  await temporal?.close();
});

const env = () => ({ ...process.env, TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE: temporal.namespace, ERP_BRIDGE_DEPLOYMENT: deploymentName });
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { env: env(), maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
const deployStatus = async (): Promise<DeploymentStatus> => JSON.parse((await cli(['deploy', 'status', '--json'])).stdout) as DeploymentStatus;

async function historyOf(asId: string) {
  return temporal.client.workflow.getHandle(refundWorkflowId(asId)).fetchHistory();
}

test('a rollout from v1 to v2: in-flight refunds finish, parked ones resume on v2, no workflow task fails', async (t) => {
  const { client } = temporal;
  assert.notEqual(v1.version.buildId, v2.version.buildId, 'v2 is a new build id');
  assert.equal(await ensureCurrentVersion(client, v1.version), 'promoted', 'the first build of a new deployment promotes itself');

  const world = stack.systems.world;
  const stranded = world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name === world.shops[2]!.name).map((r) => String(r.as_id));
  const flowing = world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name !== world.shops[2]!.name).map((r) => String(r.as_id));
  assert.ok(stranded.length >= 1 && flowing.length >= 2, `the seed gives ${stranded.length} refunds to park and ${flowing.length} to sync`);

  const pollId = `upgrade-poll-${randomUUID()}`;
  await stack.backfill({}, pollId);
  for (const asId of stranded) {
    await waitUntil(`${asId} parked`, async () => ((await client.workflow.getHandle(refundWorkflowId(asId)).query(statusQuery)).status === 'Parked' ? true : undefined));
  }
  await waitUntil('every other refund held in flight at its audit', async () => (auditGate.waiting.size === flowing.length ? true : undefined));

  // v2 starts beside v1 and waits: a later build never takes over by itself.
  v2Worker = await createWorkers({
    connection: temporal.nativeConnection, namespace: temporal.namespace, taskQueue: stack.taskQueue,
    activities: createActivities(stack.deps), deployment: v2, options: { shutdownGraceTime: '1s' },
  });
  v2Running = v2Worker.run();
  assert.equal(await ensureCurrentVersion(client, v2.version), 'kept-other-current');

  // The operator's check before promoting: the same v1 workflows against each variant of v2.
  const query = `TaskQueue='${stack.taskQueue}'`;
  const unpatched = await cli(['replay', '--workflows', variant('v2-unpatched'), '--query', query]);
  assert.equal(unpatched.code, 1, unpatched.stdout + unpatched.stderr);
  for (const asId of [...stranded, ...flowing]) assert.match(unpatched.stdout, new RegExp(`BREAKS  ${refundWorkflowId(asId)} .*non-determinism`), `names ${asId}`);
  const patched = await cli(['replay', '--workflows', variant('v2-patched'), '--query', query]);
  assert.equal(patched.code, 0, patched.stdout + patched.stderr);
  assert.match(patched.stdout, new RegExp(`replayed ${stranded.length + flowing.length} open workflow\\(s\\) against build ${v2.version.buildId}: none would break`));

  // A ramp first (0% here, so the held and parked refunds stay put), then the full promotion.
  const ramped = await cli(['deploy', 'promote', '--build-id', v2.version.buildId, '--ramp', '0']);
  assert.equal(ramped.code, 0, ramped.stderr);
  assert.match(ramped.stdout, new RegExp(`${v2.version.buildId} ramping at 0% in ${deploymentName} \\(current stays ${v1.version.buildId}\\)`));
  const ramping = await deployStatus();
  assert.deepEqual([ramping.current, ramping.ramping], [v1.version.buildId, { buildId: v2.version.buildId, percent: 0 }]);

  const promoted = await cli(['deploy', 'promote', '--build-id', v2.version.buildId]);
  assert.equal(promoted.code, 0, promoted.stderr);
  assert.match(promoted.stdout, new RegExp(`${v2.version.buildId} is now current in ${deploymentName} \\(was ${v1.version.buildId}\\)`));
  const during = await deployStatus();
  assert.equal(during.current, v2.version.buildId);
  assert.equal(during.ramping, undefined, 'promoting the ramping build ends the ramp');
  const v1During = during.versions.find((v) => v.buildId === v1.version.buildId);
  assert.ok(v1During && v1During.openWorkflows >= stranded.length, `v1 still holds the parked and in-flight refunds: ${JSON.stringify(v1During)}`);

  // In flight: their audits complete, and the rest of each runs on v2.
  auditGate.open = true;
  for (const asId of flowing) assert.equal((await stack.resultOf(asId)).status, 'Synced', asId);
  // Parked: fixed and reprocessed, they resume on v2.
  assert.ok(stack.systems.kingdee.store.restoreRecord('BD_Customer', world.shops[2]!.customerNumber));
  for (const asId of stranded) await client.workflow.getHandle(refundWorkflowId(asId)).signal(reprocessSignal, { reason: 'customer restored after the upgrade' });
  for (const asId of stranded) assert.equal((await stack.resultOf(asId)).status, 'Synced', asId);

  for (const asId of [...stranded, ...flowing]) {
    const events = (await historyOf(asId)).events ?? [];
    assert.ok(!events.some((e) => e.workflowTaskFailedEventAttributes), `no workflow task of ${asId} failed`);
    const echoes = events.filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'echo');
    assert.equal(echoes.length, 1, `${asId} ran v2's finishing step once (its start step is skipped: it started on v1)`);
    const lastTask = events.filter((e) => e.workflowTaskCompletedEventAttributes).at(-1);
    assert.ok(JSON.stringify(lastTask?.workflowTaskCompletedEventAttributes).includes(v2.version.buildId), `${asId} finished on v2`);
  }

  // The behaviour each type declares reached the server: pollers PINNED, refunds AUTO_UPGRADE.
  const behaviours = async (workflowId: string) => new Set(((await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [])
    .map((e) => e.workflowTaskCompletedEventAttributes?.versioningBehavior).filter((b) => b != null));
  assert.deepEqual(await behaviours(pollId), new Set([proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED]));
  assert.deepEqual(await behaviours(`${pollId}-slice-1`), new Set([proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED]));
  for (const asId of [stranded[0]!, flowing[0]!]) {
    assert.deepEqual(await behaviours(refundWorkflowId(asId)), new Set([proto.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE]));
  }

  // v1 has drained: nothing routes to it and no pinned workflow is left on it, so its workers can go.
  const drained = await waitUntil('v1 drained in deploy status', async () => {
    const s = await deployStatus();
    const old = s.versions.find((v) => v.buildId === v1.version.buildId);
    return old?.drained && old.openWorkflows === 0 ? s : undefined;
  });
  assert.equal(drained.versions.find((v) => v.buildId === v2.version.buildId)?.routing, 'current');
  const text = (await cli(['deploy', 'status'])).stdout;
  t.diagnostic(`deploy status after the rollout:\n${text}`);
  assert.match(text, new RegExp(`${v1.version.buildId}\\s+none.*drained: its workers can be retired`));
});
