// Applies the chaos plan's faults to the in-process simulators (through the same fault APIs the admin
// endpoints use), and reads back what fired, for the report.
import type { SimulatedSystems } from '../sim/simulated-systems';
import type { RefundRecord } from '../sim/world';
import { SeededRandom } from '../sim/random';
import type { ChaosPlan } from './plan';

export interface FaultHandle {
  /** Rate bursts not yet answered in full (they go out one after the other, as queries come). */
  pendingBursts(): number;
  /** Removes Jushuitan's faults and pending bursts: its pages come clean from now on (for the verification poll). */
  calmJushuitan(): void;
  /** Removes Kingdee's fault rules: kept until every refund has settled, so every write meets the weather. */
  calmKingdee(): void;
}

const QUERY_PATH = '/open/refund/single/query';

/**
 * Standing faults now; rate bursts one after the other as query calls come; page mutations before their query
 * calls. Touches pick from `touchable` (records that exist); inserts take the `held` records (kept out until then).
 */
export function applyFaults(systems: SimulatedSystems, plan: ChaosPlan, touchable: readonly RefundRecord[], held: readonly RefundRecord[]): FaultHandle {
  const jst = systems.jushuitan.faults;
  jst.set(plan.jushuitan);
  for (const rule of plan.kingdee) systems.kingdee.faults.add(rule);
  // The many-bill behaviours of kingdee-batching.md §4 that leave where a refund parks unchanged (an over-return
  // still fails at Audit): results in load order, errors without DIndex, skipped numbers, the write-back lock.
  systems.kingdee.setBehaviours({ resultsInLoadOrder: true, errorsWithoutDIndex: true, skipUnknownNumbers: true, sourceLockConflicts: true, groupRollback: true });

  const rnd = new SeededRandom(plan.seed ^ 0x70c4);
  const pool = [...touchable];
  const queue = [...held];
  jst.set({
    mutations: plan.mutations.map((m) => ({
      beforeQueryCall: m.beforeQueryCall,
      touch: Array.from({ length: Math.min(m.touch, pool.length) }, () => pool.splice(rnd.int(0, pool.length - 1), 1)[0]!.as_id),
      insert: queue.splice(0, m.insert),
    })),
  });

  // The simulator holds one burst at a time: the next is set once the last was answered in full.
  const counters = systems.jushuitan.counters;
  const limited = () => counters.count(199, QUERY_PATH) + counters.count(200, QUERY_PATH);
  const bursts = [...plan.rateBursts];
  const callsAtStart = counters.calls(QUERY_PATH);
  let answeredOnceDone = -1;
  const timer = setInterval(() => {
    const next = bursts[0];
    if (!next || limited() < answeredOnceDone || counters.calls(QUERY_PATH) - callsAtStart < next.afterQueryCalls) return;
    bursts.shift();
    answeredOnceDone = limited() + next.calls;
    jst.set({ rateLimit: { code: next.code, next: next.calls } });
  }, 100);
  return {
    pendingBursts: () => bursts.length + (limited() < answeredOnceDone ? 1 : 0),
    calmJushuitan() {
      clearInterval(timer);
      jst.clear();
    },
    calmKingdee: () => systems.kingdee.faults.clear(),
  };
}

export interface FaultsFired {
  jushuitan: Record<string, number>;
  kingdee: Record<string, number>;
  /** Kingdee calls by operation up to then: how many chances each fault rule had. */
  kingdeeCalls: Record<string, number>;
}

/** Injected outcomes seen by Jushuitan's counters, and Kingdee's fired rules by kind. */
export function faultsFired(systems: SimulatedSystems): FaultsFired {
  const byOutcome = systems.jushuitan.counters.snapshot().byOutcome;
  const jushuitan: Record<string, number> = {};
  for (const key of ['199', '200', 'http_5xx', 'malformed']) if (byOutcome[key]) jushuitan[key] = byOutcome[key];
  const kingdee: Record<string, number> = {};
  for (const rule of systems.kingdee.faults.list()) kingdee[rule.fault] = (kingdee[rule.fault] ?? 0) + rule.fired;
  const kingdeeCalls = Object.fromEntries(Object.entries(systems.kingdee.counters.snapshot().operations).map(([op, c]) => [op, c.calls]));
  return { jushuitan, kingdee, kingdeeCalls };
}
