// The decisions ledger as reconcile reads it: what an operator decided outlives Temporal's retention, so an
// accepted drift or a skip is honoured for a record whose workflow is long gone.
import type { DecisionsLedger, RefundDecision } from '../store/decisions';
import type { LedgerDecision } from './types';

/** Reversed (an operator took our bill back out) reads as an operator's skip; cancelled runs decide nothing. */
export function toLedgerDecision(d: RefundDecision): LedgerDecision | undefined {
  const decision = d.decision === 'reversed' ? 'skipped' : d.decision;
  if (decision === 'cancelled') return undefined;
  return {
    asId: d.asId,
    decision,
    version: d.recordModified ?? '',
    ...(d.billNo ? { billNo: d.billNo } : {}),
    ...(d.reason ? { reason: d.decision === 'reversed' ? `drift reversed: ${d.reason}` : d.reason } : {}),
  };
}

/** Reads the ledger in slices, one query each (a month's range may hold tens of thousands of records). */
export function ledgerReader(ledger: DecisionsLedger, schemeId: string, sliceSize = 1000) {
  return async (asIds: readonly string[]): Promise<LedgerDecision[]> => {
    const out: LedgerDecision[] = [];
    for (let i = 0; i < asIds.length; i += sliceSize) {
      const found = await ledger.find(schemeId, asIds.slice(i, i + sliceSize));
      for (const d of found.values()) {
        const view = toLedgerDecision(d);
        if (view) out.push(view);
      }
    }
    return out;
  };
}
