// Kingdee writes as idempotent activities. Writes are not idempotent in Kingdee itself, so every write
// whose outcome is unknown, and every retry, first looks the bill up by its number (kingdee-webapi.md §7).
import { activityInfo } from '@temporalio/activity';
import { heartbeatingAll } from './heartbeat';
import { isDuplicateNumber, isUnknownOutcome, isValidation, toActivityFailure } from './errors';
import type { BillRef, BillStore } from './ports';

export interface BillAddress { formId: string; billNo: string }
export interface SaveBillInput extends BillAddress { body: { model: Record<string, unknown>; options: Record<string, unknown> } }
export interface SavedBill { id: string; number: string; status: string; created: boolean }

export function createKingdeeActivities(deps: { bills: BillStore }) {
  const { bills } = deps;
  const find = (a: BillAddress) => bills.findBill(a.formId, a.billNo);

  /**
   * Runs a status-changing write. If it fails in a way that may still have applied (unknown outcome) or
   * that a replay of an applied write produces (a status error), Kingdee's current status decides.
   */
  async function transition(a: BillAddress, write: () => Promise<unknown>, reached: (status: string | undefined) => boolean): Promise<void> {
    try {
      await write();
    } catch (err) {
      if (isUnknownOutcome(err) || isValidation(err)) {
        const now = await find(a).catch(() => undefined);
        if (reached(now?.status)) return;
      }
      throw toActivityFailure(err);
    }
  }

  const activities = {
    async findBill(a: BillAddress): Promise<BillRef | null> {
      return (await find(a).catch((err: unknown) => { throw toActivityFailure(err); })) ?? null;
    },

    async saveBill(input: SaveBillInput): Promise<SavedBill> {
      // The workflow checked before the first attempt; a retry may follow a save that did commit.
      if (activityInfo().attempt > 1) {
        const existing = await find(input).catch((err: unknown) => { throw toActivityFailure(err); });
        if (existing) return { ...existing, created: true };
      }
      try {
        const saved = await bills.save(input.formId, input.body.model, input.body.options);
        const autoAudited = input.body.options.isAutoSubmitAndAudit === true;
        return { id: saved.id, number: saved.number, status: autoAudited ? 'C' : 'A', created: true };
      } catch (err) {
        if (isUnknownOutcome(err)) {
          const existing = await find(input).catch(() => undefined);
          if (existing) return { ...existing, created: true };
        } else if (isDuplicateNumber(err)) {
          // Someone else wrote this number between our check and our save: adopt it, never delete it.
          const existing = await find(input).catch(() => undefined);
          if (existing) return { ...existing, created: false };
        }
        throw toActivityFailure(err);
      }
    },

    async submitBill(a: BillAddress): Promise<void> {
      await transition(a, () => bills.submit(a.formId, [a.billNo]), (s) => s === 'B' || s === 'C');
    },

    async auditBill(a: BillAddress): Promise<void> {
      await transition(a, () => bills.audit(a.formId, [a.billNo]), (s) => s === 'C');
    },

    /** Compensation for submit: back to created (A). */
    async cancelSubmit(a: BillAddress): Promise<void> {
      await transition(a, () => bills.cancelAssign(a.formId, [a.billNo]), (s) => s === 'A' || s === undefined);
    },

    /** Compensation for save: the bill this workflow created is removed. */
    async deleteBill(a: BillAddress): Promise<void> {
      await transition(a, () => bills.delete(a.formId, [a.billNo]), (s) => s === undefined);
    },
  };
  // Every Kingdee call heartbeats, so a worker that dies mid-call costs a retry after 30 s, not minutes.
  return heartbeatingAll(activities);
}
