// What `erp-bridge sim --env` prints: `export` lines a shell can eval, and the date range the world covers
// (so the first backfill asks for the right window).
import type { World } from '../sim/world';

/** `export NAME='value'`, single-quoted for POSIX shells (a `'` inside becomes `'\''`). */
export function exportLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => `export ${name}='${value.replace(/'/g, `'\\''`)}'`);
}

/** The first and last `modified` time of the world's refunds (Beijing time, as Jushuitan writes them). */
export function worldDateRange(world: World): { from: string; to: string } | undefined {
  const times = world.refunds.map((r) => r.modified).sort();
  return times.length === 0 ? undefined : { from: times[0]!, to: times.at(-1)! };
}

/** The whole `--env` block: a comment with the range and a backfill that covers it, then the exports. */
export function simEnvBlock(world: World, env: Record<string, string>): string[] {
  const range = worldDateRange(world);
  const lines = [`# erp-bridge simulators, seed ${world.seed}, ${world.refunds.length} refunds`];
  if (range) {
    const day = (t: string) => t.slice(0, 10);
    const after = new Date(Date.parse(`${day(range.to)}T00:00:00+08:00`) + 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
    lines.push(`# refunds modified ${range.from} .. ${range.to} (Beijing time)`);
    lines.push(`# e.g.: npx erp-bridge backfill --from ${day(range.from)} --to ${after} --wait`);
  }
  return [...lines, ...exportLines(env)];
}
