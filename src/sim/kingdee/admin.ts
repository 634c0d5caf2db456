// The simulator's admin API under /__admin/ (outside the .kdsvc namespace): reseed, base-data edits,
// stored records, fault rules, call counters, sessions. The same objects are exposed in-process.
import { z } from 'zod';
import type { World } from '../world';
import type { SessionRegistry } from './auth';
import { BatchBehaviours, type BatchBehavioursInput } from './behaviours';
import { FaultRule, type CallCounters, type FaultInjector } from './faults';
import { LatencyModel, type LatencyModelInput } from './latency-model';
import { formDef } from './forms';
import type { KingdeeStore } from './store';
import { exportRecord } from './view';

export interface AdminContext {
  store: KingdeeStore;
  faults: FaultInjector;
  counters: CallCounters;
  sessions: SessionRegistry;
  world(): World;
  reseed(options: { seed?: number; refunds?: number }): World;
  /** The many-bill switches (§4), the latency model (§5) and per-session serialisation of kingdee-batching.md. */
  behaviours(): BatchBehaviours;
  setBehaviours(changes: BatchBehavioursInput): void;
  latencyModel(): LatencyModel | undefined;
  setLatencyModel(model: LatencyModelInput | undefined): void;
  setSerialiseSessions(on: boolean): void;
}

const SerialiseBody = z.object({ on: z.boolean() });

export interface AdminReply {
  status: number;
  body: unknown;
}

const SeedBody = z.object({ seed: z.number().int().optional(), refunds: z.number().int().nonnegative().optional() });
const RecordBody = z.record(z.string(), z.unknown());

const ok = (body: unknown): AdminReply => ({ status: 200, body });
const notFound = (what: string): AdminReply => ({ status: 404, body: { error: `${what} not found` } });
const badRequest = (message: string): AdminReply => ({ status: 400, body: { error: message } });

function json(text: string): unknown {
  return text.trim() === '' ? {} : JSON.parse(text);
}

/**
 * Routes:
 *   GET  /__admin/health                                   POST /__admin/seed {seed?, refunds?}
 *   GET  /__admin/forms/:formId/records                    POST /__admin/forms/:formId/records {FNumber, …}  (base data upsert)
 *   DELETE /__admin/forms/:formId/records/:number          POST /__admin/forms/:formId/records/:number/restore
 *   GET  /__admin/faults   POST /__admin/faults {rule}     DELETE /__admin/faults   DELETE /__admin/faults/:id
 *   GET  /__admin/counters POST /__admin/counters/reset    POST /__admin/sessions/expire
 *   GET  /__admin/behaviours POST /__admin/behaviours {switch: bool, …}   (kingdee-batching.md §4 (a)–(g))
 *   GET  /__admin/latency-model POST /__admin/latency-model {…} DELETE /__admin/latency-model   (§5)
 *   POST /__admin/serialise-sessions {on}
 */
export function handleAdmin(method: string, pathname: string, bodyText: string, ctx: AdminContext): AdminReply {
  const parts = pathname.replace(/^\/__admin\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  const route = `${method} ${parts.map((p, i) => (parts[0] === 'forms' && (i === 1 || i === 3)) || (parts[0] === 'faults' && i === 1) ? ':' : p).join('/')}`;
  try {
    switch (route) {
      case 'GET health':
        return ok({ ok: true, seed: ctx.world().seed });
      case 'POST seed': {
        const opts = SeedBody.parse(json(bodyText));
        const world = ctx.reseed(opts);
        return ok({ seed: world.seed, outboundBills: world.outboundBills.length, refunds: world.refunds.length });
      }
      case 'GET forms/:/records': {
        const def = formDef(parts[1]!);
        if (!def) return notFound(`form ${parts[1]}`);
        return ok(ctx.store.records(def.formId).map((r) => exportRecord(ctx.store, def, r)));
      }
      case 'POST forms/:/records': {
        const def = formDef(parts[1]!);
        if (!def) return notFound(`form ${parts[1]}`);
        const record = ctx.store.upsertBaseData(def.formId, RecordBody.parse(json(bodyText)));
        return ok(exportRecord(ctx.store, def, record));
      }
      case 'DELETE forms/:/records/:':
        return ctx.store.def(parts[1]!) && ctx.store.removeRecord(parts[1]!, parts[3]!) ? ok({ removed: parts[3] }) : notFound(`${parts[1]} ${parts[3]}`);
      case 'POST forms/:/records/:/restore':
        return ctx.store.def(parts[1]!) && ctx.store.restoreRecord(parts[1]!, parts[3]!) ? ok({ restored: parts[3] }) : notFound(`removed ${parts[1]} ${parts[3]}`);
      case 'GET faults':
        return ok(ctx.faults.list());
      case 'POST faults':
        return ok({ id: ctx.faults.add(FaultRule.parse(json(bodyText))) });
      case 'DELETE faults':
        ctx.faults.clear();
        return ok({ cleared: true });
      case 'DELETE faults/:':
        return ctx.faults.remove(Number(parts[1])) ? ok({ removed: Number(parts[1]) }) : notFound(`fault ${parts[1]}`);
      case 'GET counters':
        return ok(ctx.counters.snapshot());
      case 'POST counters/reset':
        ctx.counters.reset();
        return ok(ctx.counters.snapshot());
      case 'POST sessions/expire':
        return ok({ expired: ctx.sessions.expireAll() });
      case 'GET behaviours':
        return ok(ctx.behaviours());
      case 'POST behaviours':
        ctx.setBehaviours(BatchBehaviours.partial().strict().parse(json(bodyText)));
        return ok(ctx.behaviours());
      case 'GET latency-model':
        return ok(ctx.latencyModel() ?? null);
      case 'POST latency-model':
        ctx.setLatencyModel(LatencyModel.parse(json(bodyText)));
        return ok(ctx.latencyModel());
      case 'DELETE latency-model':
        ctx.setLatencyModel(undefined);
        return ok(null);
      case 'POST serialise-sessions':
        ctx.setSerialiseSessions(SerialiseBody.parse(json(bodyText)).on);
        return ok({ on: SerialiseBody.parse(json(bodyText)).on });
      default:
        return notFound(`${method} ${pathname}`);
    }
  } catch (err) {
    if (err instanceof z.ZodError) return badRequest(err.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    return badRequest(err instanceof Error ? err.message : String(err));
  }
}
