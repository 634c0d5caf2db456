// Each workflow type's Worker Deployment Versioning behaviour, declared beside its code (see the README,
// "Upgrading"). Only a versioned worker may report a behaviour (an unversioned one, as in most tests or with
// ERP_BRIDGE_VERSIONING=off, fails the workflow task), so it is declared only when the task runs on a version.
import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/**
 * For setWorkflowOptions. Evaluated once per workflow instance, at its first task; a run whose first task
 * ran before versioning (no version in its history) gets the worker's default instead (AUTO_UPGRADE).
 */
export function versioningBehavior(behavior: VersioningBehavior): () => WorkflowDefinitionOptions {
  // An unversioned worker still reports a build id (its own checksum), but no deployment name.
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {});
}
