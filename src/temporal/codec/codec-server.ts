// The codec server: lets the Temporal Web UI and CLI show encrypted payloads by calling POST /encode and
// POST /decode here (the keys never leave this process). Plain node:http; bound to 127.0.0.1 unless
// authentication is configured (then a host such as 0.0.0.0 may be given).
// CORS: a browser origin must be on the allow-list (it is reflected, never "*"); requests without an Origin
// header (the temporal CLI, curl) are not browser requests. With an authenticator every POST needs a valid
// `Authorization` header (401 otherwise); CORS preflights carry none and are answered without it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { CodecAuthenticator } from './codec-auth';
import { PayloadCodecError } from './errors';
import { PayloadsBodySchema, payloadFromJson, payloadToJson } from './payload-json';

const LOOPBACK = '127.0.0.1';
const ALLOWED_HEADERS = 'x-namespace, content-type, authorization';
/** Temporal rejects payloads over 2 MB; a page of history can carry several, so leave generous room. */
const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
const ROUTES = new Map<string, 'encode' | 'decode'>([
  ['/encode', 'encode'],
  ['/decode', 'decode'],
]);

export interface CodecServerOptions {
  /** 0 picks a free port. */
  port: number;
  /** Interface to listen on; default 127.0.0.1. Anything but loopback requires `auth`. */
  host?: string;
  /** Checks each POST's Authorization header; without it, only loopback callers can reach the server. */
  auth?: CodecAuthenticator;
  codec: PayloadCodec;
  /** Exact origins (scheme://host[:port]) whose pages may call the server. */
  allowedOrigins: readonly string[];
  maxBodyBytes?: number;
  /** Unexpected failures (answered 500); codec and request errors are answered to the caller instead. */
  onError?: (err: unknown) => void;
}

export interface RunningCodecServer {
  url: string;
  stop(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

export async function startCodecServer(options: CodecServerOptions): Promise<RunningCodecServer> {
  const host = options.host ?? LOOPBACK;
  if (!isLoopbackHost(host) && !options.auth) {
    throw new Error(
      `codec server: refusing to listen on ${host} without authentication: /decode would hand plain payloads to anyone who can reach it. ` +
        'Set ERP_BRIDGE_CODEC_AUTH_TOKEN (a long random secret, e.g. openssl rand -hex 32) and/or ERP_BRIDGE_CODEC_JWKS_URL, or listen on 127.0.0.1.',
    );
  }
  const handler = codecRequestHandler(options);
  const server = createServer((req, res) => {
    handler(req, res).catch((err: unknown) => {
      if (err instanceof HttpError) {
        // An over-long body is abandoned mid-stream; do not leave the socket for the next request.
        if (err.status === 413) res.setHeader('Connection', 'close');
        return sendJson(res, err.status, { error: err.message });
      }
      options.onError?.(err);
      sendJson(res, 500, { error: 'internal error in the codec server' });
    });
  });
  await listen(server, options.port, host);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // keep-alive sockets from a browser would otherwise hold close() open
      }),
  };
}

function codecRequestHandler(options: CodecServerOptions) {
  const allowedOrigins = new Set(options.allowedOrigins);
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;

  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!allowedOrigins.has(origin)) {
        throw new HttpError(403, `origin ${origin} is not allowed to use this codec server (see ERP_BRIDGE_CODEC_CORS_ORIGINS)`);
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true'); // the UI may send cookies / its access token
    }

    const operation = ROUTES.get(new URL(req.url ?? '/', 'http://codec-server').pathname);
    if (!operation) throw new HttpError(404, 'not found: use POST /encode or POST /decode');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'POST, OPTIONS',
        'Access-Control-Allow-Headers': ALLOWED_HEADERS,
        'Access-Control-Max-Age': '600',
      });
      res.end();
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST, OPTIONS');
      throw new HttpError(405, `method ${req.method ?? '?'} not allowed: use POST /${operation}`);
    }
    if (options.auth) {
      const verdict = await options.auth(req.headers.authorization);
      if (!verdict.ok) {
        res.setHeader('WWW-Authenticate', 'Bearer realm="erp-bridge codec server"');
        throw new HttpError(401, `unauthorized: ${verdict.reason}`);
      }
    }

    const payloads = parsePayloadsBody(await readBody(req, maxBodyBytes)).map(payloadFromJson);
    let result: Payload[];
    try {
      result = await options.codec[operation](payloads);
    } catch (err) {
      // Unknown key id, tampered ciphertext: the caller's data is at fault, and the message names only the key id.
      if (err instanceof PayloadCodecError) throw new HttpError(422, err.message);
      throw err;
    }
    sendJson(res, 200, { payloads: result.map(payloadToJson) });
  };
}

function parsePayloadsBody(body: string) {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON; expected {"payloads":[{"metadata":{...},"data":"<base64>"}]}');
  }
  const parsed = PayloadsBodySchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
    throw new HttpError(400, `request body must be {"payloads":[{"metadata":{...},"data":"<base64>"}]}: ${problems}`);
  }
  return parsed.data.payloads;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const tooLarge = () => new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
