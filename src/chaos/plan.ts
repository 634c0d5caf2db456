// The chaos plan: what goes wrong, and when, derived from a seed (the same seed gives the same plan).
// Faults on both simulators, records changing between pages, worker kills and one dev-server restart.
// Pure: applying it is sim-faults.ts and run.ts.
import type { FaultRuleInput } from '../sim/kingdee/faults';
import type { FaultSettings } from '../sim/jushuitan/faults';
import { SeededRandom } from '../sim/random';

export interface ChaosPlanOptions {
  seed: number;
  /** Records in the world: scales how long the worker stays up between kills. */
  refunds: number;
  /** Worker SIGKILLs (at least 3 for the done-when). */
  kills: number;
}

export interface WorkerKill {
  /** How long the (re)started worker runs before it is killed. */
  upMs: number;
  /** How long it stays dead. */
  downMs: number;
}

/** A Jushuitan rate-limit burst: once `afterQueryCalls` queries were made, the next `calls` answer 199 (per second) or 200 (per minute). */
export interface RateBurst {
  afterQueryCalls: number;
  code: 199 | 200;
  calls: number;
}

/** Records change between pages: before the n-th query call from plan start, touch or insert records. */
export interface PageMutation {
  beforeQueryCall: number;
  /** How many existing records to touch (modified → now), or held-back records to insert. */
  touch: number;
  insert: number;
}

export interface ChaosPlan {
  seed: number;
  kills: WorkerKill[];
  /** The dev server restarts once, this long after the worker came back from kill number `afterKill` (1-based). */
  serverRestart: { afterKill: number; delayMs: number; downMs: number };
  /** Standing Jushuitan faults (query path): 5xx, malformed pages, latency. */
  jushuitan: FaultSettings;
  rateBursts: RateBurst[];
  mutations: PageMutation[];
  /** Standing Kingdee fault rules. */
  kingdee: FaultRuleInput[];
}

/** Kingdee operations the sync calls (not the logins: a refused login is configuration, not weather). */
const READS = ['ExecuteBillQuery'];
const WRITES = ['Save', 'Submit', 'Audit', 'CancelAssign', 'Delete'];

/**
 * The same weather on BatchSave, the batching worker's save (issue 18): from a random sequence of its own, so
 * the rest of a seed's plan is unchanged.
 */
function batchSaveFaults(seed: number): FaultRuleInput[] {
  const rnd = new SeededRandom(seed ^ 0xba7c5);
  return [
    { fault: 'sessionDrop', op: 'BatchSave', probability: 0.03 },
    { fault: 'http5xx', op: 'BatchSave', probability: 0.03, status: rnd.pick([500, 502, 503] as const) },
    { fault: 'latency', op: 'BatchSave', probability: 0.03, latencyMs: [500, 4_000] },
    { fault: 'networkLock', op: 'BatchSave', probability: 0.04 },
    { fault: 'commitThenDrop', op: 'BatchSave', probability: 0.04 },
    // For certain once each, early: a batching worker makes few BatchSave (and Audit) calls, so a late nth may
    // never come. A whole batch saved and its reply lost; a batch that meets the write-back lock.
    { fault: 'commitThenDrop', op: 'BatchSave', nth: rnd.int(1, 2) },
    { fault: 'networkLock', op: 'BatchSave', nth: rnd.int(2, 3) },
    // The lean workflow gathers bills into fuller batches, so even fewer calls: a server error for certain too.
    { fault: 'http5xx', op: 'BatchSave', nth: rnd.int(4, 5), status: 502 },
  ];
}

export function chaosPlan(options: ChaosPlanOptions): ChaosPlan {
  const rnd = new SeededRandom(options.seed ^ 0xc4a05);
  const between = (min: number, max: number) => rnd.int(Math.round(min), Math.round(max));
  // The worker is killed while it works: small runs finish quickly, so their kills come sooner.
  const maxUpMs = Math.min(40_000, Math.max(6_000, options.refunds * 40));
  const kills = Array.from({ length: options.kills }, () => ({ upMs: between(maxUpMs / 4, maxUpMs), downMs: between(300, 3_000) }));

  const kingdee: FaultRuleInput[] = [
    ...[...READS, ...WRITES].flatMap((op): FaultRuleInput[] => [
      { fault: 'sessionDrop', op, probability: 0.03 },
      { fault: 'http5xx', op, probability: 0.03, status: rnd.pick([500, 502, 503] as const) },
      { fault: 'latency', op, probability: 0.03, latencyMs: [500, 4_000] },
    ]),
    ...WRITES.map((op): FaultRuleInput => ({ fault: 'networkLock', op, probability: 0.04 })),
    ...['Save', 'Submit', 'Audit'].flatMap((op): FaultRuleInput[] => [
      { fault: 'commitThenDrop', op, probability: 0.04 },
      // Once for certain on each write, however small the run.
      { fault: 'commitThenDrop', op, nth: between(2, 6) },
    ]),
    { fault: 'sessionDrop', op: 'ExecuteBillQuery', nth: between(2, 6) },
    { fault: 'http5xx', op: 'Save', nth: between(2, 6), status: 502 },
    { fault: 'networkLock', op: 'Audit', nth: between(2, 6) },
    { fault: 'latency', op: 'Submit', nth: between(2, 6), latencyMs: 3_000 },
    ...batchSaveFaults(options.seed),
  ];

  return {
    seed: options.seed,
    kills,
    serverRestart: { afterKill: between(1, Math.max(1, options.kills - 1)), delayMs: between(1_000, maxUpMs / 3), downMs: between(1_000, 4_000) },
    jushuitan: {
      // A few for certain (the first query calls), then now and then.
      http5xx: { next: 2, probability: 0.08, status: 503 },
      malformed: { next: 1, probability: 0.05 },
      latency: { minMs: 0, maxMs: 400 },
    },
    rateBursts: [
      ...Array.from({ length: 3 }, (): RateBurst => ({ afterQueryCalls: between(1, 12), code: 199, calls: between(2, 4) })),
      // A 200 makes every caller wait out the minute: once is enough.
      { afterQueryCalls: between(1, 12), code: 200, calls: 1 } satisfies RateBurst,
    ].sort((a, b) => a.afterQueryCalls - b.afterQueryCalls),
    mutations: [
      { beforeQueryCall: between(2, 4), touch: 3, insert: 0 },
      { beforeQueryCall: between(5, 8), touch: 0, insert: 3 },
      { beforeQueryCall: between(9, 14), touch: 5, insert: 2 },
    ],
    kingdee,
  };
}
