// `erp-bridge`: one binary, one module per command group.
import { Command } from 'commander';
import { registerDevServerCommand } from './dev-server';
import { registerWorkerCommand } from './worker';
import { registerDemoCommand } from './demo';
import { registerProvisionCommand } from './provision';

const program = new Command('erp-bridge')
  .description('Durable ERP integration on Temporal: Jushuitan refunds to Kingdee sales returns')
  .showHelpAfterError();

registerDevServerCommand(program);
registerWorkerCommand(program);
registerDemoCommand(program);
registerProvisionCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`erp-bridge: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
