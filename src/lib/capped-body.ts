// Reads a reply body with a byte cap, so a hostile or broken peer cannot make us buffer hundreds of MB
// (or hit V8's maximum string length and have that misfiled as a network failure).

export const DEFAULT_MAX_REPLY_BYTES = 8 * 1024 * 1024;

/** The reply was larger than the configured cap; the request was answered, so this is not a transport failure. */
export class ReplyTooLargeError extends Error {
  override readonly name = 'ReplyTooLargeError';
  constructor(
    readonly system: string,
    readonly operation: string,
    readonly limitBytes: number,
    /** The variable that sets the cap, named in the message so the operator knows what to change. */
    readonly variable?: string,
  ) {
    super(`reply larger than ${formatMegabytes(limitBytes)} MB from ${system} ${operation}${variable ? ` (the cap is ${variable})` : ''}`);
  }
}

export function formatMegabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? String(mb) : mb.toFixed(2).replace(/0+$/, '');
}

export interface CapTarget {
  system: string;
  operation: string;
  maxBytes: number;
  variable?: string;
}

interface DestroyableBody extends AsyncIterable<Uint8Array | string> {
  destroy?(err?: Error): unknown;
}

/**
 * The body as UTF-8 text, refusing (and dropping the connection) as soon as it exceeds `maxBytes`.
 * A declared Content-Length above the cap is refused before reading anything.
 */
export async function readCappedText(body: DestroyableBody, target: CapTarget, contentLength?: string | string[]): Promise<string> {
  const tooLarge = (): ReplyTooLargeError => new ReplyTooLargeError(target.system, target.operation, target.maxBytes, target.variable);
  const declared = Number(Array.isArray(contentLength) ? contentLength[0] : contentLength);
  if (Number.isFinite(declared) && declared > target.maxBytes) {
    body.destroy?.();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    total += buf.byteLength;
    if (total > target.maxBytes) {
      body.destroy?.();
      throw tooLarge();
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, total).toString('utf8');
}

/** Parses a size in MB from an environment variable (decimals allowed); undefined when unset. */
export function megabytesFromEnv(env: Record<string, string | undefined>, name: string): number | undefined {
  const text = env[name]?.trim();
  if (text === undefined || text === '') return undefined;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb <= 0) {
    throw new Error(`${name}=${text} is not a size in MB: use a positive number, e.g. ${name}=8`);
  }
  return Math.round(mb * 1024 * 1024);
}
