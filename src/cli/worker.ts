import type { Command } from 'commander';
import { connectWorkerConnection, temporalTarget } from '../temporal/connection';
import { DEFAULT_TASK_QUEUE } from '../temporal/task-queues';
import { createWorker } from '../worker';

export function registerWorkerCommand(program: Command): void {
  program
    .command('worker')
    .description('Run a worker on the configured Temporal (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, ...)')
    .option('--task-queue <name>', 'task queue', process.env.ERP_BRIDGE_TASK_QUEUE ?? DEFAULT_TASK_QUEUE)
    .action(async (opts: { taskQueue: string }) => {
      const target = temporalTarget();
      const connection = await connectWorkerConnection(target);
      const worker = await createWorker({ connection, namespace: target.namespace, taskQueue: opts.taskQueue });
      console.log(`Worker polling ${opts.taskQueue} on ${target.connectionOptions.address} (${target.namespace})`);
      await worker.run(); // the SDK shuts down gracefully on SIGINT/SIGTERM
      await connection.close();
    });
}
