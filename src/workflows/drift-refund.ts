// One workflow per record that changed after its refund was synced or skipped (id driftWorkflowId: the refund's id
// plus `-drift`, see messages.ts for why). It shows the difference (SyncStatus='Drifted', SyncReason, details),
// alerts, and waits for an operator: accept (Kingdee stays, recorded in the ledger with the reason), reverse (un-audit
// and delete our bill; Kingdee refusing parks here with Kingdee's reason, waiting for the next action), resync
// (reverse, then the refund's own workflow syncs the new version). Every outcome is written to the decisions ledger,
// so the next poll compares with it and does not report the same drift again.
import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  ParentClosePolicy,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  setWorkflowOptions,
  startChild,
  upsertSearchAttributes,
  workflowInfo,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { createActivities } from '../activities';
import { onKingdeeQueue } from './activity-queues';
import { BUSINESS_ERROR, CONFIG_ERROR } from '../temporal/failure-types';
import { KINGDEE_WRITE_START_TO_CLOSE_MS } from '../temporal/kingdee-timeouts';
import { FailedStepKey, KingdeeBillNoKey, startSearchAttributes, SyncReasonKey, SyncStatusKey } from '../temporal/search-attributes';
import { escapeMarkdown } from '../lib/escape-markdown';
import {
  acceptDriftUpdate,
  driftStatusQuery,
  driftUpdatedSignal,
  recordUpdatedSignal,
  refundWorkflowId,
  resyncDriftUpdate,
  reverseDriftUpdate,
  type DriftAction,
  type DriftActionAccepted,
  type DriftActionRequest,
  type DriftRefundInput,
  type DriftRefundResult,
  type DriftRefundState,
  type DriftStatus,
} from './messages';
import { syncRefund } from './sync-refund';
import { versioningBehavior } from './versioning-behavior';

type Activities = ReturnType<typeof createActivities>;

const ledger = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});
/** Un-audit and delete: Kingdee's refusal is final (an operator decides), a system down is retried for a while. */
const kingdeeWrites = proxyActivities<Activities>(onKingdeeQueue({
  startToCloseTimeout: KINGDEE_WRITE_START_TO_CLOSE_MS,
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 30, nonRetryableErrorTypes: [BUSINESS_ERROR, CONFIG_ERROR] },
}));
const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 3 } });

/** SyncReason holds at most this much of the difference (the details and the status query hold all of it). */
const MAX_REASON = 500;

// AUTO_UPGRADE like syncRefund: a drift can wait days for an operator. Changes to its commands go behind patched().
setWorkflowOptions(versioningBehavior('AUTO_UPGRADE'), driftRefund);
export async function driftRefund(input: DriftRefundInput): Promise<DriftRefundResult> {
  let current = input;
  const asId = input.refund.asId;
  let status: DriftStatus = 'Drifted';
  let parkedReason: string | undefined;
  let pending: { action: DriftAction; reason: string } | undefined;
  let acting = false;
  const timeline: DriftRefundState['timeline'] = [];
  const note = (step: string, detail?: string) => void timeline.push({ at: new Date().toISOString(), step, ...(detail ? { detail } : {}) });
  const billNo = () => (current.decided.decision === 'synced' || current.decided.decision === 'accepted' ? current.decided.billNo : undefined);

  const show = () => {
    upsertSearchAttributes([
      { key: SyncStatusKey, value: status },
      { key: FailedStepKey, value: parkedReason ? 'reverse' : null },
      { key: SyncReasonKey, value: (parkedReason ?? current.difference.join('; ')).slice(0, MAX_REASON) },
      { key: KingdeeBillNoKey, value: billNo() ?? null },
    ]);
    const bill = billNo() ? `Kingdee bill ${billNo()}` : `no bill of ours (${current.decided.decision})`;
    setCurrentDetails(
      `**${status}** · 退货 ${asId} · ${escapeMarkdown(current.refund.shopName)} · ${bill}\n\n` +
        `Changed in Jushuitan after it was ${current.decided.decision} (version ${escapeMarkdown(current.decided.modified ?? '?')} → ${escapeMarkdown(current.refund.modified)}):\n\n` +
        current.difference.map((d) => `- ${escapeMarkdown(d)}`).join('\n') +
        (parkedReason ? `\n\n**Parked**: ${escapeMarkdown(parkedReason)}` : '') +
        (status === 'Drifted' ? `\n\nDecide with \`erp-bridge drift accept|reverse|resync ${asId} --reason "…"\` (or the accept / reverse / resync update).` : ''),
    );
  };

  setHandler(driftStatusQuery, () => ({ asId, status, difference: current.difference, billNo: billNo(), ...(parkedReason ? { parkedReason } : {}), timeline }));
  setHandler(driftUpdatedSignal, (newer) => {
    if (newer.refund.asId !== asId || newer.refund.modified <= current.refund.modified) return;
    current = { ...newer, decided: current.decided };
    note('record-updated', `modified ${newer.refund.modified}`);
    if (!acting) show();
  });
  const accepted = (action: DriftAction) => (req: DriftActionRequest): DriftActionAccepted => {
    pending = { action, reason: req.reason.trim() };
    return { asId, action, applied: 'now' };
  };
  const validate = (action: DriftAction) => (req: DriftActionRequest) => {
    if (typeof req !== 'object' || req === null || typeof req.reason !== 'string' || req.reason.trim() === '') {
      throw new Error(`${action} needs a reason: {"reason": "<why>"}`);
    }
    if (status !== 'Drifted') throw new Error(`refund ${asId}: the drift is already closed (${status.toLowerCase()})`);
    if (acting || pending) throw new Error(`refund ${asId}: an action is already running on this drift; wait for it`);
    if (action === 'reverse' && !billNo()) {
      throw new Error(`refund ${asId} has no bill of ours in Kingdee (it was ${current.decided.decision}); use accept or resync`);
    }
  };
  setHandler(acceptDriftUpdate, accepted('accept'), { validator: validate('accept'), description: 'Keep Kingdee as it is for this version, with the reason' });
  setHandler(reverseDriftUpdate, accepted('reverse'), { validator: validate('reverse'), description: 'Un-audit and delete our bill in Kingdee' });
  setHandler(resyncDriftUpdate, accepted('resync'), { validator: validate('resync'), description: 'Reverse our bill, then sync the new version' });

  note('drifted', current.difference.join('; '));
  show();
  await local.reportDrift({ schemeId: input.schemeId, asId, event: 'drifted', detail: current.difference.join('; '), workflowId: workflowInfo().workflowId });

  for (;;) {
    await condition(() => pending !== undefined);
    const { action, reason } = pending!;
    acting = true;
    note(action, reason);
    try {
      if (action === 'accept') {
        await record('accepted', reason);
        return finish('Accepted', reason);
      }
      if (billNo()) await reverse();
      await record('reversed', reason);
      current = { ...current, decided: { ...current.decided, decision: 'reversed' } }; // no bill of ours any more
      if (action === 'reverse' || current.ineligibleReason !== undefined) {
        // A record that is no longer eligible has nothing to sync: resync ends where reverse does.
        return finish('Reversed', current.ineligibleReason !== undefined && action === 'resync' ? `${reason} (no longer eligible: nothing to sync)` : reason);
      }
      await startResync(reason);
      return finish('Resynced', reason);
    } catch (err) {
      if (!(err instanceof ActivityFailure) || !(err.cause instanceof ApplicationFailure) || err.cause.type !== BUSINESS_ERROR) throw err;
      // Kingdee refused (downstream documents exist, say): park with its reason; accept, reverse or resync again.
      parkedReason = err.cause.message;
      note('parked', parkedReason);
      show();
      await local.reportDrift({ schemeId: input.schemeId, asId, event: 'parked', detail: parkedReason, workflowId: workflowInfo().workflowId });
    } finally {
      acting = false;
      pending = undefined;
    }
  }

  async function reverse(): Promise<void> {
    await kingdeeWrites.reverseBill({ formId: current.formId, billNo: billNo()!, ...(current.decided.billId ? { billId: current.decided.billId } : {}) });
    note('reversed', `bill ${billNo()} un-audited and deleted`);
  }

  /** The ledger's new word on the record, with the version decided on: the next poll compares with it. */
  async function record(decision: 'accepted' | 'reversed', reason: string): Promise<void> {
    const keep = decision === 'accepted' ? { billNo: current.decided.billNo, billId: current.decided.billId } : {};
    await ledger.recordDecision({
      schemeId: input.schemeId, asId, decision, ...keep, record: current.record, recordModified: current.refund.modified,
      reason: `drift ${decision}: ${reason}`,
    });
  }

  /** The refund's own workflow syncs the new version (its id is closed for the poller, not for a resync). */
  async function startResync(reason: string): Promise<void> {
    const workflowId = refundWorkflowId(asId, input.workflowIdPrefix);
    const child = { schemeId: input.schemeId, refund: current.refund, record: current.record, resync: { reason: `drift resync: ${reason}` } };
    try {
      await startChild(syncRefund, {
        workflowId,
        args: [child],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: WorkflowIdReusePolicy.ALLOW_DUPLICATE,
        typedSearchAttributes: startSearchAttributes({ asId, shopId: current.refund.shopId, schemeId: input.schemeId, status: 'Running' }),
        staticSummary: `退货 AS${asId} · resync after drift`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      // Already running (a resync by hand): hand it the new version instead.
      await getExternalWorkflowHandle(workflowId).signal(recordUpdatedSignal, { record: current.record, refund: current.refund, schemeId: input.schemeId });
    }
    note('resync', `started ${workflowId}`);
  }

  function finish(next: Exclude<DriftStatus, 'Drifted'>, reason: string): DriftRefundResult {
    status = next;
    parkedReason = undefined;
    show();
    return { status: next, asId, reason, ...(billNo() && next === 'Accepted' ? { billNo: billNo() } : {}) };
  }
}
