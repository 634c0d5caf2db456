// Date functions over Beijing wall-clock text (Jushuitan and Kingdee both speak it). Pure: times are
// computed from the values given, never from a clock.
import { Dec } from '../decimal';

export interface DateTimeParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** Microseconds. */
  us: number;
}

const DATETIME = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,6}))?)?)?\s*$/;
const OFFSET_SECONDS = 8 * 3600;

/** `yyyy-MM-dd[ HH:mm[:ss[.ffffff]]]` (also with `T`), or undefined when it is not a real date. */
export function parseDateTime(text: string): DateTimeParts | undefined {
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [number, number, number, number, number, number];
  const us = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  if (mo < 1 || mo > 12 || h > 23 || mi > 59 || s > 59) return undefined;
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return undefined;
  return { y, mo, d, h, mi, s, us };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatDate(p: DateTimeParts): string {
  return `${pad(p.y, 4)}-${pad(p.mo)}-${pad(p.d)}`;
}

export function formatDateTime(p: DateTimeParts): string {
  return `${formatDate(p)} ${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}${p.us ? `.${pad(p.us, 6)}` : ''}`;
}

/** Seconds since the epoch of a Beijing wall-clock time. */
export function toUnixSeconds(p: DateTimeParts): Dec {
  const whole = Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi, p.s) / 1000 - OFFSET_SECONDS;
  return new Dec(whole).plus(new Dec(p.us).div(1_000_000));
}

/** The Beijing wall-clock time of an epoch second count (fractions kept to microseconds). */
export function fromUnixSeconds(seconds: Dec): DateTimeParts | undefined {
  if (seconds.isNegative()) return undefined;
  const whole = seconds.floor();
  const us = seconds.minus(whole).times(1_000_000).toDecimalPlaces(0, Dec.ROUND_DOWN).toNumber();
  const date = new Date((whole.toNumber() + OFFSET_SECONDS) * 1000);
  if (Number.isNaN(date.getTime())) return undefined;
  return {
    y: date.getUTCFullYear(), mo: date.getUTCMonth() + 1, d: date.getUTCDate(),
    h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds(), us,
  };
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

function ordinal(n: number): string {
  if (n % 100 >= 11 && n % 100 <= 13) return `${n}th`;
  return `${n}${['th', 'st', 'nd', 'rd'][n % 10] ?? 'th'}`;
}

/** MySQL DATE_FORMAT for the common specifiers; an unknown `%x` prints `x`, as MySQL does. */
export function dateFormat(p: DateTimeParts, format: string): string {
  const weekday = new Date(Date.UTC(p.y, p.mo - 1, p.d)).getUTCDay();
  const dayOfYear = (Date.UTC(p.y, p.mo - 1, p.d) - Date.UTC(p.y, 0, 1)) / 86_400_000 + 1;
  const h12 = p.h % 12 === 0 ? 12 : p.h % 12;
  const ampm = p.h < 12 ? 'AM' : 'PM';
  const spec: Record<string, () => string> = {
    a: () => DAYS[weekday]!.slice(0, 3),
    b: () => MONTHS[p.mo - 1]!.slice(0, 3),
    c: () => String(p.mo),
    D: () => ordinal(p.d),
    d: () => pad(p.d),
    e: () => String(p.d),
    f: () => pad(p.us, 6),
    H: () => pad(p.h),
    h: () => pad(h12),
    I: () => pad(h12),
    i: () => pad(p.mi),
    j: () => pad(dayOfYear, 3),
    k: () => String(p.h),
    l: () => String(h12),
    M: () => MONTHS[p.mo - 1]!,
    m: () => pad(p.mo),
    p: () => ampm,
    r: () => `${pad(h12)}:${pad(p.mi)}:${pad(p.s)} ${ampm}`,
    S: () => pad(p.s),
    s: () => pad(p.s),
    T: () => `${pad(p.h)}:${pad(p.mi)}:${pad(p.s)}`,
    W: () => DAYS[weekday]!,
    w: () => String(weekday),
    Y: () => pad(p.y, 4),
    y: () => pad(p.y % 100),
  };
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i]!;
    if (ch !== '%' || i === format.length - 1) {
      out += ch;
      continue;
    }
    const next = format[++i]!;
    out += spec[next]?.() ?? next;
  }
  return out;
}
