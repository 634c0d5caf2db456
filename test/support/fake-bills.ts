// A small in-memory Kingdee bill store for activity-level tests: bills by number with a status, every call
// logged, failures plantable per operation. Plus the MockActivityEnvironment helpers those tests share.
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import type { BillRef, BillStore } from '../../src/activities/ports';
import { KingdeeValidationError } from '../../src/connectors/kingdee/errors';

export const FORM = 'SAL_RETURNSTOCK';
export const NO = '5000123';
export const ctx = (operation: string) => ({ operation, formId: FORM, billNumbers: [NO] });

/** Bills by number with a status; every call is logged; a test can plant failures per operation. */
export class FakeBills implements BillStore {
  readonly bills = new Map<string, BillRef>();
  readonly calls: string[] = [];
  private nextId = 100;
  failures: Partial<Record<string, () => Error>> = {};
  constructor(readonly requestTimeoutMs: number) {}

  private fail(op: string): void {
    const f = this.failures[op];
    if (f) throw f();
  }
  private move(op: string, from: string[], to: string | undefined): void {
    this.calls.push(op);
    this.fail(op);
    const bill = this.bills.get(NO);
    if (!bill || !from.includes(bill.status)) throw new KingdeeValidationError(ctx(op), { msgCode: 11, fieldErrors: [{ fieldName: null, message: `status ${bill?.status}`, dIndex: 0 }] });
    if (to === undefined) this.bills.delete(NO);
    else bill.status = to;
  }
  plant(status: string, id = String(this.nextId++)): BillRef {
    const bill = { id, number: NO, status };
    this.bills.set(NO, bill);
    return bill;
  }
  async findBill(): Promise<BillRef | undefined> {
    this.calls.push('find');
    this.fail('find');
    const b = this.bills.get(NO);
    return b ? { ...b } : undefined;
  }
  async save(_formId: string, model: Record<string, unknown>): Promise<{ id: string; number: string }> {
    this.calls.push('save');
    this.fail('save');
    const existing = this.bills.get(NO);
    if (existing && Number(model.FID ?? 0) === 0) {
      throw new KingdeeValidationError(ctx('Save'), { msgCode: 11, fieldErrors: [{ fieldName: 'FBillNo', message: 'duplicate', dIndex: 0 }] });
    }
    const bill = existing ?? this.plant('A');
    bill.status = 'A';
    return { id: bill.id, number: NO };
  }
  async submit() { this.move('submit', ['A', 'D'], 'B'); }
  async audit() { this.move('audit', ['B'], 'C'); }
  async cancelAssign() { this.move('cancelAssign', ['B'], 'A'); }
  async unAudit() { this.move('unAudit', ['C'], 'D'); }
  async delete() { this.move('delete', ['Z', 'A', 'D'], undefined); }
}

export const quiet = { logger: new DefaultLogger('ERROR') };
export const env = (info: { attempt?: number; scheduledAt?: number } = {}) =>
  new MockActivityEnvironment({ attempt: info.attempt ?? 1, currentAttemptScheduledTimestampMs: info.scheduledAt ?? Date.now() }, quiet);
/** MockActivityEnvironment.run loses the result type; this keeps it. */
export const runIn = <I, O>(e: MockActivityEnvironment, fn: (input: I) => Promise<O>, input: I): Promise<O> => e.run(fn, input) as Promise<O>;
export const body = { model: { FID: 0, FBillNo: NO }, options: {} };

export async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof ApplicationFailure, `expected an ApplicationFailure, got ${String(err)}`);
  return err;
}
