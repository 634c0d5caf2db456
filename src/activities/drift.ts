// Activities of the drift workflow: take our bill back out of Kingdee (un-audit, then delete) for `reverse` and
// `resync`, and announce a drift (metric and alert). Kingdee refusing to un-audit or delete (downstream
// documents, a closed period) is a business answer: the drift workflow parks with Kingdee's own words.
import { activityInfo, ApplicationFailure, log } from '@temporalio/activity';
import type { Alerter } from '../alerts';
import { BUSINESS_ERROR } from '../temporal/failure-types';
import { activitySyncMetrics } from '../temporal/metrics';
import { heartbeatingAll } from './heartbeat';
import { isUnknownOutcome, isValidation, lookupFailed, toActivityFailure } from './errors';
import { UNDO_STEP } from './kingdee';
import type { BillStore } from './ports';
import { waitOutEarlierAttempts, waitOutRequest } from './write-settling';

export interface ReverseBillInput {
  formId: string;
  billNo: string;
  /** The FID the ledger recorded for our bill: a bill with another FID is not ours and is left alone. */
  billId?: string;
}

const VERB = { unAudit: 'un-audit', cancelAssign: 'cancel the submission of', delete: 'delete' } as const;

export function createDriftActivities(deps: { bills: BillStore }) {
  const { bills } = deps;
  const timeoutMs = bills.requestTimeoutMs;
  const activities = {
    /** Un-audits and deletes our bill; `removed: false` when there was none left to remove. */
    async reverseBill(input: ReverseBillInput): Promise<{ removed: boolean }> {
      if (activityInfo().attempt > 1) await waitOutEarlierAttempts(timeoutMs);
      let removed = false;
      for (let step = 0; step < 4; step++) {
        let now;
        try {
          now = await bills.findBill(input.formId, input.billNo);
        } catch (err) {
          throw lookupFailed(`reverse ${input.formId} ${input.billNo}`, err);
        }
        if (!now) return { removed };
        if (input.billId !== undefined && now.id !== input.billId) {
          throw ApplicationFailure.nonRetryable(
            `${input.formId} ${input.billNo} now has FID ${now.id}, not the FID ${input.billId} erp-bridge synced: left in place`,
            BUSINESS_ERROR,
          );
        }
        const undo = UNDO_STEP[now.status];
        if (!undo) throw ApplicationFailure.nonRetryable(`${input.formId} ${input.billNo} is in status ${now.status}, which cannot be undone`, BUSINESS_ERROR);
        const sentAt = Date.now();
        try {
          await bills[undo](input.formId, [input.billNo]);
          removed ||= undo === 'delete';
        } catch (err) {
          if (isUnknownOutcome(err)) {
            await waitOutRequest(sentAt, timeoutMs);
            continue; // look again: it may have applied
          }
          if (isValidation(err)) {
            // Kingdee said no (downstream documents exist, say): an operator decides; its reason is the park reason.
            throw ApplicationFailure.nonRetryable(`Kingdee refused to ${VERB[undo]} ${input.formId} ${input.billNo}: ${err.message}`, BUSINESS_ERROR);
          }
          throw toActivityFailure(err);
        }
      }
      throw ApplicationFailure.retryable(`${input.formId} ${input.billNo}: still present after un-audit and delete`, 'KingdeeUndoIncomplete');
    },
  };
  return heartbeatingAll(activities);
}

export interface DriftEvent {
  schemeId: string;
  asId: string;
  /** drifted: found by the poller; parked: a reverse that Kingdee refused. */
  event: 'drifted' | 'parked';
  detail: string;
  workflowId: string;
}

/** A local activity: the metric and the alert of a drift, from the drift workflow. */
export function createDriftReportActivities(deps: { alerter?: Alerter }) {
  return {
    async reportDrift(e: DriftEvent): Promise<void> {
      if (e.event === 'drifted') activitySyncMetrics().drifted({ schemeId: e.schemeId });
      log.warn(e.event === 'drifted' ? 'refund drifted after its decision' : 'drift reverse refused', { asId: e.asId, detail: e.detail });
      deps.alerter?.refundParked({
        asId: e.asId,
        schemeId: e.schemeId,
        step: e.event === 'drifted' ? 'drifted' : 'drift-reverse',
        reason: e.event === 'drifted' ? `changed in Jushuitan after its decision: ${e.detail}` : e.detail,
        workflowId: e.workflowId,
      });
    },
  };
}
