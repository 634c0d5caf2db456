// The worker's HTTP endpoint (ERP_BRIDGE_METRICS_ADDRESS): /healthz (the process is up), /readyz (connected,
// polling every queue, state store reachable) and /metrics, relayed from the SDK's Prometheus exporter, which
// listens on a private loopback port (it cannot serve other paths itself).
import http from 'node:http';
import { request } from 'undici';

export interface HealthServerOptions {
  /** host:port to listen on. */
  address: string;
  /** Where the SDK's Prometheus exporter listens (host:port). */
  metricsUpstream?: string;
  /** Each named probe resolves true when ready; a throw or false is "not ready" with that name. */
  readiness: Record<string, () => Promise<boolean> | boolean>;
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3_000;

async function probe(check: () => Promise<boolean> | boolean): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_TIMEOUT_MS)));
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'method not allowed\n');
    if (path === '/healthz') return send(200, 'ok\n');
    if (path === '/readyz') {
      void (async () => {
        const names = Object.keys(options.readiness);
        const results = await Promise.all(names.map((n) => probe(options.readiness[n]!)));
        const failing = names.filter((_, i) => !results[i]);
        send(failing.length === 0 ? 200 : 503, failing.length === 0 ? 'ready\n' : `not ready: ${failing.join(', ')}\n`);
      })();
      return;
    }
    if (path === '/metrics' && options.metricsUpstream) {
      void (async () => {
        try {
          const upstream = await request(`http://${options.metricsUpstream}/metrics`, { headersTimeout: PROBE_TIMEOUT_MS, bodyTimeout: PROBE_TIMEOUT_MS });
          send(upstream.statusCode, await upstream.body.text(), String(upstream.headers['content-type'] ?? 'text/plain; version=0.0.4'));
        } catch (err) {
          send(502, `metrics exporter unavailable: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      })();
      return;
    }
    send(404, 'not found: try /healthz, /readyz or /metrics\n');
  });
  const [host, portText] = splitAddress(options.address);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(portText), host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function splitAddress(address: string): [string, string] {
  const colon = address.lastIndexOf(':');
  if (colon <= 0) throw new Error(`ERP_BRIDGE_METRICS_ADDRESS must be host:port, such as 127.0.0.1:9464 (got ${JSON.stringify(address)})`);
  return [address.slice(0, colon).replace(/^\[|\]$/g, ''), address.slice(colon + 1)];
}
