// `npm run chaos`: the whole stack under faults, worker kills and a dev-server restart; prints the counts
// and exits non-zero when any invariant is broken (src/chaos/run.ts).
import type { Command } from 'commander';
import { formatChaosReport } from '../chaos/report';
import { runChaos } from '../chaos/run';

function count(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  return n;
}

export function registerChaosCommand(program: Command): void {
  program
    .command('chaos')
    .description('Chaos run: faults on both simulators, the worker SIGKILLed and restarted, the dev server restarted; checks nothing is lost')
    .option('--refunds <n>', 'after-sales records in the world', '1000')
    .option('--seed <n>', 'seed of the world and the chaos plan', '1')
    .option('--kills <n>', 'worker SIGKILLs (at least 3)', '3')
    .option('--no-hostile', 'leave out the planted bad records')
    .option('--data-dir <dir>', 'server database and logs (default: a temporary directory, removed when all is well)')
    .option('--keep', 'keep the data directory')
    .action(async (opts: { refunds: string; seed: string; kills: string; hostile: boolean; dataDir?: string; keep?: boolean }) => {
      const stamp = () => new Date().toISOString().slice(11, 19);
      const report = await runChaos({
        refunds: count(opts.refunds, '--refunds', 50),
        seed: count(opts.seed, '--seed', 0),
        kills: count(opts.kills, '--kills', 3),
        hostile: opts.hostile,
        dataDir: opts.dataDir,
        keep: opts.keep,
        log: (line) => console.log(`${stamp()}  ${line}`),
      });
      console.log('');
      for (const line of formatChaosReport(report)) console.log(line);
      if (report.verdict.violations.length > 0) process.exitCode = 1;
    });
}
