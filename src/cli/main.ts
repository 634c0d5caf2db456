// `erp-bridge`: one binary, one module per command group.
import { Command } from 'commander';
import { registerDevServerCommand } from './dev-server';
import { registerWorkerCommand } from './worker';
import { registerScheduleCommand } from './schedule';
import { registerOpsCommands } from './ops';
import { registerCheckCommand } from './check';
import { registerDemoCommand } from './demo';
import { registerProvisionCommand } from './provision';
import { registerCodecServerCommand } from './codec-server';
import { registerSimCommand } from './sim';
import { registerJstCommand } from './jst';
import { registerKingdeeCommand } from './kingdee';
import { registerMapCommand } from './map';
import { registerSchemeCommand } from './scheme';
import { registerReportCommand } from './report';
import { registerChaosCommand } from './chaos';
import { registerBenchCommand } from './bench';
import { registerDeployCommand } from './deploy';
import { registerReplayCommand } from './replay';

const program = new Command('erp-bridge')
  .description('Durable ERP integration on Temporal: Jushuitan refunds to Kingdee sales returns')
  .showHelpAfterError();

registerDevServerCommand(program);
registerWorkerCommand(program);
registerScheduleCommand(program);
registerOpsCommands(program);
registerCheckCommand(program);
registerDemoCommand(program);
registerProvisionCommand(program);
registerCodecServerCommand(program);
registerSimCommand(program);
registerJstCommand(program);
registerKingdeeCommand(program);
registerMapCommand(program);
registerSchemeCommand(program);
registerReportCommand(program);
registerChaosCommand(program);
registerBenchCommand(program);
registerDeployCommand(program);
registerReplayCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(`erp-bridge: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
