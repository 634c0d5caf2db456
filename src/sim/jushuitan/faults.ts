// Fault injection (§7.7). An injected fault answers instead of the real handler, with no side effects
// (no data access, no rate-window entry), and is counted. Mutation hooks change the data before the N-th
// query call, to shift pages under a reader.
import { z } from 'zod';
import { SeededRandom } from '../random';

export const SIM_PATH_NAMES = ['query', 'getInitToken', 'refreshToken'] as const;
export type SimPathName = (typeof SIM_PATH_NAMES)[number];

const countOrChance = {
  /** The next N matching calls. */
  next: z.int().nonnegative().optional(),
  /** Each matching call with this probability (seeded). */
  probability: z.number().min(0).max(1).optional(),
};

export const faultSettingsSchema = z.object({
  /** Paths the transport and rate faults hit; default only the refund query. */
  paths: z.array(z.enum(SIM_PATH_NAMES)).min(1).optional(),
  latency: z.object({ fixedMs: z.number().nonnegative().optional(), minMs: z.number().nonnegative().optional(), maxMs: z.number().nonnegative().optional() }).nullish(),
  http5xx: z.object({ ...countOrChance, status: z.int().min(500).max(599).optional() }).nullish(),
  malformed: z.object(countOrChance).nullish(),
  /** Answer with a streamed JSON body of `bytes` bytes (default 64 MB): a client's byte cap must stop it. */
  oversized: z.object({ ...countOrChance, bytes: z.int().positive().optional() }).nullish(),
  /** Answer 199 or 200 whatever the limiter says: for the next N calls and/or for forMs of simulator time. */
  rateLimit: z.object({ code: z.union([z.literal(199), z.literal(200)]), next: z.int().nonnegative().optional(), forMs: z.number().nonnegative().optional() }).nullish(),
  /**
   * A server whose has_next is always true (page_count left out). Past the last page it answers either with
   * empty pages, or with the last page again and again (a reader that trusts has_next never stops).
   */
  alwaysHasNext: z.enum(['empty-past-end', 'repeat-last-page']).nullish(),
  /** Before every query call, the first record of the queried window is touched (modified = now): pages shift on every read. */
  shiftOnEveryRead: z.boolean().nullish(),
  /** Before the N-th query call from now (1 = the next one), touch records and/or insert new ones. */
  mutations: z
    .array(
      z.object({
        beforeQueryCall: z.int().positive(),
        touch: z.array(z.int()).optional(),
        set: z.record(z.string(), z.unknown()).optional(),
        insert: z.array(z.record(z.string(), z.unknown())).optional(),
      }),
    )
    .optional(),
});
export type FaultSettings = z.input<typeof faultSettingsSchema>;

export type InjectedAnswer =
  | { kind: 'http5xx'; status: number }
  | { kind: 'malformed' }
  | { kind: 'oversized'; bytes: number }
  | { kind: 'code'; code: 199 | 200 };

export interface DueMutation {
  touch?: number[];
  set?: Record<string, unknown>;
  insert?: Array<Record<string, unknown>>;
}

interface Counted {
  next: number;
  probability: number;
}

export class FaultInjector {
  private paths = new Set<SimPathName>(['query']);
  private latency: { fixedMs?: number; minMs?: number; maxMs?: number } | undefined;
  private http5xx: (Counted & { status: number }) | undefined;
  private malformed: Counted | undefined;
  private oversized: (Counted & { bytes: number }) | undefined;
  private rateLimit: { code: 199 | 200; next: number; until: number } | undefined;
  private mutations: Array<DueMutation & { atQueryCall: number }> = [];
  private queryCalls = 0;
  /** See faultSettingsSchema. */
  alwaysHasNext: 'empty-past-end' | 'repeat-last-page' | undefined;
  shiftOnEveryRead = false;
  private readonly rnd: SeededRandom;

  constructor(
    seed: number,
    private readonly now: () => number,
  ) {
    this.rnd = new SeededRandom(seed ^ 0xfa17);
  }

  /** Merges settings: a key given replaces that fault, null clears it, absent keys stay. */
  set(input: FaultSettings): void {
    const s = faultSettingsSchema.parse(input);
    if (s.paths) this.paths = new Set(s.paths);
    if (s.latency !== undefined) this.latency = s.latency ?? undefined;
    if (s.http5xx !== undefined) {
      this.http5xx = s.http5xx ? { next: s.http5xx.next ?? 0, probability: s.http5xx.probability ?? 0, status: s.http5xx.status ?? 503 } : undefined;
    }
    if (s.malformed !== undefined) {
      this.malformed = s.malformed ? { next: s.malformed.next ?? 0, probability: s.malformed.probability ?? 0 } : undefined;
    }
    if (s.oversized !== undefined) {
      this.oversized = s.oversized
        ? { next: s.oversized.next ?? 0, probability: s.oversized.probability ?? 0, bytes: s.oversized.bytes ?? 64 * 1024 * 1024 }
        : undefined;
    }
    if (s.rateLimit !== undefined) {
      this.rateLimit = s.rateLimit
        ? { code: s.rateLimit.code, next: s.rateLimit.next ?? 0, until: s.rateLimit.forMs === undefined ? 0 : this.now() + s.rateLimit.forMs }
        : undefined;
    }
    if (s.alwaysHasNext !== undefined) this.alwaysHasNext = s.alwaysHasNext ?? undefined;
    if (s.shiftOnEveryRead !== undefined) this.shiftOnEveryRead = s.shiftOnEveryRead ?? false;
    for (const m of s.mutations ?? []) this.mutations.push({ ...m, atQueryCall: this.queryCalls + m.beforeQueryCall });
  }

  clear(): void {
    this.paths = new Set(['query']);
    this.latency = this.http5xx = this.malformed = this.oversized = this.rateLimit = this.alwaysHasNext = undefined;
    this.shiftOnEveryRead = false;
    this.mutations = [];
  }

  /** Called on every query call's arrival: the mutations due before it. */
  queryArrived(): DueMutation[] {
    this.queryCalls++;
    const due = this.mutations.filter((m) => m.atQueryCall === this.queryCalls);
    this.mutations = this.mutations.filter((m) => m.atQueryCall > this.queryCalls);
    return due;
  }

  latencyMs(path: SimPathName): number {
    if (!this.latency || !this.paths.has(path)) return 0;
    const { fixedMs = 0, minMs, maxMs } = this.latency;
    if (minMs === undefined || maxMs === undefined) return fixedMs;
    return fixedMs + minMs + this.rnd.next() * Math.max(0, maxMs - minMs);
  }

  /** The injected answer for this call, if any (consumes one of a "next N"). */
  take(path: SimPathName): InjectedAnswer | undefined {
    if (!this.paths.has(path)) return undefined;
    if (this.fire(this.http5xx)) return { kind: 'http5xx', status: this.http5xx!.status };
    if (this.fire(this.malformed)) return { kind: 'malformed' };
    if (this.fire(this.oversized)) return { kind: 'oversized', bytes: this.oversized!.bytes };
    const burst = this.rateLimit;
    if (burst) {
      if (burst.next > 0) {
        burst.next--;
        return { kind: 'code', code: burst.code };
      }
      if (this.now() < burst.until) return { kind: 'code', code: burst.code };
    }
    return undefined;
  }

  private fire(fault: Counted | undefined): boolean {
    if (!fault) return false;
    if (fault.next > 0) {
      fault.next--;
      return true;
    }
    return fault.probability > 0 && this.rnd.chance(fault.probability);
  }
}
