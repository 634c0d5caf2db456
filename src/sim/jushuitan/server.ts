// The Jushuitan simulator: a node:http server on 127.0.0.1 speaking the refund query and the two token
// endpoints (jushuitan-refund-api.md §7), backed by the shared world, with an admin API and in-process
// handles for tests. The clock is injectable; latency faults use real time (they model the wire).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamOversizedReply } from '../oversized-reply';
import { SeededRandom } from '../random';
import { generateWorld, type World } from '../world';
import { ADMIN_PREFIX, handleAdmin, type AdminTargets } from './admin';
import { inspectBiz } from './biz';
import { shiftQueriedWindow, withEndlessPages } from './page-faults';
import { CallCounters } from './counters';
import { FaultInjector, type InjectedAnswer, type SimPathName } from './faults';
import { JushuitanProtocol, type BusinessAnswer } from './protocol';
import { ServerRateWindow, type SimRateLimits } from './rate-window';
import { RefundStore } from './store';
import { hex32, TokenStore, type TokenOptions } from './tokens';

export const SIM_PATHS: Record<string, SimPathName> = {
  '/open/refund/single/query': 'query',
  '/openWeb/auth/getInitToken': 'getInitToken',
  '/openWeb/auth/refreshToken': 'refreshToken',
};

export interface SimClock {
  now(): number;
}

export interface JushuitanSimulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  seed?: number;
  /** Records in a generated world (ignored when `world` is given). */
  refunds?: number;
  world?: World;
  clock?: SimClock;
  rateLimits?: Partial<SimRateLimits>;
  tokens?: TokenOptions;
}

export interface JushuitanCredentials {
  appKey: string;
  appSecret: string;
  accessToken: string;
  refreshToken: string;
}

export interface JushuitanSimulator {
  baseUrl: string;
  adminUrl: string;
  credentials: JushuitanCredentials;
  world: World;
  store: RefundStore;
  tokens: TokenStore;
  faults: FaultInjector;
  counters: CallCounters;
  rate: ServerRateWindow;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
/** What a broken proxy or a cut connection leaves: valid start, no end. */
const MALFORMED_BODY = '{"code":0,"msg":"执行成功","data":{"page_index":1,"has_next":true,"datas":[{"as_id":';

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Standard form decoding (`+` and %20 are spaces); the first occurrence of a repeated field wins. */
function parseForm(text: string): Map<string, string> {
  const form = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(text)) if (!form.has(key)) form.set(key, value);
  return form;
}

function send(res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8', headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

function injectedOutcome(answer: InjectedAnswer): string | number {
  return answer.kind === 'code' ? answer.code : answer.kind === 'http5xx' ? 'http_5xx' : answer.kind;
}

export async function startJushuitanSimulator(opts: JushuitanSimulatorOptions = {}): Promise<JushuitanSimulator> {
  const seed = opts.seed ?? 1;
  const clock = opts.clock ?? { now: () => Date.now() };
  const now = () => clock.now();
  const world = opts.world ?? generateWorld({ seed, refunds: opts.refunds });
  const rnd = new SeededRandom(seed ^ 0x0a99);
  const appKey = hex32(rnd);
  const appSecret = hex32(rnd);

  const store = new RefundStore(world.refunds, now);
  const tokens = new TokenStore(seed, now, opts.tokens);
  const faults = new FaultInjector(seed, now);
  const counters = new CallCounters();
  const rate = new ServerRateWindow(now, opts.rateLimits);
  const protocol = new JushuitanProtocol({ now, apps: new Map([[appKey, appSecret]]), tokens, rate, store });
  const admin: AdminTargets = { store, tokens, faults, counters, rate, appKey };
  const initial = tokens.issue(appKey);

  async function handleJushuitan(name: SimPathName, path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = parseForm(await readBody(req));
    if (name === 'query') {
      for (const m of faults.queryArrived()) {
        if (m.insert) store.insert(m.insert);
        if (m.touch) store.touch(m.touch, m.set);
      }
      if (faults.shiftOnEveryRead) shiftQueriedWindow(store, form.get('biz'));
      counters.observeQuery(inspectBiz(form.get('biz')));
    }
    const latency = faults.latencyMs(name);
    if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));

    const injected = faults.take(name);
    if (injected) {
      counters.record(path, injectedOutcome(injected));
      if (injected.kind === 'http5xx') return send(res, injected.status, 'Service Unavailable', 'text/plain; charset=utf-8');
      if (injected.kind === 'malformed') return send(res, 200, MALFORMED_BODY);
      if (injected.kind === 'oversized') return streamOversizedReply(res, injected.bytes);
      const msg = injected.code === 199 ? '调用频次超过限制!请稍后再试' : '调用频次超过限制';
      return send(res, 200, JSON.stringify({ code: injected.code, msg }));
    }

    let answer: BusinessAnswer =
      name === 'query' ? protocol.refundQuery(form) : name === 'getInitToken' ? protocol.getInitToken(form) : protocol.refreshToken(form);
    if (name === 'query' && faults.alwaysHasNext) answer = withEndlessPages(answer, faults.alwaysHasNext, store, form.get('biz'));
    counters.record(path, answer.code);
    send(res, 200, JSON.stringify(answer));
  }

  async function handleAdminCall(path: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(res, 400, JSON.stringify({ error: 'admin body must be JSON' }));
    }
    const answer = handleAdmin(admin, req.method ?? 'GET', path.slice(ADMIN_PREFIX.length), body);
    send(res, answer.status, JSON.stringify(answer.body));
  }

  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://sim').pathname;
    const name = SIM_PATHS[path];
    const work = async (): Promise<void> => {
      if (path.startsWith(`${ADMIN_PREFIX}/`)) return handleAdminCall(path, req, res);
      if (!name) {
        counters.record(path, 'http_404');
        return send(res, 404, 'Not Found', 'text/plain; charset=utf-8');
      }
      if (req.method !== 'POST') {
        counters.record(path, 'http_405');
        return send(res, 405, 'Method Not Allowed', 'text/plain; charset=utf-8', { allow: 'POST' });
      }
      return handleJushuitan(name, path, req, res);
    };
    work().catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof BodyTooLarge) return send(res, 413, 'Payload Too Large', 'text/plain; charset=utf-8');
      send(res, 500, `simulator error: ${err instanceof Error ? err.message : String(err)}`, 'text/plain; charset=utf-8');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    baseUrl,
    adminUrl: baseUrl + ADMIN_PREFIX,
    credentials: { appKey, appSecret, accessToken: initial.accessToken, refreshToken: initial.refreshToken },
    world,
    store,
    tokens,
    faults,
    counters,
    rate,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
