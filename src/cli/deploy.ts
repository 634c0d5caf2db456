// `erp-bridge deploy status|promote`: the rollout of a new build on top of the server's routing
// (current and ramping version of the deployment ERP_BRIDGE_DEPLOYMENT).
import type { Command } from 'commander';
import { deploymentStatus, formatDeploymentStatus } from '../temporal/deployment-status';
import { currentBuildId, deploymentNameFromEnv, localBuildId, rampingBuildId, setCurrentVersion, setRampingVersion, waitForVersion } from '../temporal/versioning';
import { withClient } from './with-client';

function parsePercent(text: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new Error(`--ramp must be a percentage from 0 to 100 (got ${JSON.stringify(text)})`);
  return n;
}

export function registerDeployCommand(program: Command): void {
  const deploy = program.command('deploy').description('Worker Deployment Versioning: which build gets the work (see README "Upgrading")');

  deploy
    .command('status')
    .description('Builds of the deployment: current, ramping, open workflows on each, drained or not')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const name = deploymentNameFromEnv();
      await withClient(async (client) => {
        const status = await deploymentStatus(client, name);
        if (!status) throw new Error(`no deployment ${name} on namespace ${client.options.namespace}: no versioned worker has polled yet (start erp-bridge worker)`);
        console.log(opts.json ? JSON.stringify(status, null, 2) : formatDeploymentStatus(status));
      });
    });

  deploy
    .command('promote')
    .description('Make a build current (all new work and auto-upgrading workflows), or ramp a share of it with --ramp')
    .option('--build-id <id>', 'the build to promote (default: ERP_BRIDGE_BUILD_ID, else the hash of this checkout\'s workflow code)')
    .option('--ramp <percent>', 'send only this share of new and auto-upgrading workflows to the build; the current build keeps the rest', parsePercent)
    .action(async (opts: { buildId?: string; ramp?: number }) => {
      const version = { deploymentName: deploymentNameFromEnv(), buildId: opts.buildId ?? (await localBuildId()) };
      await withClient(async (client) => {
        // Routing to a build whose workers never polled would strand the work: the server must know it first.
        const { info, conflictToken } = await waitForVersion(client, version, 5_000);
        if (opts.ramp === undefined) {
          if (currentBuildId(info) === version.buildId && rampingBuildId(info) === undefined) return console.log(`${version.buildId} is already current in ${version.deploymentName}`);
          await setCurrentVersion(client, version, conflictToken);
          console.log(`${version.buildId} is now current in ${version.deploymentName} (was ${currentBuildId(info) ?? 'none'}); watch erp-bridge deploy status`);
        } else {
          if (currentBuildId(info) === version.buildId) throw new Error(`${version.buildId} is already current: nothing to ramp`);
          await setRampingVersion(client, version, opts.ramp, conflictToken);
          console.log(`${version.buildId} ramping at ${opts.ramp}% in ${version.deploymentName} (current stays ${currentBuildId(info) ?? 'none'})`);
        }
      });
    });
}
