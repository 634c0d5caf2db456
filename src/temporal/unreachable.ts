// "Cannot reach Temporal" in words: the address, the cause as an operator reads it, and the fix — instead of
// `tonic::transport::Error(Transport, ConnectError(…))` or "Failed to connect before the deadline".

export class TemporalUnreachableError extends Error {
  override readonly name = 'TemporalUnreachableError';
  /** An expected failure: the CLI prints the message without a stack trace. */
  readonly expected = true;
  constructor(
    readonly address: string,
    readonly namespace: string,
    readonly causeInWords: string,
    options?: { cause?: unknown },
  ) {
    super(
      `cannot reach Temporal at ${address} (namespace ${namespace}): ${causeInWords}.\n` +
        `  fix: start a server there (for local work: npx erp-bridge dev-server), or set TEMPORAL_ADDRESS to the frontend's host:port ` +
        `(TEMPORAL_API_KEY / TEMPORAL_TLS_* for Temporal Cloud or TLS), then run again.`,
      options,
    );
  }
}

/** The connection error's cause, in words. */
export function describeConnectFailure(err: unknown): string {
  const text = err instanceof Error ? `${err.message} ${String((err as { cause?: unknown }).cause ?? '')}` : String(err);
  if (/refused|ECONNREFUSED/i.test(text)) return 'connection refused (nothing is listening on that port)';
  if (/dns|lookup|ENOTFOUND|EAI_AGAIN|resolve/i.test(text)) return 'the host name does not resolve';
  if (/unreachable|EHOSTUNREACH|ENETUNREACH/i.test(text)) return 'the network cannot reach that host';
  if (/tls|ssl|certificate|handshake/i.test(text)) return 'the TLS handshake failed (TLS on one side only, or an untrusted certificate)';
  if (/unauthenticated|api key|permission/i.test(text)) return 'the server refused our credentials (TEMPORAL_API_KEY or client certificate)';
  if (/deadline|timed? ?out|timeout/i.test(text)) return 'no answer before the connect deadline (a firewall, a wrong port, or a server still starting)';
  const first = text.split('\n')[0]!.trim();
  return first.length > 200 ? `${first.slice(0, 200)}…` : first;
}

/**
 * A plain TCP connect to host:port: says in words why nothing answers (refused, unknown host, unreachable,
 * silent) within `timeoutMs`, or undefined when the port accepts connections.
 */
export async function probeTcp(address: string, timeoutMs = 3_000): Promise<string | undefined> {
  const { connect } = await import('node:net');
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return undefined; // not host:port: leave it to the SDK's own error
  const [, host, port] = match;
  return new Promise((resolve) => {
    const socket = connect({ host: host!, port: Number(port) });
    const done = (verdict: string | undefined): void => {
      socket.destroy();
      resolve(verdict);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer within ${timeoutMs / 1000} s (a firewall, or a wrong host or port)`));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err) => done(describeConnectFailure(err)));
  });
}
