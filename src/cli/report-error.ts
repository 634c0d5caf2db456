// How the CLI ends on an error: the message (and a fix when one is known), no stack trace, exit code 1.
// `--verbose` (or ERP_BRIDGE_VERBOSE=1) adds the stack and the cause chain, for bug reports.
import { explainFailure } from './explain-failure';

export function isVerbose(argv: readonly string[] = process.argv, env: NodeJS.ProcessEnv = process.env): boolean {
  return argv.includes('--verbose') || env.ERP_BRIDGE_VERBOSE === '1';
}

export function formatCliError(err: unknown, verbose: boolean): string {
  const lines = explainFailure(err).map((line, i) => (i === 0 ? `erp-bridge: ${line}` : line));
  if (verbose) {
    let current: unknown = err;
    for (let depth = 0; depth < 10 && current; depth++) {
      lines.push(depth === 0 ? '' : 'caused by:', current instanceof Error ? current.stack ?? current.message : String(current));
      current = (current as { cause?: unknown }).cause;
    }
  } else {
    lines.push('  (run with --verbose for the stack trace)');
  }
  return lines.join('\n');
}

/** Prints and exits; also used for rejections nobody awaited, so none ends as a raw Node stack trace. */
export function exitWithError(err: unknown): never {
  console.error(formatCliError(err, isVerbose()));
  process.exit(1);
}
