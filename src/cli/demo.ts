import path from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../temporal/dev-server';
import { DEFAULT_TASK_QUEUE } from '../temporal/task-queues';
import { connectWorkerConnection } from '../temporal/connection';
import { createWorker } from '../worker';
import { DATA_DIR } from './dev-server';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('Everything on embedded defaults: dev server, worker; prints the Web UI address')
    .option('--port <port>', 'gRPC port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .action(async (opts: { port: string; uiPort: string }) => {
      const server = await startDevServer({
        port: Number(opts.port),
        uiPort: Number(opts.uiPort),
        dbFile: path.join(DATA_DIR, 'demo', 'temporal.db'),
        logFile: path.join(DATA_DIR, 'logs', 'demo-temporal-server.log'),
        log: (line) => console.log(line),
      });
      const connection = await connectWorkerConnection({ connectionOptions: { address: server.address }, namespace: server.namespace });
      const worker = await createWorker({ connection, namespace: server.namespace, taskQueue: DEFAULT_TASK_QUEUE });
      console.log(`Temporal Web UI: ${server.uiUrl}`);
      console.log(`Temporal gRPC:   ${server.address}`);
      console.log('Worker running. Ctrl-C stops the demo.');
      try {
        await worker.run();
      } finally {
        await connection.close();
        await server.stop();
      }
    });
}
