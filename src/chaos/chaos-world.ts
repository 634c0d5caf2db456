// The chaos run's world: N after-sales records modified over the last two weeks (ending before now, so the
// poll windows, which end just before now, see records touched during the run move out of them), a few
// held back to appear mid-run, and optionally one hostile record of each kind.
import { generateWorld, HOSTILE_KINDS, isEligibleRefund, type RefundRecord, type World } from '../sim/world';

export interface ChaosWorldOptions {
  seed: number;
  refunds: number;
  /** Plant one record of every hostile kind (bad records must park, never block the others). */
  hostile: boolean;
  /** Records kept out of Jushuitan at the start and inserted while pages are read. */
  held: number;
  now?: Date;
}

export interface ChaosWorld {
  world: World;
  /** What Jushuitan serves at the start. */
  initial: RefundRecord[];
  /** Inserted during the run, in this order. */
  held: RefundRecord[];
  /** Ordinary eligible records that may be touched while pages are read. */
  touchable: RefundRecord[];
}

export function chaosWorld(options: ChaosWorldOptions): ChaosWorld {
  const now = options.now ?? new Date();
  const to = new Date(now.getTime() - 3600_000);
  const world = generateWorld({
    seed: options.seed,
    refunds: options.refunds,
    from: new Date(to.getTime() - 14 * 86_400_000),
    to,
    hostile: options.hostile ? HOSTILE_KINDS : [],
  });
  const planted = new Set(world.hostile?.map((h) => h.asId) ?? []);
  const ordinary = world.refunds.filter((r) => isEligibleRefund(r) && !planted.has(r.as_id));
  // Held records come from the middle, so they also land between pages already read and pages to come.
  const held = ordinary.filter((_, i) => i % Math.max(1, Math.floor(ordinary.length / options.held)) === 1).slice(0, options.held);
  const heldIds = new Set(held.map((r) => r.as_id));
  return {
    world,
    initial: world.refunds.filter((r) => !heldIds.has(r.as_id)),
    held,
    touchable: ordinary.filter((r) => !heldIds.has(r.as_id)),
  };
}
