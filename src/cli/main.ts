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
import { registerReconcileCommand } from './reconcile';
import { registerChaosCommand } from './chaos';
import { registerBenchCommand } from './bench';
import { registerSetupCommand } from './setup';
import { registerAlertsCommand } from './alerts';
import { exitWithError } from './report-error';
import { installSafeOutput } from './safe-output';

installSafeOutput();
process.on('unhandledRejection', exitWithError);
import { registerDeployCommand } from './deploy';
import { registerReplayCommand } from './replay';

const program = new Command('erp-bridge')
  .description('Durable ERP integration on Temporal: Jushuitan refunds to Kingdee sales returns')
  .option('--verbose', 'print stack traces of errors (also ERP_BRIDGE_VERBOSE=1)')
  .showHelpAfterError();

registerDevServerCommand(program);
registerSetupCommand(program);
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
registerReconcileCommand(program);
registerChaosCommand(program);
registerBenchCommand(program);
registerAlertsCommand(program);
registerDeployCommand(program);
registerReplayCommand(program);

program.parseAsync(process.argv).catch(exitWithError);
