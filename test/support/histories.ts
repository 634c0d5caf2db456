// Histories captured by integration tests when CAPTURE_HISTORY=1 (e.g. `CAPTURE_HISTORY=1 npm test`): exported
// with the stock CLI (`temporal workflow show --output json`, the format the SDK's replayer reads) and added to
// the replay corpus (test/support/corpus.ts), never over an existing file. scripts/record-histories.ts records
// the full corpus.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { addToCorpus } from './corpus';

export { HISTORIES_DIR, workflowTypeOf } from './corpus';

export async function captureHistory(address: string, workflowId: string, scenarios: string[] = ['captured-by-test']): Promise<void> {
  if (process.env.CAPTURE_HISTORY !== '1') return;
  const { stdout } = await promisify(execFile)(
    ensureTemporalCli(),
    ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  addToCorpus(stdout, workflowId, scenarios, commit);
}
