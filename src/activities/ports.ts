// What the activities need from the outside world, as narrow interfaces. The real connectors and the
// scheme engine satisfy them (see src/runtime.ts); tests can pass small fakes.
import type { LookupAnswers, SourceRecord } from '../workflows/messages';

export interface RefundPage {
  records: SourceRecord[];
  /** Records that failed validation, with the reason (asked for with `invalidRecords: 'separate'`). */
  invalid?: Array<{ index: number; asId?: string; error: string; raw: unknown }>;
  hasNext: boolean;
  dataCount?: number;
  pageCount?: number;
}

export interface RefundSource {
  /** One page of the refund query over [begin, end] (Beijing time strings, inclusive). */
  queryRefundPage(q: {
    modifiedBegin: string; modifiedEnd: string; pageIndex: number; pageSize?: number; invalidRecords?: 'fail' | 'separate';
  }): Promise<RefundPage>;
}

export interface BillRef { id: string; number: string; status: string }

export interface BillStore {
  /** Per-request timeout: a write sent this long ago has ended in Kingdee, whatever its reply did. */
  readonly requestTimeoutMs: number;
  findBill(formId: string, billNo: string): Promise<BillRef | undefined>;
  /**
   * `adopted`: the bill exists but no Save reply proved this call created it (a batch reconciled by query after
   * a lost reply or a call-level failure): it is resumed from its status and never undone.
   */
  save(formId: string, model: Record<string, unknown>, options?: Record<string, unknown>): Promise<{ id: string; number: string; adopted?: { status: string } }>;
  submit(formId: string, numbers: string[]): Promise<unknown>;
  audit(formId: string, numbers: string[]): Promise<unknown>;
  cancelAssign(formId: string, numbers: string[]): Promise<unknown>;
  unAudit(formId: string, numbers: string[]): Promise<unknown>;
  delete(formId: string, numbers: string[]): Promise<unknown>;
}

export type Eligibility = { eligible: true } | { eligible: false; reason: string };

export type PreparedBill =
  | { ok: true; formId: string; billNo: string; endState: 'saved' | 'submitted' | 'audited'; model: Record<string, unknown>; options: Record<string, unknown>; warnings: string[] }
  | { ok: false; errors: string[] };

/** The scheme engine, per scheme id. */
export interface Schemes {
  sourceConfig(schemeId: string): { keyField: string; versionField: string; pageSize: number };
  /** The scheme's workflow id prefix; when absent, read from the scheme file (schemes/). */
  workflowIdPrefix?(schemeId: string): string;
  eligibility(schemeId: string, record: SourceRecord): Eligibility;
  /** The record reduced to the fields the scheme reads: what may enter workflow history. */
  project(schemeId: string, record: SourceRecord): SourceRecord;
  lookups(schemeId: string, record: SourceRecord): Promise<LookupAnswers>;
  /** One query per collection for a whole page. */
  lookupsForMany(schemeId: string, records: SourceRecord[]): Promise<LookupAnswers[]>;
  prepare(schemeId: string, record: SourceRecord, answers: LookupAnswers): PreparedBill;
}
