// Runs `erp-bridge setup` as an operator would, in a child process with the given environment: used where the
// product prepares a server it started (the demo's tools, the chaos run, the test harness), so that path is the
// same one a team runs against its own cluster.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../temporal/temporal-cli';

const BIN = path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js');

export function runSetupCommand(env: NodeJS.ProcessEnv, args: string[] = ['--no-schedules']): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [BIN, 'setup', ...args], { env, cwd: PROJECT_ROOT, timeout: 120_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`erp-bridge setup failed (${err.message.split('\n')[0]}):\n${stdout}${stderr}`));
      else resolve(stdout);
    });
  });
}
