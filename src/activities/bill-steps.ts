// The lean refund workflow's two Kingdee steps (patch sync-refund-lean-v1), each one activity:
// - ensureBillSaved: maps the record, finds its bill by FBillNo and saves it when there is none (a draft is
//   saved in place). `created` is true only when this attempt's own Save reply created the bill.
// - advanceBill: submits and audits as far as the scheme's end state, then writes the synced decision to the
//   state store, so a refund that reaches audited needs no further activity.
// Both gather with concurrent refunds in the Kingdee batcher below them. A failure names the step it happened
// at and the steps it finished before (its details: `{ step, done }`), so the refund parks at that step with an
// honest timeline, and compensation stays the workflow's call.
import { ApplicationFailure, CancelledFailure } from '@temporalio/activity';
import { BUSINESS_ERROR } from '../temporal/failure-types';
import { nextMove, type EndState } from '../workflows/bill-progress';
import type { LookupAnswers, SourceRecord, SyncStep } from '../workflows/messages';
import type { DecisionInput } from './decisions';
import { toActivityFailure } from './errors';
import type { kingdeeBillCalls } from './kingdee';
import type { MapRefundResult } from './mapping';
import { waitOutEarlierAttempts } from './write-settling';

export interface EnsureBillSavedInput {
  schemeId: string;
  record: SourceRecord;
  answers: LookupAnswers;
}

type Mapped = Extract<MapRefundResult, { kind: 'ready' }>;

export type EnsureBillSavedResult =
  | Exclude<MapRefundResult, Mapped>
  | (Mapped & {
      /** The bill with this number before anything was written, if there was one. */
      found: { id: string; status: string } | null;
      /** The bill now; `created` only when this attempt's Save reply created it. */
      bill: { id: string; number: string; status: string; created: boolean };
    });

export interface AdvanceBillInput {
  formId: string;
  billNo: string;
  status: string;
  endState: EndState;
  /** Written to the decisions ledger once the bill reaches the end state (the refund is then synced). */
  decision: DecisionInput;
}

/** Runs one part of an activity; its failure keeps its type and retryability and names the step (and those `done`). */
async function atStep<T>(step: SyncStep, run: () => Promise<T>, done: readonly SyncStep[] = []): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof CancelledFailure) throw err;
    const failure = toActivityFailure(err);
    const app = failure instanceof ApplicationFailure ? failure : undefined;
    throw ApplicationFailure.create({
      message: failure.message,
      type: app?.type ?? failure.name,
      nonRetryable: app?.nonRetryable ?? false,
      details: [{ step, done }],
      cause: app?.cause,
    });
  }
}

const isDraft = (status: string) => status === 'Z' || status === '';

export function createBillStepActivities(deps: {
  kingdee: ReturnType<typeof kingdeeBillCalls>;
  mapRefund: (input: EnsureBillSavedInput) => Promise<MapRefundResult>;
  recordDecision: (d: DecisionInput) => Promise<{ recorded: boolean }>;
  requestTimeoutMs: number;
}) {
  const { activities: kingdee, saveNew, saveDraft } = deps.kingdee;
  return {
    async ensureBillSaved(input: EnsureBillSavedInput): Promise<EnsureBillSavedResult> {
      const mapped = await atStep('mapping', () => deps.mapRefund(input));
      if (mapped.kind !== 'ready') return mapped;
      const ref = { formId: mapped.formId, billNo: mapped.billNo };
      // A retry may follow a save that committed and may still be running: wait it out before looking.
      await atStep('find', () => waitOutEarlierAttempts(deps.requestTimeoutMs));
      const found = await atStep('find', () => kingdee.findBill(ref));
      let bill: { id: string; number: string; status: string; created: boolean };
      if (!found) {
        bill = await atStep('save', () => saveNew({ ...ref, body: mapped.body }));
      } else if (isDraft(found.status)) {
        const { status } = await atStep('save', () => saveDraft({ ...ref, id: found.id, body: mapped.body }));
        bill = { id: found.id, number: found.number, status, created: false };
      } else {
        bill = { id: found.id, number: found.number, status: found.status, created: false };
      }
      return { ...mapped, found: found ? { id: found.id, status: found.status } : null, bill };
    },

    async advanceBill(input: AdvanceBillInput): Promise<{ status: string }> {
      const ref = { formId: input.formId, billNo: input.billNo };
      let status = input.status;
      const done: SyncStep[] = [];
      for (;;) {
        const move = nextMove(status, input.endState);
        if (move === 'done') break;
        if (move === 'submit') {
          await atStep('submit', () => kingdee.submitBill(ref), done);
          status = 'B';
          done.push('submit');
        } else if (move === 'audit') {
          await atStep('audit', () => kingdee.auditBill(ref), done);
          status = 'C';
          done.push('audit');
        } else {
          // ensureBillSaved leaves no draft, and the workflow parks a status it cannot move: a bug if reached.
          throw ApplicationFailure.create({ message: `${input.formId} ${input.billNo} is in status ${JSON.stringify(status)}: not one advanceBill moves`, type: BUSINESS_ERROR, nonRetryable: true, details: [{ step: 'submit' }] });
        }
      }
      await atStep('audit', () => deps.recordDecision(input.decision), done);
      return { status };
    },
  };
}
