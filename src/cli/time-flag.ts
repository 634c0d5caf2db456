// One rule for every --from/--to: Beijing time unless an offset says otherwise (Jushuitan and Kingdee speak
// Beijing wall-clock time, so that is what an operator types).
//   YYYY-MM-DD                     midnight, Beijing time
//   YYYY-MM-DD HH:mm[:ss]          Beijing time (also with a T instead of the space)
//   ISO-8601 with Z or ±hh:mm      that instant, offset honoured
import { parseBeijing } from '../lib/beijing-time';

/** Said in every --from/--to help text. */
export const TIME_FLAG_HELP = '"YYYY-MM-DD[ HH:mm[:ss]]" in Beijing time, or ISO-8601 with an offset (Z, +08:00)';

const LOCAL = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(:\d{2}(?:\.\d{1,3})?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

export function parseTimeFlag(flag: string, text: string): Date {
  const value = text.trim();
  const local = LOCAL.exec(value);
  if (local) {
    const t = parseBeijing(`${local[1]} ${local[2] ?? '00:00'}${local[3] ?? ':00'}`);
    if (t) return t;
  } else if (WITH_OFFSET.test(value)) {
    const t = new Date(value);
    if (!Number.isNaN(t.getTime())) return t;
  }
  throw new Error(`${flag} must be ${TIME_FLAG_HELP}, for example ${flag} "2026-01-08" or ${flag} "2026-01-08 14:30:00" (got ${JSON.stringify(text)})`);
}
