// Why a refund parked, as one of a small fixed set: metric labels must stay bounded (Prometheus keeps one
// series per value), and an operator reading a dashboard wants the kind of problem, not its text.
// The full reason stays in SyncReason, the Web UI and `erp-bridge status`.

export const REASON_CATEGORIES = ['missing_reference', 'mapping', 'over_return', 'config', 'unavailable', 'validation', 'other'] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];

const RULES: Array<[ReasonCategory, RegExp]> = [
  ['validation', /invalid Jushuitan record|too large to sync|cannot decide eligibility/i],
  ['over_return', /退货数量超出|可退数量|over-?return|exceeds? the (returnable|outbound)/i],
  ['config', /login refused|credentials|LoginResultType|ConfigError|configuration|not configured|permission|权限/i],
  ['missing_reference', /\bno (customer|material|outbound line|stock|warehouse)\b|\bnot found\b|不存在|does not exist|no \S+ in collection|missing reference/i],
  ['unavailable', /time[d ]?out|unavailable|unreachable|ECONNREFUSED|ECONNRESET|network|\b5\d\d\b|session|lock|retries exhausted|temporar/i],
];

/** The category of a park reason at a step; `mapping` for the rest of what lookups and mapping say. */
export function reasonCategory(step: string | undefined, reason: string | undefined): ReasonCategory {
  const text = reason ?? '';
  if (step === 'eligibility') return 'validation';
  for (const [category, pattern] of RULES) if (pattern.test(text)) return category;
  if (step === 'lookups' || step === 'mapping') return 'mapping';
  return 'other';
}
