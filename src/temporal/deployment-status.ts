// What an operator watches during a rollout: each build of the deployment, whether it is current or
// ramping, how many open workflows run on it, and whether an old build has drained (its workers can go).
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { currentBuildId, describeDeployment, rampingBuildId } from './versioning';

export interface VersionStatus {
  buildId: string;
  routing: 'current' | 'ramping' | 'none';
  /** The server's own view (CURRENT, RAMPING, DRAINING, DRAINED, INACTIVE). */
  serverStatus: string;
  createdAt?: Date;
  /** Open workflows whose last workflow task ran on this build. */
  openWorkflows: number;
  /** Of those, PINNED ones: they stay on this build until they close. */
  openPinned: number;
  /** No routing and no pinned workflow left: its workers can be retired (auto-upgrade ones move at their next task). */
  drained: boolean;
}

export interface DeploymentStatus {
  deploymentName: string;
  namespace: string;
  current?: string;
  ramping?: { buildId: string; percent: number };
  versions: VersionStatus[];
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** Visibility stores a version as `<deployment>:<build id>`. */
export function openOnVersionQuery(deploymentName: string, buildId: string, pinnedOnly = false): string {
  return `TemporalWorkerDeploymentVersion=${quote(`${deploymentName}:${buildId}`)} AND ExecutionStatus='Running'` +
    (pinnedOnly ? ` AND TemporalWorkflowVersioningBehavior='Pinned'` : '');
}

export async function deploymentStatus(client: Client, deploymentName: string): Promise<DeploymentStatus | undefined> {
  const found = await describeDeployment(client, deploymentName);
  if (!found) return undefined;
  const { info } = found;
  const current = currentBuildId(info);
  const ramping = rampingBuildId(info);
  const versions = await Promise.all(
    (info.versionSummaries ?? []).map(async (summary): Promise<VersionStatus> => {
      const buildId = summary.deploymentVersion?.buildId ?? '';
      const [open, pinned] = await Promise.all([
        client.workflow.count(openOnVersionQuery(deploymentName, buildId)),
        client.workflow.count(openOnVersionQuery(deploymentName, buildId, true)),
      ]);
      const routing = buildId === current ? 'current' : buildId === ramping ? 'ramping' : 'none';
      return {
        buildId,
        routing,
        serverStatus: versionStatusName(summary.status),
        createdAt: summary.createTime?.seconds != null ? new Date(Number(summary.createTime.seconds) * 1000) : undefined,
        openWorkflows: open.count,
        openPinned: pinned.count,
        drained: routing === 'none' && pinned.count === 0,
      };
    }),
  );
  versions.sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
  return {
    deploymentName,
    namespace: client.options.namespace,
    current,
    ramping: ramping ? { buildId: ramping, percent: info.routingConfig?.rampingVersionPercentage ?? 0 } : undefined,
    versions,
  };
}

function versionStatusName(status: temporal.api.enums.v1.WorkerDeploymentVersionStatus | null | undefined): string {
  const name = status == null ? undefined : temporal.api.enums.v1.WorkerDeploymentVersionStatus[status];
  return (name ?? 'UNSPECIFIED').replace(/^WORKER_DEPLOYMENT_VERSION_STATUS_/, '');
}

export function formatDeploymentStatus(s: DeploymentStatus): string {
  const lines = [
    `Deployment ${s.deploymentName} on namespace ${s.namespace}`,
    `Current: ${s.current ?? 'none (unversioned workers get the work)'}`,
    `Ramping: ${s.ramping ? `${s.ramping.buildId} at ${s.ramping.percent}%` : 'none'}`,
    '',
    `${'BUILD'.padEnd(24)}${'ROUTING'.padEnd(10)}${'SERVER'.padEnd(10)}${'OPEN'.padStart(6)}${'PINNED'.padStart(8)}  STATE`,
  ];
  for (const v of s.versions) {
    const state = v.routing !== 'none' ? 'serving' : v.drained ? 'drained: its workers can be retired' : `draining: ${v.openPinned} pinned workflow(s) still open`;
    const routing = v.routing === 'ramping' && s.ramping ? `ramp ${s.ramping.percent}%` : v.routing;
    lines.push(`${v.buildId.padEnd(24)}${routing.padEnd(10)}${v.serverStatus.padEnd(10)}${String(v.openWorkflows).padStart(6)}${String(v.openPinned).padStart(8)}  ${state}`);
  }
  return lines.join('\n');
}
