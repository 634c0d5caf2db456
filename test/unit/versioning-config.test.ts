// Versioning settings from the environment and the rollout views that need no server.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDeploymentStatus, openOnVersionQuery } from '../../src/temporal/deployment-status';
import { productWorkflowsQuery } from '../../src/temporal/open-histories';
import { deploymentNameFromEnv, localBuildId, workerDeploymentFromEnv } from '../../src/temporal/versioning';

test('the deployment defaults to erp-bridge; ERP_BRIDGE_DEPLOYMENT and ERP_BRIDGE_BUILD_ID override', async () => {
  assert.equal(deploymentNameFromEnv({}), 'erp-bridge');
  assert.equal(deploymentNameFromEnv({ ERP_BRIDGE_DEPLOYMENT: 'erp-bridge-eu' }), 'erp-bridge-eu');
  assert.equal(await localBuildId({ ERP_BRIDGE_BUILD_ID: 'release-2026.02.1' }), 'release-2026.02.1');
});

test('a bad name fails with the variable it came from, before anything is bundled', async () => {
  await assert.rejects(workerDeploymentFromEnv({ ERP_BRIDGE_DEPLOYMENT: 'erp bridge' }), /versioning configuration: ERP_BRIDGE_DEPLOYMENT: letters, digits, '\.', '_' and '-' only/);
  await assert.rejects(workerDeploymentFromEnv({ ERP_BRIDGE_BUILD_ID: 'v1:2' }), /ERP_BRIDGE_BUILD_ID: letters, digits/);
  await assert.rejects(workerDeploymentFromEnv({ ERP_BRIDGE_VERSIONING: 'maybe' }), /ERP_BRIDGE_VERSIONING: on or off/);
});

test('ERP_BRIDGE_VERSIONING=off gives an unversioned worker', async () => {
  assert.equal(await workerDeploymentFromEnv({ ERP_BRIDGE_VERSIONING: 'off' }), undefined);
});

test('replay reads the open workflows of this product, narrowed by the operator query', () => {
  assert.equal(
    productWorkflowsQuery(),
    "ExecutionStatus='Running' AND WorkflowType IN ('syncRefund', 'pollRefunds', 'pollWindow', 'healthCheck', 'noopRefund')",
  );
  assert.match(productWorkflowsQuery(" SyncStatus='Parked' "), / AND \(SyncStatus='Parked'\)$/);
  assert.equal(openOnVersionQuery('erp-bridge', 'wf-1', true), "TemporalWorkerDeploymentVersion='erp-bridge:wf-1' AND ExecutionStatus='Running' AND TemporalWorkflowVersioningBehavior='Pinned'");
});

test('deploy status says which build serves and which old one can be retired', () => {
  const text = formatDeploymentStatus({
    deploymentName: 'erp-bridge', namespace: 'default', current: 'wf-new', ramping: undefined,
    versions: [
      { buildId: 'wf-new', routing: 'current', serverStatus: 'CURRENT', openWorkflows: 4, openPinned: 1, drained: false },
      { buildId: 'wf-old', routing: 'none', serverStatus: 'DRAINING', openWorkflows: 2, openPinned: 1, drained: false },
      { buildId: 'wf-older', routing: 'none', serverStatus: 'DRAINED', openWorkflows: 1, openPinned: 0, drained: true },
    ],
  });
  assert.match(text, /Current: wf-new\nRamping: none/);
  assert.match(text, /wf-new\s+current\s+CURRENT\s+4\s+1\s+serving/);
  assert.match(text, /wf-old\s+none\s+DRAINING\s+2\s+1\s+draining: 1 pinned workflow\(s\) still open/);
  assert.match(text, /wf-older\s+none\s+DRAINED\s+1\s+0\s+drained: its workers can be retired/);
});
