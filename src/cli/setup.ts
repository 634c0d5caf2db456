// `erp-bridge setup`: search attributes on the namespace, the state store's tables, each scheme's schedule.
import type { Command } from 'commander';
import { syncConfigFromEnv } from '../config/sync-config';
import { runSetup } from '../setup/setup';
import { storeConfigFromEnv } from '../store';
import { NamespaceSetupError } from '../temporal/namespace-setup';
import { scheduleOptions } from '../temporal/schedules';
import { withClient } from './with-client';

export function registerSetupCommand(program: Command): void {
  program
    .command('setup')
    .description('Prepare the namespace (custom search attributes), the state store (migrations) and the poll schedule; safe to run again')
    .option('--no-schedules', 'do not create or update the poll schedule')
    .action(async (opts: { schedules: boolean }) => {
      const sync = syncConfigFromEnv();
      const store = storeConfigFromEnv();
      try {
        await withClient((client) =>
          runSetup({ client, store, schedules: opts.schedules ? [scheduleOptions(sync)] : [], log: (line) => console.log(line) }),
        );
      } catch (err) {
        if (!(err instanceof NamespaceSetupError)) throw err;
        console.error(`erp-bridge setup: ${err.message}`);
        for (const command of err.commands) console.error(`  ${command}`);
        process.exitCode = 1;
        return;
      }
      console.log('Setup complete.');
    });
}
