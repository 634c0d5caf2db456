// Everything the CLI prints passes through here: record values (shop names, reasons, Kingdee messages) can
// hold NULs and terminal escape sequences, which must reach the operator's terminal as nothing, not as action.
import { stripControlCharacters } from '../lib/control-characters';

/** The text as printed: control characters removed, except a leading carriage return (our progress line). */
export function terminalSafe(text: string): string {
  return text.startsWith('\r') ? `\r${stripControlCharacters(text.slice(1))}` : stripControlCharacters(text);
}

type Write = typeof process.stdout.write;

function filtered(stream: NodeJS.WriteStream): void {
  const original = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  const write = (chunk: unknown, ...rest: unknown[]): boolean => {
    // Buffers (rare: piped child output) are decoded only when whole UTF-8, so a split character is not mangled.
    const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array && isWholeUtf8(chunk) ? Buffer.from(chunk).toString('utf8') : undefined;
    return original(text === undefined ? chunk : terminalSafe(text), ...rest);
  };
  stream.write = write as Write;
}

function isWholeUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

let installed = false;

/** Filters process.stdout and process.stderr for the rest of the process (idempotent). */
export function installSafeOutput(): void {
  if (installed) return;
  installed = true;
  filtered(process.stdout);
  filtered(process.stderr);
}
