// Fault injection and call counters (kingdee-webapi.md §9.11). A rule picks an operation (optionally a
// FormId) and fires on the nth matching call, every k calls, or with seeded probability, up to N times.
import { z } from 'zod';
import { SeededRandom } from '../random';

export const FAULT_KINDS = ['latency', 'http5xx', 'responseError', 'networkLock', 'sessionDrop', 'commitThenDrop', 'oversized'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultRule = z
  .object({
    fault: z.enum(FAULT_KINDS),
    /** Operation name, case-insensitive (`Save`, `executebillquery`, …); `*` matches every operation. */
    op: z.string().min(1),
    formId: z.string().min(1).optional(),
    nth: z.number().int().positive().optional(),
    every: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    /** Fire at most this many times (default: once for `nth`, unlimited otherwise). */
    times: z.number().int().positive().optional(),
    /** `latency`: fixed ms or a [min, max] range. */
    latencyMs: z.union([z.number().int().nonnegative(), z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()])]).optional(),
    /** `http5xx`: the status to answer (default 503). */
    status: z.union([z.literal(500), z.literal(502), z.literal(503)]).optional(),
    /** `oversized`: the size of the streamed reply (default 64 MB), for tests of the client's byte cap. */
    bytes: z.number().int().positive().optional(),
  })
  .refine((r) => [r.nth, r.every, r.probability].filter((x) => x !== undefined).length <= 1, 'use at most one of nth, every, probability');
export type FaultRule = z.infer<typeof FaultRule>;
export type FaultRuleInput = z.input<typeof FaultRule>;

export interface FaultRuleState extends FaultRule {
  id: number;
  matched: number;
  fired: number;
}

export interface FiredFault {
  rule: FaultRuleState;
  delayMs: number;
}

export class FaultInjector {
  private rules: FaultRuleState[] = [];
  private nextId = 1;
  private rng: SeededRandom;

  constructor(private readonly seed: number) {
    this.rng = new SeededRandom(seed);
  }

  add(input: FaultRuleInput): number {
    const rule = FaultRule.parse(input);
    const id = this.nextId++;
    this.rules.push({ ...rule, id, matched: 0, fired: 0 });
    return id;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((r) => r.id !== id);
    return this.rules.length < before;
  }

  /** Removes every rule and restarts the probability sequence from the seed. */
  clear(): void {
    this.rules = [];
    this.rng = new SeededRandom(this.seed);
  }

  list(): FaultRuleState[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** The faults that fire for this call, in rule order (each rule counts the calls it matches). */
  pick(op: string, formId: string | undefined): FiredFault[] {
    const fired: FiredFault[] = [];
    for (const rule of this.rules) {
      if (rule.op !== '*' && rule.op.toLowerCase() !== op.toLowerCase()) continue;
      if (rule.formId !== undefined && rule.formId !== formId) continue;
      rule.matched++;
      const limit = rule.times ?? (rule.nth !== undefined ? 1 : Number.POSITIVE_INFINITY);
      if (rule.fired >= limit) continue;
      const due =
        rule.nth !== undefined ? rule.matched >= rule.nth
        : rule.every !== undefined ? rule.matched % rule.every === 0
        : rule.probability !== undefined ? this.rng.chance(rule.probability)
        : true;
      if (!due) continue;
      rule.fired++;
      const l = rule.latencyMs ?? 0;
      fired.push({ rule, delayMs: Array.isArray(l) ? this.rng.int(Math.min(l[0], l[1]), Math.max(l[0], l[1])) : l });
    }
    return fired;
  }
}

export interface OperationCounters {
  calls: number;
  /** Bills the calls carried (models in a BatchSave, numbers in a Submit/Audit; 1 per single-bill call). */
  bills: number;
  successes: number;
  businessFailures: number;
  faultsFired: number;
}

export interface CountersSnapshot {
  operations: Record<string, OperationCounters>;
  /** Requests being handled right now. */
  inFlight: number;
  /** Most requests handled at once since the last reset (concurrency limits are checked against it). */
  maxInFlight: number;
}

export class CallCounters {
  private ops = new Map<string, OperationCounters>();
  private inFlight = 0;
  private maxInFlight = 0;

  private of(op: string): OperationCounters {
    let c = this.ops.get(op);
    if (!c) this.ops.set(op, (c = { calls: 0, bills: 0, successes: 0, businessFailures: 0, faultsFired: 0 }));
    return c;
  }

  begin(op: string, bills = 1): void {
    this.of(op).calls++;
    this.of(op).bills += bills;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  end(): void {
    this.inFlight--;
  }

  success(op: string): void {
    this.of(op).successes++;
  }

  businessFailure(op: string): void {
    this.of(op).businessFailures++;
  }

  fault(op: string): void {
    this.of(op).faultsFired++;
  }

  /** Counters of one operation (zeros when it was never called). */
  get(op: string): OperationCounters {
    return { ...(this.ops.get(op) ?? { calls: 0, bills: 0, successes: 0, businessFailures: 0, faultsFired: 0 }) };
  }

  snapshot(): CountersSnapshot {
    return { operations: Object.fromEntries([...this.ops].map(([k, v]) => [k, { ...v }])), inFlight: this.inFlight, maxInFlight: this.maxInFlight };
  }

  reset(): void {
    this.ops = new Map();
    this.maxInFlight = this.inFlight;
  }
}
