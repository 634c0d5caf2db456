import path from 'node:path';
import type { Command } from 'commander';
import { startDevServer } from '../temporal/dev-server';
import { PROJECT_ROOT } from '../temporal/temporal-cli';
import { untilInterrupted } from './shutdown';

export const DATA_DIR = path.join(PROJECT_ROOT, '.data');

export function registerDevServerCommand(program: Command): void {
  program
    .command('dev-server')
    .description('Start a plain local Temporal dev server (SQLite under .data/, Web UI); then run `erp-bridge setup`')
    .option('--port <port>', 'gRPC port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .option('--db-file <file>', 'SQLite file', path.join(DATA_DIR, 'temporal.db'))
    .action(async (opts: { port: string; uiPort: string; dbFile: string }) => {
      const logFile = path.join(DATA_DIR, 'logs', 'temporal-server.log');
      const server = await startDevServer({
        port: Number(opts.port),
        uiPort: Number(opts.uiPort),
        dbFile: path.resolve(opts.dbFile),
        logFile,
        log: (line) => console.log(line),
      });
      console.log(`Temporal gRPC: ${server.address}  (export TEMPORAL_ADDRESS=${server.address})`);
      console.log(`Temporal Web UI: ${server.uiUrl}`);
      console.log(`Data: ${path.resolve(opts.dbFile)}  Server log: ${logFile}`);
      console.log(`Next: TEMPORAL_ADDRESS=${server.address} npx erp-bridge setup   (search attributes, state store, schedule)`);
      console.log('Ctrl-C stops the server.');
      await untilInterrupted();
      await server.stop();
    });
}
