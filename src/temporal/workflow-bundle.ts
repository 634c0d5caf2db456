// The workflow bundle and the build id derived from it: the same workflow code always gives the same build id
// (whatever the checkout's path), and any change to the code that runs in the sandbox gives a new one.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows');

export interface WorkflowBundleWithBuildId {
  code: string;
  /** `wf-` and the first 16 hex digits of the SHA-256 of the code without its source map. */
  buildId: string;
}

/** webpack's inline source map carries absolute paths; the code itself does not. */
const SOURCE_MAP_LINE = /^\/\/# sourceMappingURL=.*$/gm;

export function buildIdOf(code: string): string {
  return `wf-${createHash('sha256').update(code.replace(SOURCE_MAP_LINE, '')).digest('hex').slice(0, 16)}`;
}

export async function bundleWorkflows(
  workflowsPath: string = WORKFLOWS_PATH,
  /** With payload encryption on, failures are encoded inside the workflow sandbox: the converter is bundled. */
  options: { failureConverterPath?: string } = {},
): Promise<WorkflowBundleWithBuildId> {
  const { code } = await bundleWorkflowCode({
    workflowsPath,
    ...(options.failureConverterPath ? { failureConverterPath: options.failureConverterPath } : {}),
    // webpack's progress lines are noise in a worker's JSON log; warnings and errors still show.
    logger: { info() {}, debug() {}, trace() {}, log() {}, warn: (m) => console.warn(m), error: (m) => console.error(m) },
  });
  return { code, buildId: buildIdOf(code) };
}
