// Worker entry: one connection, the workflow bundle and the activities built by createActivities(deps).
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { createActivities } from './activities';
import { workerDeploymentOptions, type WorkerDeployment } from './temporal/versioning';

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  activities: ReturnType<typeof createActivities>;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled at start-up. */
  workflowBundlePath?: string;
  /** Worker Deployment Versioning: this build's version and the bundle its build id names (replaces the source above). */
  deployment?: WorkerDeployment;
  options?: Partial<WorkerOptions>;
}

export async function createWorker(setup: WorkerSetup): Promise<Worker> {
  const workflowSource = setup.deployment
    ? { workflowBundle: { code: setup.deployment.bundleCode }, workerDeploymentOptions: workerDeploymentOptions(setup.deployment.version) }
    : setup.workflowBundlePath
      ? { workflowBundle: { codePath: setup.workflowBundlePath } }
      : { workflowsPath: require.resolve('./workflows') };
  return Worker.create({
    connection: setup.connection,
    namespace: setup.namespace,
    taskQueue: setup.taskQueue,
    ...workflowSource,
    activities: setup.activities,
    // Let in-flight ERP calls finish during a deploy instead of cutting writes mid-way.
    shutdownGraceTime: '30s',
    ...setup.options,
  });
}
