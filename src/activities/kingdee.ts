// Kingdee writes as idempotent activities. Writes are not idempotent in Kingdee itself, so every write
// whose outcome is unknown, and every retry, first waits out the earlier request and then looks the bill
// up by its number (kingdee-webapi.md §7). A lookup that fails is a failure, never "no bill".
import { activityInfo, ApplicationFailure } from '@temporalio/activity';
import { BUSINESS_ERROR } from '../temporal/failure-types';
import { heartbeatingAll } from './heartbeat';
import { isDuplicateNumber, isUnknownOutcome, isValidation, lookupFailed, toActivityFailure } from './errors';
import type { BillRef, BillStore } from './ports';
import { throwIfCancelled, waitOutEarlierAttempts, waitOutRequest } from './write-settling';

export interface BillAddress { formId: string; billNo: string }
export interface SaveBillInput extends BillAddress { body: { model: Record<string, unknown>; options: Record<string, unknown> } }
/** `created`: this call's own Save reply created the bill (the only proof that makes it ours to undo). */
export interface SavedBill { id: string; number: string; status: string; created: boolean }
export interface DraftInput extends SaveBillInput { id: string }
export interface RemoveBillInput extends BillAddress {
  /** The FID our own Save reply gave: a bill with another FID is not ours and is left alone. */
  id: string;
  /** A write on this bill may still be running (its activity was cancelled mid-request): wait it out first. */
  writeInFlight?: boolean;
}

/** Statuses a bill passes through on the way back to nothing, and the write that takes each one step back. */
export const UNDO_STEP: Record<string, 'unAudit' | 'cancelAssign' | 'delete'> = { C: 'unAudit', B: 'cancelAssign', A: 'delete', D: 'delete', Z: 'delete', '': 'delete' };

/** The Kingdee activities, heartbeating on every call. */
export function createKingdeeActivities(deps: { bills: BillStore }) {
  // Every Kingdee call heartbeats, so a worker that dies mid-call costs a retry after 30 s, not minutes.
  return heartbeatingAll(kingdeeBillCalls(deps).activities);
}

/**
 * The activities without the heartbeat wrapper, and the saves without their own look-up, for an activity that
 * runs several steps in one attempt and has just looked the bill up itself (activities/bill-steps.ts).
 */
export function kingdeeBillCalls(deps: { bills: BillStore }) {
  const { bills } = deps;
  const timeoutMs = bills.requestTimeoutMs;
  const findOrFail = async (a: BillAddress, what: string): Promise<BillRef | undefined> => {
    try {
      return await bills.findBill(a.formId, a.billNo);
    } catch (err) {
      throw lookupFailed(`${what} ${a.formId} ${a.billNo}`, err);
    }
  };

  /** Sends one write (unless cancelled first); returns when it was sent, for waiting out a lost reply. */
  async function send(write: () => Promise<unknown>): Promise<{ sentAt: number }> {
    throwIfCancelled();
    const sentAt = Date.now();
    await write();
    return { sentAt };
  }

  /**
   * Runs a status-changing write. A retry first waits out the earlier attempt and skips the write when the
   * bill already has the status. If the write fails in a way that may still have applied (unknown outcome) or
   * that a replay of an applied write produces (a status error), Kingdee's current status decides; when that
   * check fails too, the outcome is unknown and the activity is retried.
   */
  async function transition(a: BillAddress, op: string, write: () => Promise<unknown>, reached: (status: string | undefined) => boolean): Promise<void> {
    if (activityInfo().attempt > 1) {
      await waitOutEarlierAttempts(timeoutMs);
      if (reached((await findOrFail(a, op))?.status)) return;
    }
    const sentAt = Date.now();
    try {
      await send(write);
    } catch (err) {
      if (isUnknownOutcome(err) || isValidation(err)) {
        if (isUnknownOutcome(err)) await waitOutRequest(sentAt, timeoutMs);
        if (reached((await findOrFail(a, op))?.status)) return;
      }
      throw toActivityFailure(err);
    }
  }

  /** Saves a new bill with this number, looked up (and found absent) by the caller in this attempt. */
  async function saveNew(input: SaveBillInput): Promise<SavedBill> {
    const sentAt = Date.now();
    try {
      throwIfCancelled();
      const saved = await bills.save(input.formId, input.body.model, input.body.options);
      // Found by a batch's reconciliation query, not named in a Save reply: adopt it, never claim it.
      if (saved.adopted) return { id: saved.id, number: saved.number, status: saved.adopted.status, created: false };
      const autoAudited = input.body.options.isAutoSubmitAndAudit === true;
      return { id: saved.id, number: saved.number, status: autoAudited ? 'C' : 'A', created: true };
    } catch (err) {
      if (isUnknownOutcome(err) || isDuplicateNumber(err)) {
        // Lost reply: ours or not, we cannot prove it. Duplicate: someone else wrote this number. Never ours.
        if (isUnknownOutcome(err)) await waitOutRequest(sentAt, timeoutMs);
        const existing = await findOrFail(input, 'Save');
        if (existing) return { ...existing, created: false };
      }
      throw toActivityFailure(err);
    }
  }

  /** Saves in place the draft the caller found in this attempt (FID kept). */
  async function saveDraft(input: DraftInput): Promise<{ status: string }> {
    const sentAt = Date.now();
    try {
      await send(() => bills.save(input.formId, { ...input.body.model, FID: Number(input.id) }, input.body.options));
      return { status: input.body.options.isAutoSubmitAndAudit === true ? 'C' : 'A' };
    } catch (err) {
      if (isUnknownOutcome(err)) {
        await waitOutRequest(sentAt, timeoutMs);
        const after = await findOrFail(input, 'Save (draft)');
        if (after && after.status !== 'Z' && after.status !== '') return { status: after.status };
      }
      throw toActivityFailure(err);
    }
  }

  const activities = {
    async findBill(a: BillAddress): Promise<BillRef | null> {
      return (await bills.findBill(a.formId, a.billNo).catch((err: unknown) => { throw toActivityFailure(err); })) ?? null;
    },

    async saveBill(input: SaveBillInput): Promise<SavedBill> {
      // The workflow checked before the first attempt; a retry may follow a save that did commit (and may
      // still be running): wait it out, then adopt what is there without claiming it.
      if (activityInfo().attempt > 1) {
        await waitOutEarlierAttempts(timeoutMs);
        const existing = await findOrFail(input, 'Save');
        if (existing) return { ...existing, created: false };
      }
      return saveNew(input);
    },

    /** A draft (status Z or empty) with this number: saved in place (FID kept), which makes it status A. */
    async completeDraft(input: DraftInput): Promise<{ status: string }> {
      await waitOutEarlierAttempts(timeoutMs);
      const now = await findOrFail(input, 'Save (draft)');
      if (!now) throw ApplicationFailure.nonRetryable(`${input.formId} ${input.billNo}: the draft bill (FID ${input.id}) is gone`, BUSINESS_ERROR);
      if (now.status !== 'Z' && now.status !== '') return { status: now.status };
      return saveDraft(input);
    },

    async submitBill(a: BillAddress): Promise<void> {
      await transition(a, 'Submit', () => bills.submit(a.formId, [a.billNo]), (s) => s === 'B' || s === 'C');
    },

    async auditBill(a: BillAddress): Promise<void> {
      await transition(a, 'Audit', () => bills.audit(a.formId, [a.billNo]), (s) => s === 'C');
    },

    /** Compensation for submit (histories from before removeOwnBill): back to created (A). */
    async cancelSubmit(a: BillAddress): Promise<void> {
      await transition(a, 'CancelAssign', () => bills.cancelAssign(a.formId, [a.billNo]), (s) => s === 'A' || s === undefined);
    },

    /** Compensation for save (histories from before removeOwnBill): the bill this workflow created is removed. */
    async deleteBill(a: BillAddress): Promise<void> {
      await transition(a, 'Delete', () => bills.delete(a.formId, [a.billNo]), (s) => s === undefined);
    },

    /**
     * Undoes a bill this workflow's own Save created, from whatever status it reached (audited → un-audit →
     * delete). Only the bill with our FID is touched; any other bill with the number parks the refund.
     */
    async removeOwnBill(input: RemoveBillInput): Promise<{ removed: true }> {
      if (input.writeInFlight) await waitOutRequest(activityInfo().currentAttemptScheduledTimestampMs, timeoutMs);
      else await waitOutEarlierAttempts(timeoutMs);
      const ops = { unAudit: bills.unAudit, cancelAssign: bills.cancelAssign, delete: bills.delete };
      for (let step = 0; step < 4; step++) {
        const now = await findOrFail(input, 'remove');
        if (!now) return { removed: true };
        if (now.id !== input.id) {
          throw ApplicationFailure.nonRetryable(
            `${input.formId} ${input.billNo} now has FID ${now.id}, not the FID ${input.id} this refund created: left in place`,
            BUSINESS_ERROR,
          );
        }
        const undo = UNDO_STEP[now.status];
        if (!undo) throw ApplicationFailure.nonRetryable(`${input.formId} ${input.billNo} is in status ${now.status}, which cannot be undone`, BUSINESS_ERROR);
        const sentAt = Date.now();
        try {
          await send(() => ops[undo].call(bills, input.formId, [input.billNo]));
        } catch (err) {
          // A status error means someone (or our lost reply) moved it: look again. Unknown: wait, look again.
          if (isUnknownOutcome(err)) await waitOutRequest(sentAt, timeoutMs);
          else if (!isValidation(err)) throw toActivityFailure(err);
        }
      }
      throw ApplicationFailure.retryable(`${input.formId} ${input.billNo}: still present after un-audit, cancel and delete`, 'KingdeeUndoIncomplete');
    },
  };
  return { activities, saveNew, saveDraft };
}
