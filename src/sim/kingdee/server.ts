// The Kingdee K/3 Cloud simulator: node:http on 127.0.0.1, serving the shared world through the WebAPI
// contract of kingdee-webapi.md §9, with faults, counters and an admin API for tests, demos and benchmarks.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streamOversizedReply } from '../oversized-reply';
import { SeededRandom } from '../random';
import { generateWorld, type World } from '../world';
import { handleAdmin } from './admin';
import { Authenticator, SESSION_COOKIE, sessionCookies, type LoginOperation, type Session, type SessionRegistry } from './auth';
import { handleBatchSave, handleSave, type OpOutcome } from './bills';
import { BatchBehaviours, type BatchBehavioursInput } from './behaviours';
import { CallCounters, FaultInjector, type FaultKind } from './faults';
import { billsInCall, LatencyModel, modelLatencyMs, type LatencyModelInput } from './latency-model';
import { SessionQueue } from './session-queue';
import { SourceLocks } from './source-locks';
import { BodyError, businessArgs, firstBillNumber, isKdsvcPath, parseArgs, routeOf, type OperationSpec, type RequestArgs } from './protocol';
import { QueryError, runQuery } from './query';
import { executeBillQueryError, failure, lockConflictStatus, sessionLostBody, type ResponseStatusBody } from './replies';
import { seedStore } from './seed';
import { handleStatusOperation, type StatusOperation } from './status';
import { KingdeeStore } from './store';
import { exportRecord, handleView } from './view';

export interface KingdeeSimCredentials {
  acctId: string;
  username: string;
  password: string;
  appId: string;
  appSecret: string;
  lcid: number;
}

export interface KingdeeSimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  seed?: number;
  refunds?: number;
  /** Serve this world instead of generating one (share it with the Jushuitan simulator). */
  world?: World;
  /** Sliding session lifetime; 20 minutes by default, seconds in tests. */
  sessionTtlMs?: number;
  /** Clock for session expiry and LoginBySign skew (tests advance it instead of sleeping). */
  now?: () => number;
  credentials?: Partial<KingdeeSimCredentials>;
  /** Cap on a query's Limit (default 2000). */
  maxQueryLimit?: number;
  loginSignAlgorithm?: 'sha256' | 'sha1';
  /** LoginBySign timestamp window in seconds; unchecked by default. */
  signWindowSeconds?: number;
  /** Accept the SDK signed-header scheme (default true). */
  signedHeaders?: boolean;
  /** Also verify `X-Api-Signature` (default false, as on-prem servers). */
  verifyApiSignature?: boolean;
  /** Seed for probabilistic faults (default: the world seed). */
  faultSeed?: number;
  /** Charge each business call the latency model of kingdee-batching.md §5 (off by default). */
  latencyModel?: LatencyModelInput;
  /** At most one call in flight per session, the rest queue (kingdee-batching.md §3.2); off by default. */
  serialiseSessions?: boolean;
  /** The many-bill behaviours of kingdee-batching.md §4 (all off by default). */
  behaviours?: BatchBehavioursInput;
}

export interface KingdeeSimulator {
  /** Site root, ending in `/k3cloud/`. */
  baseUrl: string;
  adminUrl: string;
  port: number;
  credentials: KingdeeSimCredentials;
  /** The world currently served (changes on reseed). */
  readonly world: World;
  store: KingdeeStore;
  faults: FaultInjector;
  counters: CallCounters;
  sessions: SessionRegistry;
  /** The latency model in force (undefined: none), and a switch to change it between runs. */
  readonly latencyModel: LatencyModel | undefined;
  setLatencyModel(model: LatencyModelInput | undefined): void;
  /** The §4 behaviours in force; `setBehaviours` replaces the switches given and keeps the rest. */
  readonly behaviours: BatchBehaviours;
  setBehaviours(changes: BatchBehavioursInput): void;
  setSerialiseSessions(on: boolean): void;
  /** Stored records of a form as Save models would describe them (same as GET /__admin/forms/:formId/records). */
  listRecords(formId: string): Array<Record<string, unknown>>;
  reseed(options?: { seed?: number; refunds?: number; world?: World }): World;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;

/** Deterministic default credentials: an AppId of the real shape (`<clientId>_<32 base64 chars>`). */
function defaultCredentials(seed: number): KingdeeSimCredentials {
  const rnd = new SeededRandom(seed ^ 0x5eed);
  const bytes = (n: number): Buffer => Buffer.from(Array.from({ length: n }, () => rnd.int(0, 255)));
  return {
    acctId: '65a1b2c3d4e5f6',
    username: 'erp-bridge',
    password: `Sim-${bytes(6).toString('hex')}`,
    appId: `200001_${bytes(24).toString('base64')}`,
    appSecret: bytes(16).toString('hex'),
    lcid: 2052,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new BodyError('request body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim().toLowerCase() === name.toLowerCase()) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sessionIdOf(req: IncomingMessage): string | undefined {
  const header = req.headers[SESSION_COOKIE];
  return cookieValue(req, SESSION_COOKIE) || (Array.isArray(header) ? header[0] : header) || undefined;
}

interface Reply {
  httpStatus: number;
  body: unknown;
  /** Raw text bodies (HTTP 5xx pages, `response_error:`); JSON otherwise. */
  text?: boolean;
  setCookies?: string[];
}

function send(res: ServerResponse, reply: Reply): void {
  const payload = reply.text ? String(reply.body) : JSON.stringify(reply.body);
  res.statusCode = reply.httpStatus;
  res.setHeader('content-type', reply.text ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8');
  if (reply.setCookies && reply.setCookies.length > 0) res.setHeader('set-cookie', reply.setCookies);
  res.end(payload);
}

/** The business arguments of a raw body, or undefined when it does not parse (answered as such later). */
function safeBusinessArgs(spec: OperationSpec, raw: string): { formId: string | undefined; data: Record<string, unknown> | undefined } | undefined {
  try {
    return businessArgs(spec, parseArgs(raw));
  } catch {
    return undefined;
  }
}

/** Switches (d) and (f) applied to a `{"Result":{"ResponseStatus":…}}` reply: load order, no DIndex on errors. */
function reshapeStatus(body: unknown, behaviours: BatchBehaviours): unknown {
  if (!behaviours.resultsInLoadOrder && !behaviours.errorsWithoutDIndex) return body;
  const result = typeof body === 'object' && body !== null ? (body as { Result?: { ResponseStatus?: ResponseStatusBody } }).Result : undefined;
  const status = result?.ResponseStatus;
  if (!result || !status) return body;
  const byId = (a: { Id: number | string }, b: { Id: number | string }): number => Number(a.Id) - Number(b.Id);
  const reshaped: Record<string, unknown> = { ...status };
  if (behaviours.resultsInLoadOrder) reshaped.SuccessEntitys = [...status.SuccessEntitys].sort(byId);
  if (behaviours.errorsWithoutDIndex) reshaped.Errors = status.Errors.map(({ FieldName, Message }) => ({ FieldName, Message }));
  return { ...(body as Record<string, unknown>), Result: { ...result, ResponseStatus: reshaped } };
}

/** A failed status in the shape the operation uses: `[[…]]` for ExecuteBillQuery, `{"Result":…}` otherwise. */
function statusReply(spec: OperationSpec, status: ResponseStatusBody): unknown {
  return spec.name === 'ExecuteBillQuery' ? executeBillQueryError(status) : { Result: { ResponseStatus: status } };
}

export async function startKingdeeSimulator(options: KingdeeSimulatorOptions = {}): Promise<KingdeeSimulator> {
  let world = options.world ?? generateWorld({ seed: options.seed ?? 1, refunds: options.refunds });
  const now = options.now ?? Date.now;
  const credentials: KingdeeSimCredentials = { ...defaultCredentials(world.seed), ...options.credentials };
  const maxQueryLimit = options.maxQueryLimit ?? 2000;
  const store = new KingdeeStore();
  seedStore(store, world);
  const auth = new Authenticator(
    {
      acctId: credentials.acctId,
      users: [{ username: credentials.username, password: credentials.password, userId: 100_008 }],
      apps: [{ appId: credentials.appId, appSecret: credentials.appSecret }],
      sessionTtlMs: options.sessionTtlMs ?? 20 * 60_000,
      loginSignAlgorithm: options.loginSignAlgorithm ?? 'sha256',
      signWindowSeconds: options.signWindowSeconds,
      signedHeaders: options.signedHeaders ?? true,
      verifyApiSignature: options.verifyApiSignature ?? false,
    },
    now,
  );
  const faults = new FaultInjector(options.faultSeed ?? world.seed);
  const counters = new CallCounters();
  let latencyModel = options.latencyModel ? LatencyModel.parse(options.latencyModel) : undefined;
  let behaviours = BatchBehaviours.parse(options.behaviours ?? {});
  let serialiseSessions = options.serialiseSessions ?? false;
  const sessionQueue = new SessionQueue();
  const sourceLocks = new SourceLocks(store);

  const reseed = (opts: { seed?: number; refunds?: number; world?: World } = {}): World => {
    world = opts.world ?? generateWorld({ seed: opts.seed ?? world.seed, refunds: opts.refunds ?? world.refunds.length });
    seedStore(store, world);
    return world;
  };

  /** Runs an authenticated business operation. */
  const dispatch = (spec: OperationSpec, formId: string | undefined, data: Record<string, unknown> | undefined): OpOutcome => {
    const fail = (status: ResponseStatusBody): OpOutcome => ({ body: statusReply(spec, status), success: false });
    if (spec.kind === 'query') {
      if (!data) return fail(failure(8, 'data数据包格式错误：应为JSON对象。'));
      try {
        const result = runQuery(store, data, maxQueryLimit);
        const body = spec.name === 'BillQuery' ? result.rows.map((row) => Object.fromEntries(result.keys.map((k, i) => [k, row[i]]))) : result.rows;
        return { body, success: true };
      } catch (err) {
        if (err instanceof QueryError) return fail(failure(err.msgCode, err.message));
        throw err;
      }
    }
    if (!formId) return fail(failure(5, '单据标识（formid）为空。'));
    if (!data) return fail(failure(8, 'data数据包格式错误：应为JSON对象。'));
    switch (spec.name) {
      case 'Save':
        return handleSave(store, formId, data, false, behaviours);
      case 'Draft':
        return handleSave(store, formId, data, true);
      case 'BatchSave':
        return handleBatchSave(store, formId, data, behaviours);
      case 'View':
        return handleView(store, formId, data);
      default:
        return handleStatusOperation(store, spec.name as StatusOperation, formId, data, behaviours.skipUnknownNumbers);
    }
  };

  const handleLogin = (spec: OperationSpec, args: RequestArgs, req: IncomingMessage): { reply: Reply; success: boolean } => {
    if (spec.kind === 'logout') {
      const ended = auth.sessions.drop(sessionIdOf(req));
      return { reply: { httpStatus: 200, body: ended }, success: ended };
    }
    const outcome = auth.login(spec.name as LoginOperation, args);
    return { reply: { httpStatus: 200, body: outcome.body, setCookies: outcome.setCookies }, success: outcome.success };
  };

  /** Reads the body, then waits for the session's turn when calls are serialised (logins never wait). */
  const handleKdsvc = async (req: IncomingMessage, res: ServerResponse, spec: OperationSpec): Promise<void> => {
    const raw = await readBody(req);
    const isAuth = spec.kind === 'login' || spec.kind === 'logout';
    if (!serialiseSessions || isAuth) return handleCall(req, res, spec, raw);
    const key = sessionIdOf(req) ?? `signed:${String(req.headers['x-api-appid'] ?? '')}`;
    return sessionQueue.run(key, () => handleCall(req, res, spec, raw));
  };

  const handleCall = async (req: IncomingMessage, res: ServerResponse, spec: OperationSpec, raw: string): Promise<void> => {
    const op = spec.name;
    const isAuth = spec.kind === 'login' || spec.kind === 'logout';
    let releaseSources: (() => void) | undefined;
    // Counted before anything can fail: a malformed body (answered below) counts as one bill.
    counters.begin(op, billsInCall(op, isAuth ? undefined : safeBusinessArgs(spec, raw)?.data));
    try {
      let args: RequestArgs;
      try {
        args = parseArgs(raw);
      } catch (err) {
        counters.businessFailure(op);
        send(res, { httpStatus: 200, body: statusReply(spec, failure(8, `请求数据包格式错误：${(err as Error).message}`)) });
        return;
      }
      const { formId, data } = isAuth ? { formId: undefined, data: undefined } : businessArgs(spec, args);

      const fired = faults.pick(op, formId);
      for (const _ of fired) counters.fault(op);
      // Switch (e): a write linking to a SAL_OUTSTOCK another in-flight call holds meets its write-back lock.
      const lock = !isAuth && behaviours.sourceLockConflicts && formId ? sourceLocks.acquire(op, formId, data) : undefined;
      if (lock?.held) releaseSources = lock.release;
      const modelled = latencyModel && !isAuth ? modelLatencyMs(latencyModel, op, data) : 0;
      const delay = fired.reduce((sum, f) => sum + f.delayMs, 0) + modelled;
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      if (lock && !lock.held) {
        counters.businessFailure(op);
        send(res, { httpStatus: 200, body: statusReply(spec, lockConflictStatus(lock.conflictNumber)) });
        return;
      }
      const fault: FaultKind | undefined = fired.find((f) => f.rule.fault !== 'latency')?.rule.fault;

      switch (fault) {
        case 'http5xx': {
          const status = fired.find((f) => f.rule.fault === 'http5xx')?.rule.status ?? 503;
          send(res, { httpStatus: status, body: `<html><body><h1>${status} Service Unavailable</h1></body></html>`, text: true });
          return;
        }
        case 'oversized':
          await streamOversizedReply(res, fired.find((f) => f.rule.fault === 'oversized')?.rule.bytes ?? 64 * 1024 * 1024);
          return;
        case 'responseError':
          send(res, { httpStatus: 200, text: true, body: `response_error:${JSON.stringify({ Message: '服务器内部异常（模拟）：对象引用未设置到对象的实例。', InnerExWrapper: null, InnerException: null })}` });
          return;
        case 'networkLock':
          send(res, { httpStatus: 200, body: statusReply(spec, lockConflictStatus(firstBillNumber(data))) });
          return;
        case 'sessionDrop':
          auth.sessions.drop(sessionIdOf(req));
          send(res, { httpStatus: 200, body: sessionLostBody() });
          return;
        default:
          break;
      }

      let reply: Reply;
      let success: boolean;
      if (isAuth) {
        ({ reply, success } = handleLogin(spec, args, req));
      } else {
        let session: Session | undefined = auth.sessions.touch(sessionIdOf(req));
        let setCookies: string[] = [];
        if (!session) {
          const signed = auth.signedSession(req.headers, `http://${req.headers.host ?? '127.0.0.1'}${req.url ?? ''}`);
          if (signed === 'passport') {
            counters.businessFailure(op);
            send(res, { httpStatus: 500, text: true, body: 'Fail to verify thirty passport' });
            return;
          }
          if (typeof signed === 'object') {
            session = signed;
            setCookies = sessionCookies(signed);
          }
        }
        if (!session) {
          reply = { httpStatus: 200, body: sessionLostBody() };
          success = false;
        } else {
          const outcome = dispatch(spec, formId, data);
          reply = { httpStatus: 200, body: reshapeStatus(outcome.body, behaviours), setCookies };
          success = outcome.success;
        }
      }
      if (success) counters.success(op);
      else counters.businessFailure(op);
      if (fault === 'commitThenDrop') {
        // Applied in full; the reply is lost with the connection.
        req.socket.destroy();
        return;
      }
      send(res, reply);
    } finally {
      releaseSources?.();
      counters.end();
    }
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const work = async (): Promise<void> => {
      if (url.pathname.startsWith('/__admin/') || url.pathname === '/__admin') {
        const reply = handleAdmin(req.method ?? 'GET', url.pathname, await readBody(req), {
          store, faults, counters, sessions: auth.sessions, world: () => world, reseed,
          behaviours: () => ({ ...behaviours }),
          setBehaviours: (changes) => {
            behaviours = BatchBehaviours.parse({ ...behaviours, ...changes });
          },
          latencyModel: () => latencyModel,
          setLatencyModel: (model) => {
            latencyModel = model ? LatencyModel.parse(model) : undefined;
          },
          setSerialiseSessions: (on) => {
            serialiseSessions = on;
          },
        });
        send(res, { httpStatus: reply.status, body: reply.body });
        return;
      }
      const spec = routeOf(url.pathname);
      if (!spec) {
        send(res, { httpStatus: 404, text: true, body: isKdsvcPath(url.pathname) ? 'Unknown service operation' : 'Not Found' });
        return;
      }
      if (req.method !== 'POST') {
        send(res, { httpStatus: 405, text: true, body: 'Method Not Allowed' });
        return;
      }
      await handleKdsvc(req, res, spec);
    };
    work().catch((err: unknown) => {
      if (res.headersSent || res.destroyed) return;
      send(res, { httpStatus: 500, text: true, body: `simulator error: ${err instanceof Error ? err.message : String(err)}` });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}/k3cloud/`,
    adminUrl: `${origin}/__admin/`,
    port,
    credentials,
    get world() {
      return world;
    },
    store,
    faults,
    counters,
    sessions: auth.sessions,
    get latencyModel() {
      return latencyModel;
    },
    setLatencyModel: (model) => {
      latencyModel = model ? LatencyModel.parse(model) : undefined;
    },
    get behaviours() {
      return { ...behaviours };
    },
    setBehaviours: (changes) => {
      behaviours = BatchBehaviours.parse({ ...behaviours, ...changes });
    },
    setSerialiseSessions: (on) => {
      serialiseSessions = on;
    },
    listRecords: (formId) => {
      const def = store.def(formId);
      if (!def) throw new Error(`unknown form ${formId}`);
      return store.records(formId).map((r) => exportRecord(store, def, r));
    },
    reseed,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
