// The simulator's admin API under /__admin/ (outside every Jushuitan path): tests and the demo load and
// mutate records, inject faults, expire tokens, change rate limits and read the call counters.
import { z } from 'zod';
import type { CallCounters } from './counters';
import { faultSettingsSchema, type FaultInjector } from './faults';
import type { ServerRateWindow } from './rate-window';
import type { RefundStore } from './store';
import type { TokenStore } from './tokens';

export const ADMIN_PREFIX = '/__admin';

export interface AdminTargets {
  store: RefundStore;
  tokens: TokenStore;
  faults: FaultInjector;
  counters: CallCounters;
  rate: ServerRateWindow;
  appKey: string;
}

export interface AdminAnswer {
  status: number;
  body: unknown;
}

const recordsBody = z.object({ records: z.array(z.unknown()), touch: z.boolean().optional() });
const touchBody = z.object({ asIds: z.array(z.int()).min(1), set: z.record(z.string(), z.unknown()).optional() });
const tokenBody = z.object({ accessToken: z.string().optional(), refreshToken: z.string().optional() });
const rateBody = z.object({
  perSecond: z.int().positive().optional(),
  perMinute: z.int().positive().optional(),
  enabled: z.boolean().optional(),
  /** Forget the calls counted so far. */
  clear: z.boolean().optional(),
});

type Route = (t: AdminTargets, body: unknown) => AdminAnswer;

const ok = (body: unknown = { ok: true }): AdminAnswer => ({ status: 200, body });

const ROUTES: Record<string, Route> = {
  'GET /counters': (t) => ok(t.counters.snapshot()),
  'POST /counters/reset': (t) => {
    t.counters.reset();
    return ok();
  },
  'GET /records': (t) => ok({ records: t.store.all() }),
  'PUT /records': (t, body) => {
    t.store.replace(recordsBody.parse(body).records);
    return ok({ count: t.store.size });
  },
  'POST /records': (t, body) => {
    const { records, touch } = recordsBody.parse(body);
    return ok({ records: t.store.insert(records, touch ?? true) });
  },
  'POST /records/touch': (t, body) => {
    const { asIds, set } = touchBody.parse(body);
    return ok({ records: t.store.touch(asIds, set) });
  },
  'POST /faults': (t, body) => {
    t.faults.set(faultSettingsSchema.parse(body));
    return ok();
  },
  'DELETE /faults': (t) => {
    t.faults.clear();
    return ok();
  },
  'POST /tokens/issue': (t) => ok(t.tokens.issue(t.appKey)),
  'POST /tokens/expire': (t, body) => ok({ expired: t.tokens.expire(tokenBody.parse(body ?? {}).accessToken) }),
  'POST /tokens/revoke': (t, body) => ok({ revoked: t.tokens.revoke(tokenBody.parse(body ?? {})) }),
  'GET /rate-limits': (t) => ok(t.rate.limits),
  'POST /rate-limits': (t, body) => {
    const { clear, ...limits } = rateBody.parse(body);
    if (clear) t.rate.clear();
    return ok(t.rate.set(limits));
  },
};

/** Answers one admin call; `path` is below the prefix. Bad input gives 400 with the reason. */
export function handleAdmin(targets: AdminTargets, method: string, path: string, body: unknown): AdminAnswer {
  const route = ROUTES[`${method} ${path}`];
  if (!route) {
    const known = Object.keys(ROUTES).some((key) => key.endsWith(` ${path}`));
    return { status: known ? 405 : 404, body: { error: `${known ? 'method not allowed' : 'no admin route'}: ${method} ${path}` } };
  }
  try {
    return route(targets, body);
  } catch (err) {
    const message = err instanceof z.ZodError ? z.prettifyError(err) : err instanceof Error ? err.message : String(err);
    return { status: 400, body: { error: message } };
  }
}
