// Lookups (I/O, retried) and mapping (pure, run as a local activity) for one refund.
import type { LookupAnswers, SourceRecord } from '../workflows/messages';
import { toActivityFailure } from './errors';
import { whileHeartbeating } from './heartbeat';
import type { Schemes } from './ports';

export type MapRefundResult =
  | { kind: 'skip'; reason: string }
  | { kind: 'errors'; errors: string[] }
  | {
      kind: 'ready';
      formId: string;
      billNo: string;
      endState: 'saved' | 'submitted' | 'audited';
      body: { model: Record<string, unknown>; options: Record<string, unknown> };
      warnings: string[];
    };

export function createMappingActivities(deps: { schemes: Schemes }) {
  const { schemes } = deps;
  return {
    async resolveLookups(input: { schemeId: string; record: SourceRecord }): Promise<LookupAnswers> {
      // Runs under the workflow's heartbeat timeout, like the other Kingdee reads.
      return whileHeartbeating(() => schemes.lookups(input.schemeId, input.record)).catch((err: unknown) => {
        throw toActivityFailure(err);
      });
    },

    async mapRefund(input: { schemeId: string; record: SourceRecord; answers: LookupAnswers }): Promise<MapRefundResult> {
      const verdict = schemes.eligibility(input.schemeId, input.record);
      if (!verdict.eligible) return { kind: 'skip', reason: verdict.reason };
      const prepared = schemes.prepare(input.schemeId, input.record, input.answers);
      if (!prepared.ok) return { kind: 'errors', errors: prepared.errors };
      return {
        kind: 'ready',
        formId: prepared.formId,
        billNo: prepared.billNo,
        endState: prepared.endState,
        body: { model: prepared.model, options: prepared.options },
        warnings: prepared.warnings,
      };
    },
  };
}
