// Worker entry: one process polls three task queues (src/temporal/task-queues.ts) with one connection, the
// workflow bundle and the activities built by createActivities(deps):
// - the workflow queue: workflows, local activities, and any activity older code scheduled on this queue;
// - `<queue>-jushuitan`: the Jushuitan activities under a server-side rate limit shared by all workers;
// - `<queue>-kingdee`: the Kingdee activities, with as many slots as this worker's Kingdee session budget.
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { JUSHUITAN_ACTIVITIES, KINGDEE_ACTIVITIES, pickActivities, type createActivities } from './activities';
import { jushuitanTaskQueue, kingdeeTaskQueue } from './temporal/task-queues';
import { workerDeploymentOptions, type WorkerDeployment } from './temporal/versioning';

export interface WorkerLimits {
  /** Server-side limit for the Jushuitan queue, for all workers together (the app key's budget). */
  jushuitanActivitiesPerSecond?: number;
  /** Concurrent Kingdee activities in this worker: its Kingdee session budget (KINGDEE_MAX_CONCURRENCY). */
  kingdeeSlots?: number;
}

export interface WorkerSetup {
  connection: NativeConnection;
  namespace: string;
  /** The workflow queue; the activity queues are named after it. */
  taskQueue: string;
  activities: ReturnType<typeof createActivities>;
  /** A prebuilt bundle (tests build one per run); otherwise the workflows are bundled at start-up. */
  workflowBundlePath?: string;
  limits?: WorkerLimits;
  /**
   * Worker Deployment Versioning: this build's version and the bundle its build id names (replaces the bundle
   * source above). Every worker of the process joins the same version: the server promotes a version only when
   * all of its queues have pollers.
   */
  deployment?: WorkerDeployment;
  /** Options for every worker of the group (shutdown grace, data converter, versioning, …). */
  options?: Partial<WorkerOptions>;
  /** Options for the workflow-queue worker only (its concurrency). */
  workflowWorkerOptions?: Partial<WorkerOptions>;
}

/** The workers of one process, run and stopped together. */
export interface WorkerGroup {
  readonly workers: readonly Worker[];
  /** Resolves when every worker has stopped; rejects if one fails (the others are then shut down). */
  run(): Promise<void>;
  shutdown(): void;
  /** RUNNING only while every worker is. */
  isRunning(): boolean;
  /** Runs the workers until `work` settles, then shuts them down; resolves or rejects like `work`. */
  runUntil<T>(work: Promise<T>): Promise<T>;
}

/** How long in-flight activities get after SIGTERM: longer than the longest Kingdee call, so no write is cut. */
export const shutdownGraceFor = (kingdeeTimeoutMs: number): number => kingdeeTimeoutMs + 15_000;

export async function createWorkers(setup: WorkerSetup): Promise<WorkerGroup> {
  const versioning = setup.deployment ? { workerDeploymentOptions: workerDeploymentOptions(setup.deployment.version) } : {};
  const common = { connection: setup.connection, namespace: setup.namespace, shutdownGraceTime: '30s', ...versioning, ...setup.options };
  const workflowSource = setup.deployment
    ? { workflowBundle: { code: setup.deployment.bundleCode } }
    : setup.workflowBundlePath
      ? { workflowBundle: { codePath: setup.workflowBundlePath } }
      : { workflowsPath: require.resolve('./workflows') };
  const limits = setup.limits ?? {};
  const jushuitanActivities = pickActivities(setup.activities, JUSHUITAN_ACTIVITIES);
  const kingdeeActivities = pickActivities(setup.activities, KINGDEE_ACTIVITIES);
  const workers = await Promise.all([
    Worker.create({ ...common, taskQueue: setup.taskQueue, ...workflowSource, activities: setup.activities, ...setup.workflowWorkerOptions }),
    // A test that registers only some activities gets only the workers that have something to run.
    ...(Object.keys(jushuitanActivities).length === 0 ? [] : [Worker.create({
      ...common,
      taskQueue: jushuitanTaskQueue(setup.taskQueue),
      activities: jushuitanActivities,
      ...(limits.jushuitanActivitiesPerSecond ? { maxTaskQueueActivitiesPerSecond: limits.jushuitanActivitiesPerSecond } : {}),
    })]),
    ...(Object.keys(kingdeeActivities).length === 0 ? [] : [Worker.create({
      ...common,
      taskQueue: kingdeeTaskQueue(setup.taskQueue),
      activities: kingdeeActivities,
      ...(limits.kingdeeSlots ? { maxConcurrentActivityTaskExecutions: limits.kingdeeSlots } : {}),
    })]),
  ]);
  const shutdown = () => {
    for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
  };
  const group: WorkerGroup = {
    workers,
    shutdown,
    isRunning: () => workers.every((w) => w.getState() === 'RUNNING'),
    async runUntil(work) {
      const running = group.run();
      try {
        return await work;
      } finally {
        shutdown();
        await running;
      }
    },
    async run() {
      const results = await Promise.allSettled(
        workers.map((w) =>
          w.run().catch((err: unknown) => {
            shutdown(); // one worker failing stops the process's others: a half-serving process helps no one
            throw err;
          }),
        ),
      );
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
  return group;
}
