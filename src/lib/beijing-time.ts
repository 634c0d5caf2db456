// Jushuitan and Kingdee both speak Beijing wall-clock time (UTC+8, no DST) as `yyyy-MM-dd HH:mm:ss`.
const OFFSET_MS = 8 * 3600_000;

export function formatBeijing(date: Date): string {
  return new Date(date.getTime() + OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses exactly `yyyy-MM-dd HH:mm:ss` (optionally with milliseconds); undefined when not a real time. */
export function parseBeijing(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,3})?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(y, mo - 1, d, h, mi, s) - OFFSET_MS;
  const check = new Date(utc + OFFSET_MS);
  const real = check.getUTCFullYear() === y && check.getUTCMonth() === mo - 1 && check.getUTCDate() === d &&
    check.getUTCHours() === h && check.getUTCMinutes() === mi && check.getUTCSeconds() === s;
  return real ? new Date(utc + (m[7] ? Math.round(Number(m[7]) * 1000) : 0)) : undefined;
}
