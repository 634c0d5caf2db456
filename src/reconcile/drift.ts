// Drift: how a newer version of a decided record differs from what was synced, in the fields the scheme reads.
// Pure (the paging activity and tests use it): the version field is left out, so a new version that changes
// nothing the scheme reads is no drift; the difference is said field by field, short enough for SyncReason.

/** At most this many differences are listed; the rest are counted. */
const MAX_LISTED = 8;

/** The record without its version field: what the drift check compares (and digests). */
export function driftContent(record: Readonly<Record<string, unknown>>, versionField: string): Record<string, unknown> {
  const { [versionField]: _version, ...content } = record;
  return content;
}

const show = (v: unknown): string => {
  if (v === undefined) return '(none)';
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};

function walk(path: string, before: unknown, after: unknown, out: string[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    if (before.length !== after.length) out.push(`${path}: ${before.length} lines → ${after.length} lines`);
    for (let i = 0; i < Math.min(before.length, after.length); i++) walk(`${path}[${i + 1}]`, before[i], after[i], out);
    return;
  }
  const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (isObj(before) && isObj(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
      walk(path ? `${path}.${key}` : key, before[key], after[key], out);
    }
    return;
  }
  // Numbers may come back as text (or the other way) from a different page: same value, no drift.
  if (before === after || (before !== undefined && after !== undefined && String(before) === String(after))) return;
  out.push(`${path}: ${show(before)} → ${show(after)}`);
}

/** The differences between what was synced and the new version (empty: no drift). */
export function describeDrift(synced: Readonly<Record<string, unknown>>, now: Readonly<Record<string, unknown>>, versionField: string): string[] {
  const out: string[] = [];
  walk('', driftContent(synced, versionField), driftContent(now, versionField), out);
  if (out.length <= MAX_LISTED) return out;
  return [...out.slice(0, MAX_LISTED), `and ${out.length - MAX_LISTED} more`];
}
