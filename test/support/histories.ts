// Recorded workflow histories for replay tests. Captured from real runs when CAPTURE_HISTORY=1
// (e.g. `CAPTURE_HISTORY=1 npm test`), committed under test/histories/, replayed in every run.
// Exported with the stock CLI (`temporal workflow show --output json`), the format the SDK's replayer reads.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/temporal-cli';

export const HISTORIES_DIR = path.join(PROJECT_ROOT, 'test', 'histories');

/** Saved as `<workflow type>--<workflow id>.json`: replay needs the original id, and the type says what it covers. */
export async function captureHistory(address: string, workflowId: string): Promise<void> {
  if (process.env.CAPTURE_HISTORY !== '1') return;
  const { stdout } = await promisify(execFile)(
    ensureTemporalCli(),
    ['workflow', 'show', '--address', address, '--workflow-id', workflowId, '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${workflowTypeOf(stdout)}--${workflowId}.json`), stdout);
}

export function workflowTypeOf(historyJson: string): string {
  const first = (JSON.parse(historyJson) as { events?: Array<Record<string, { workflowType?: { name?: string } }>> }).events?.[0];
  const name = first?.workflowExecutionStartedEventAttributes?.workflowType?.name;
  if (!name) throw new Error('not a workflow history: its first event is not WorkflowExecutionStarted');
  return name;
}
