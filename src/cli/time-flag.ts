import { parseBeijing } from '../lib/beijing-time';

/** A `--from`/`--to` value: `YYYY-MM-DD HH:mm:ss` in Beijing time (as Jushuitan speaks) or ISO-8601. */
export function parseTimeFlag(flag: string, text: string): Date {
  const t = parseBeijing(text) ?? (/^\d{4}-\d{2}-\d{2}T/.test(text) ? new Date(text) : undefined);
  if (!t || Number.isNaN(t.getTime())) throw new Error(`${flag} must be "YYYY-MM-DD HH:mm:ss" (Beijing time) or ISO-8601 (got ${JSON.stringify(text)})`);
  return t;
}
