// Shared test helpers: a virtual clock, a simulator per test, clients with fast retries and a private
// limiter, and raw signed calls for contract tests.
import { request } from 'undici';
import { JushuitanClient, RateLimiter, type Clock, type JushuitanClientDeps, type JushuitanConfigInput } from '../../../src/connectors/jushuitan';
import { signedFormBody } from '../../../src/connectors/jushuitan/sign';
import { startJushuitanSimulator, type JushuitanSimulator, type JushuitanSimulatorOptions } from '../../../src/sim/jushuitan';

/** Time moves only when someone sleeps: rate windows and back-off run instantly and deterministically. */
export class VirtualClock implements Clock {
  sleeps: number[] = [];
  constructor(private t = Date.UTC(2026, 0, 21, 4, 0, 0)) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
    this.t += Math.max(0, ms);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Limits high enough that throttling never matters, for tests about something else. */
export const FAST_LIMITS = { perSecond: 10_000, perMinute: 100_000, marginMs: 0 };
export const FAST_RETRY = { baseDelayMs: 1, maxDelayMs: 5, perSecondLimitDelayMs: 1, perMinuteLimitDelayMs: 5 };

/** The simulator's limits raised consistently with FAST_LIMITS. */
export const FAST_SIM_LIMITS = { perSecond: FAST_LIMITS.perSecond, perMinute: FAST_LIMITS.perMinute };
/** The contract's limits (§7.2 step 5). */
export const REAL_SIM_LIMITS = { perSecond: 5, perMinute: 100 };

/** A simulator for one test; its rate limits are FAST_SIM_LIMITS unless the test names others. */
export async function withSimulator<T>(opts: JushuitanSimulatorOptions, body: (sim: JushuitanSimulator) => Promise<T>): Promise<T> {
  const sim = await startJushuitanSimulator({ rateLimits: FAST_SIM_LIMITS, ...opts });
  try {
    return await body(sim);
  } finally {
    await sim.stop();
  }
}

export function configFor(sim: JushuitanSimulator, overrides: Partial<JushuitanConfigInput> = {}): JushuitanConfigInput {
  return {
    baseUrl: sim.baseUrl,
    appKey: sim.credentials.appKey,
    appSecret: sim.credentials.appSecret,
    accessToken: sim.credentials.accessToken,
    refreshToken: sim.credentials.refreshToken,
    limits: FAST_LIMITS,
    retry: FAST_RETRY,
    timeoutMs: 5_000,
    ...overrides,
  };
}

/** A client on its own limiter (no cross-test sharing), fast limits and retries unless overridden. */
export function clientFor(sim: JushuitanSimulator, overrides: Partial<JushuitanConfigInput> = {}, deps: JushuitanClientDeps = {}): JushuitanClient {
  return new JushuitanClient(configFor(sim, overrides), { limiter: new RateLimiter(deps.clock), ...deps });
}

export interface RawAnswer {
  status: number;
  text: string;
  json?: { code: number; msg: string; data?: Record<string, unknown> };
}

/** POSTs a form to the simulator, signing it with `secret` unless `sign` is given in the fields. */
export async function rawCall(baseUrl: string, path: string, fields: Record<string, string>, secret?: string, method = 'POST'): Promise<RawAnswer> {
  const body = secret === undefined ? new URLSearchParams(fields).toString() : signedFormBody(fields, secret);
  const response = await request(baseUrl + path, {
    method: method as 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: method === 'GET' ? undefined : body,
  });
  const text = await response.body.text();
  let json: RawAnswer['json'];
  try {
    json = JSON.parse(text) as RawAnswer['json'];
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, text, json };
}

/** The envelope of a refund query for the simulator's app, as of `nowMs`. */
export function queryFields(sim: JushuitanSimulator, biz: unknown, nowMs = Date.now()): Record<string, string> {
  return {
    app_key: sim.credentials.appKey,
    access_token: sim.credentials.accessToken,
    timestamp: String(Math.floor(nowMs / 1000)),
    charset: 'utf-8',
    version: '2',
    biz: typeof biz === 'string' ? biz : JSON.stringify(biz),
  };
}

export const QUERY_PATH = '/open/refund/single/query';
export const REFRESH_PATH = '/openWeb/auth/refreshToken';
export const INIT_TOKEN_PATH = '/openWeb/auth/getInitToken';

export async function admin(sim: JushuitanSimulator, method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }> {
  const response = await request(`${sim.adminUrl}${path}`, {
    method: method as 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, body: await response.body.json() };
}
