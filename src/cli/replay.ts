// `erp-bridge replay`: before promoting a build, replay the histories of the open workflows on the namespace
// against the workflow code on disk. A workflow that would break is named with its first error; exit 1.
import path from 'node:path';
import type { Command } from 'commander';
import { dataConverterFromEnv } from '../temporal/codec';
import { openWorkflowHistories, productWorkflowsQuery } from '../temporal/open-histories';
import { describeBreak, replayHistories } from '../temporal/replay';
import { bundleWorkflows } from '../temporal/workflow-bundle';
import { withClient } from './with-client';

function parseLimit(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--limit must be a positive whole number (got ${JSON.stringify(text)})`);
  return n;
}

export function registerReplayCommand(program: Command): void {
  program
    .command('replay')
    .description('Replay the open workflows of erp-bridge against the workflow code on disk; exit 1 naming each that would break')
    .option('--query <visibility query>', 'only the open workflows that also match this query, e.g. "SyncStatus=\'Parked\'"')
    .option('--limit <n>', 'replay at most this many', parseLimit)
    .option('--workflows <dir>', 'the workflow code to check (default: src/workflows of this checkout)')
    .action(async (opts: { query?: string; limit?: number; workflows?: string }) => {
      const bundle = await bundleWorkflows(opts.workflows ? path.resolve(opts.workflows) : undefined);
      const query = productWorkflowsQuery(opts.query);
      const report = await withClient((client) =>
        replayHistories(openWorkflowHistories(client, query, opts.limit), { bundleCode: bundle.code, dataConverter: dataConverterFromEnv() }),
      );
      for (const b of report.breaks) console.log(`BREAKS  ${describeBreak(b)}`);
      if (report.breaks.length > 0) {
        console.log(`${report.breaks.length} of ${report.replayed} open workflow(s) would break on build ${bundle.buildId}: fix with patched() before promoting`);
        process.exitCode = 1;
      } else {
        console.log(`replayed ${report.replayed} open workflow(s) against build ${bundle.buildId}: none would break`);
      }
    });
}
