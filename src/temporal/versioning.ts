// Worker Deployment Versioning: which deployment and build a worker process is (ERP_BRIDGE_DEPLOYMENT,
// ERP_BRIDGE_BUILD_ID, by default the workflow bundle's hash), and the server's routing between builds
// (current and ramping version) that `erp-bridge deploy`, setup, the demo and a first-ever worker change.
// Every Worker instance of one process shares one version: they all run the same bundle.
import type { Client } from '@temporalio/client';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { WorkerDeploymentOptions } from '@temporalio/worker';
import { z } from 'zod';
import { bundleWorkflows, WORKFLOWS_PATH } from './workflow-bundle';
import { dataConverterFromEnv } from './codec';

export const DEFAULT_DEPLOYMENT = 'erp-bridge';

const name = () => z.string().trim().max(100, 'at most 100 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, "letters, digits, '.', '_' and '-' only");

const VersioningEnv = z.object({
  ERP_BRIDGE_VERSIONING: z.enum(['on', 'off'], { error: 'on or off' }).default('on'),
  ERP_BRIDGE_DEPLOYMENT: name().default(DEFAULT_DEPLOYMENT),
  ERP_BRIDGE_BUILD_ID: name().optional(),
});

/** A worker process's deployment version and the workflow code it runs (the code the build id was derived from). */
export interface WorkerDeployment {
  version: WorkerDeploymentVersion;
  bundleCode: string;
}

function versioningEnv(env: NodeJS.ProcessEnv) {
  const parsed = VersioningEnv.safeParse({
    ERP_BRIDGE_VERSIONING: env.ERP_BRIDGE_VERSIONING || undefined,
    ERP_BRIDGE_DEPLOYMENT: env.ERP_BRIDGE_DEPLOYMENT || undefined,
    ERP_BRIDGE_BUILD_ID: env.ERP_BRIDGE_BUILD_ID || undefined,
  });
  if (!parsed.success) throw new Error(`versioning configuration: ${parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * Bundles the workflows once and names the version: `ERP_BRIDGE_BUILD_ID` wins over the bundle's hash.
 * Undefined with ERP_BRIDGE_VERSIONING=off (a server without Worker Deployments): the worker runs unversioned.
 */
export async function workerDeploymentFromEnv(env: NodeJS.ProcessEnv = process.env, workflowsPath = WORKFLOWS_PATH): Promise<WorkerDeployment | undefined> {
  const config = versioningEnv(env);
  if (config.ERP_BRIDGE_VERSIONING === 'off') return undefined;
  const bundle = await bundleWorkflows(workflowsPath, { failureConverterPath: dataConverterFromEnv(env)?.failureConverterPath });
  return { version: { deploymentName: config.ERP_BRIDGE_DEPLOYMENT, buildId: config.ERP_BRIDGE_BUILD_ID ?? bundle.buildId }, bundleCode: bundle.code };
}

/** The deployment operators act on (`erp-bridge deploy`), without bundling anything. */
export const deploymentNameFromEnv = (env: NodeJS.ProcessEnv = process.env): string => versioningEnv(env).ERP_BRIDGE_DEPLOYMENT;

/** The build id of the workflow code in this checkout (or ERP_BRIDGE_BUILD_ID): what `deploy promote` promotes by default. */
export async function localBuildId(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  return versioningEnv(env).ERP_BRIDGE_BUILD_ID ?? (await bundleWorkflows(WORKFLOWS_PATH, { failureConverterPath: dataConverterFromEnv(env)?.failureConverterPath })).buildId;
}

/**
 * The Worker options for a version. Each workflow type declares its own behaviour beside its code
 * (src/workflows/versioning-behavior.ts). The default applies to runs whose first task ran before
 * versioning: AUTO_UPGRADE, so refunds parked since then follow the current build like newer ones.
 */
export function workerDeploymentOptions(version: WorkerDeploymentVersion): WorkerDeploymentOptions {
  return { useWorkerVersioning: true, version, defaultVersioningBehavior: 'AUTO_UPGRADE' };
}

export const describeVersion = (v: WorkerDeploymentVersion): string => `${v.deploymentName}/${v.buildId}`;

type DeploymentInfo = temporal.api.deployment.v1.IWorkerDeploymentInfo;

/** The deployment as the server sees it, or undefined when no worker of it has polled yet. */
export async function describeDeployment(client: Client, deploymentName: string): Promise<{ info: DeploymentInfo; conflictToken: Uint8Array } | undefined> {
  try {
    const resp = await client.workflowService.describeWorkerDeployment({ namespace: client.options.namespace, deploymentName });
    return { info: resp.workerDeploymentInfo ?? {}, conflictToken: resp.conflictToken ?? new Uint8Array() };
  } catch (err) {
    if ((err as { code?: number }).code === 5 /* NOT_FOUND */) return undefined;
    throw err;
  }
}

export const currentBuildId = (info: DeploymentInfo): string | undefined => info.routingConfig?.currentDeploymentVersion?.buildId || undefined;
export const rampingBuildId = (info: DeploymentInfo): string | undefined => info.routingConfig?.rampingDeploymentVersion?.buildId || undefined;
const knowsVersion = (info: DeploymentInfo, buildId: string) => (info.versionSummaries ?? []).some((s) => s.deploymentVersion?.buildId === buildId);

/** Waits until the server has registered the version (its workers poll); it cannot be routed to before. */
export async function waitForVersion(client: Client, version: WorkerDeploymentVersion, timeoutMs = 30_000): Promise<{ info: DeploymentInfo; conflictToken: Uint8Array }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await describeDeployment(client, version.deploymentName);
    if (found && knowsVersion(found.info, version.buildId)) return found;
    if (Date.now() > deadline) {
      throw new Error(`version ${describeVersion(version)} is not registered on namespace ${client.options.namespace} after ${timeoutMs} ms: is a worker of this build running?`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

export type PromoteOutcome = 'promoted' | 'already-current' | 'kept-other-current';

/**
 * Makes the version current when the deployment has none (a new namespace, the first worker ever), or
 * always with `evenIfAnotherIsCurrent` (the demo, whose workers are all this build). A rollout of a new
 * build over an old one is an operator's decision: `erp-bridge deploy promote`.
 */
export async function ensureCurrentVersion(client: Client, version: WorkerDeploymentVersion, options: { evenIfAnotherIsCurrent?: boolean; timeoutMs?: number } = {}): Promise<PromoteOutcome> {
  const { info, conflictToken } = await waitForVersion(client, version, options.timeoutMs);
  const current = currentBuildId(info);
  if (current === version.buildId) return 'already-current';
  if (current !== undefined && !options.evenIfAnotherIsCurrent) return 'kept-other-current';
  await setCurrentVersion(client, version, conflictToken);
  return 'promoted';
}

export async function setCurrentVersion(client: Client, version: WorkerDeploymentVersion, conflictToken?: Uint8Array): Promise<void> {
  await client.workflowService.setWorkerDeploymentCurrentVersion({
    namespace: client.options.namespace, deploymentName: version.deploymentName, buildId: version.buildId, conflictToken, identity: client.options.identity,
  });
}

/** Sends `percent` of new workflows (and of auto-upgrading ones) to the version; the rest stay on the current one. */
export async function setRampingVersion(client: Client, version: WorkerDeploymentVersion, percent: number, conflictToken?: Uint8Array): Promise<void> {
  await client.workflowService.setWorkerDeploymentRampingVersion({
    namespace: client.options.namespace, deploymentName: version.deploymentName, buildId: version.buildId, percentage: percent, conflictToken, identity: client.options.identity,
  });
}

/** One line for the worker's log: which build this is and whether it receives work. */
export function announceVersion(version: WorkerDeploymentVersion, outcome: PromoteOutcome): string {
  const what = `deployment ${version.deploymentName}, build ${version.buildId}`;
  if (outcome === 'promoted') return `${what}: promoted to current (the deployment had no current version)`;
  if (outcome === 'already-current') return `${what}: current`;
  return `${what}: running beside the current build; it receives work once promoted (erp-bridge deploy promote)`;
}
