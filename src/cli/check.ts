import type { Command } from 'commander';
import { formatChecks, runChecks } from '../check/checks';
import { syncConfigFromEnv } from '../config/sync-config';
import { JushuitanClient, jushuitanConfigFromEnv } from '../connectors/jushuitan';
import { KingdeeClient, kingdeeConfigFromEnv } from '../connectors/kingdee';
import { findScheme } from '../scheme/load-file';
import { temporalTarget } from '../temporal/connection';
import { storeConfigFromEnv } from '../store';

/** Builds a thing, or keeps the error so the check table can report it instead of stopping. */
function orError<T>(build: () => T): T | Error {
  try {
    return build();
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export function registerCheckCommand(program: Command): void {
  program
    .command('check')
    .description('Check configuration, scheme, Temporal, a signed Jushuitan query, Kingdee login and every lookup')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { json?: boolean }) => {
      const kingdee = orError(() => new KingdeeClient(kingdeeConfigFromEnv(process.env)));
      const sync = orError(() => syncConfigFromEnv());
      const results = await runChecks({
        scheme: orError(() => findScheme(syncConfigFromEnv().schemeId)),
        store: orError(() => storeConfigFromEnv()),
        lookbackMs: sync instanceof Error ? undefined : sync.poll.lookbackMs,
        temporal: orError(() => temporalTarget()),
        jushuitan: orError(() => new JushuitanClient(jushuitanConfigFromEnv(process.env))),
        kingdee,
      });
      if (!(kingdee instanceof Error)) await kingdee.close().catch(() => {});
      console.log(opts.json ? JSON.stringify(results, null, 2) : formatChecks(results));
      if (results.some((r) => r.ok === false)) process.exitCode = 1;
    });
}
