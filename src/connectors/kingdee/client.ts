// The Kingdee K/3 Cloud WebAPI client: operations over one reused session (or signed headers), typed
// errors, reads retried after a re-login, writes verified by bill number instead of replayed blindly.
import type { BillQuery } from './bill-query';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { KingdeeConfig, KingdeeConfigError, type KingdeeConfigInput } from './config';
import {
  KingdeeReplyTooLargeError,
  KingdeeSessionLostError,
  KingdeeTransientError,
  KingdeeUnknownOutcomeError,
  type KingdeeCallContext,
  type KingdeeEntity,
  type KingdeeFieldError,
} from './errors';
import { and, eq, isIn } from './filter-string';
import { ReplyTooLargeError } from '../../lib/capped-body';
import { KingdeeHttp, TransportFailure } from './http';
import { errorForStatus, errorForTransport, parseReply } from './reply';
import { findResponseStatus, SaveResultSchema, unwrapResult, type NormalStatus } from './responses';
import { KingdeeSession, operationUrl } from './session';

export interface KingdeeClientDeps {
  /** undici dispatcher (tests, proxies); by default the client owns an Agent. */
  dispatcher?: Dispatcher;
  /** Wall clock in ms, for signatures. */
  now?: () => number;
}

export interface SaveOptions {
  isVerifyBaseDataField?: boolean;
  /** Save, submit and audit in one server transaction: discouraged by Kingdee (kingdee-webapi.md §7). */
  isAutoSubmitAndAudit?: boolean;
  /** Default true on the server: an update that omits entry rows deletes them. */
  isDeleteEntry?: boolean;
  needUpdateFields?: string[];
  needReturnFields?: string[];
  interationFlags?: string;
  ignoreInterationFlag?: boolean;
  isAutoAdjustField?: boolean;
  validateRepeatJson?: boolean;
  /** Any other control parameter of the packet, camelCase (`batchCount` → `BatchCount`). */
  [control: string]: unknown;
}

export interface SaveResult {
  id: string;
  number: string;
  needReturnData?: unknown;
}

export interface BatchSaveResult {
  /** `index` is the position in the models passed in. */
  saved: Array<{ index: number; id: string; number: string }>;
  failed: Array<{ index: number; number: string; errors: KingdeeFieldError[] }>;
}

export type { BillQuery };

/** FDocumentStatus: Z draft, A created, B submitted, C audited, D re-audit. */
export interface FoundBill {
  id: string;
  number: string;
  status: string;
}

const DEFAULT_PAGE = 2000;
const RowsSchema = z.array(z.array(z.unknown()));
const ViewSchema = z.looseObject({ Result: z.record(z.string(), z.unknown()).nullish() });

type Attempt = { lost: false; payload: unknown; status: NormalStatus | undefined } | { lost: true; generation: number; error: KingdeeSessionLostError };

/** The status each operation leaves a bill in; used to tell, after a lost session, which bills still need it. */
const TARGET_STATUS = { Submit: 'B', Audit: 'C', UnAudit: 'D', CancelAssign: 'A', Delete: undefined } as const;
export type NumbersOperation = keyof typeof TARGET_STATUS;

function billNoOf(model: Record<string, unknown>): string {
  const key = Object.keys(model).find((k) => k.toLowerCase() === 'fbillno');
  const value = key === undefined ? undefined : model[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** camelCase option → Kingdee's spelling, where that is not just the first letter upper-cased. */
const OPTION_NAMES: Record<string, string> = { needUpdateFields: 'NeedUpDateFields' };

/**
 * The control parameters of a Save/BatchSave `data` packet. Known options and any other control parameter
 * (e.g. `batchCount`, `isEntryBatchFill`) pass through with the first letter upper-cased; Model is never overridden.
 */
function saveData(options: SaveOptions): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined || key.toLowerCase() === 'model') continue;
    data[OPTION_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1)] = value;
  }
  return data;
}

export class KingdeeClient {
  readonly config: KingdeeConfig;
  private readonly http: KingdeeHttp;
  private readonly session: KingdeeSession;

  constructor(config: KingdeeConfigInput, deps: KingdeeClientDeps = {}) {
    const parsed = KingdeeConfig.safeParse(config);
    if (!parsed.success) {
      throw new KingdeeConfigError(`Kingdee configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    this.config = parsed.data;
    this.http = new KingdeeHttp({
      maxConcurrency: this.config.maxConcurrency,
      timeoutMs: this.config.requestTimeoutMs,
      maxReplyBytes: this.config.maxReplyBytes,
      dispatcher: deps.dispatcher,
    });
    this.session = new KingdeeSession(this.config, this.http, deps.now ?? Date.now);
  }

  /** A request sent this long ago has ended, reply or not (writes wait this out before re-checking). */
  get requestTimeoutMs(): number {
    return this.config.requestTimeoutMs;
  }

  /** Login calls made so far (one at start, one per renewal). */
  get logins(): number {
    return this.session.logins;
  }

  // ---- writes -------------------------------------------------------------------------------------

  /** Creates (FID 0) or updates one bill. Send a deterministic FBillNo: it is how a lost reply is resolved. */
  async save(formId: string, model: Record<string, unknown>, options: SaveOptions = {}): Promise<SaveResult> {
    const billNo = billNoOf(model);
    const ctx: KingdeeCallContext = { operation: 'Save', formId, billNumbers: [billNo] };
    const body = { formid: formId, data: { ...saveData(options), Model: model } };
    let attempt = await this.attempt('Save', body, ctx, true);
    if (attempt.lost) {
      await this.session.renew(attempt.generation);
      if (billNo === '') throw new KingdeeSessionLostError(ctx, 'session lost before the save ran; re-logged in but not replayed (no FBillNo to verify by)');
      const found = await this.findBill(formId, billNo);
      if (found) return { id: found.id, number: found.number };
      attempt = await this.attempt('Save', body, ctx, true);
      if (attempt.lost) throw attempt.error;
    }
    const { payload, status } = attempt;
    if (status && !status.isSuccess) throw errorForStatus(status, ctx);
    const result = SaveResultSchema.safeParse(unwrapResult(payload));
    const id = (result.success ? result.data.Id : '') || status?.successes[0]?.id || '';
    const number = (result.success ? result.data.Number : '') || status?.successes[0]?.number || billNo;
    if (id === '') throw new KingdeeTransientError(ctx, 'save reply carries no bill id');
    return { id, number, needReturnData: result.success ? result.data.NeedReturnData : undefined };
  }

  /**
   * Saves many bills; each passes or fails on its own (failures come back in `failed`, not thrown).
   * Errors that concern the whole call (session, lock, transport, server) are thrown.
   */
  async batchSave(formId: string, models: Array<Record<string, unknown>>, options: SaveOptions = {}): Promise<BatchSaveResult> {
    const numbers = models.map(billNoOf);
    const ctx: KingdeeCallContext = { operation: 'BatchSave', formId, billNumbers: numbers };
    const result: BatchSaveResult = { saved: [], failed: [] };
    if (models.length === 0) return result;
    let pending = models.map((_, index) => index);
    let attempt = await this.attempt('BatchSave', { formid: formId, data: { ...saveData(options), Model: models } }, ctx, true);
    if (attempt.lost) {
      await this.session.renew(attempt.generation);
      if (numbers.some((n) => n === '')) throw new KingdeeSessionLostError(ctx, 'session lost before the batch ran; re-logged in but not replayed (a bill has no FBillNo)');
      const found = await this.findBills(formId, numbers);
      for (const index of pending) {
        const bill = found.get(numbers[index]!);
        if (bill) result.saved.push({ index, id: bill.id, number: bill.number });
      }
      pending = pending.filter((index) => !found.has(numbers[index]!));
      if (pending.length === 0) return result;
      attempt = await this.attempt('BatchSave', { formid: formId, data: { ...saveData(options), Model: pending.map((i) => models[i]) } }, ctx, true);
      if (attempt.lost) throw attempt.error;
    }
    const status = attempt.status;
    if (!status) throw new KingdeeTransientError(ctx, 'batch save reply carries no ResponseStatus');
    if (!status.isSuccess && status.msgCode !== 11 && status.successes.length === 0) throw errorForStatus(status, ctx);
    // Map by Number first: with server-side batching DIndex counts within a batch (kingdee-webapi.md §5.2).
    const byNumber = new Map(pending.map((index) => [numbers[index]!, index]));
    const done = new Set<number>();
    for (const s of status.successes) {
      const index = (s.number !== '' ? byNumber.get(s.number) : undefined) ?? pending[s.dIndex];
      if (index === undefined) continue;
      done.add(index);
      result.saved.push({ index, id: s.id, number: s.number || numbers[index]! });
    }
    const errorsByIndex = new Map<number, KingdeeFieldError[]>();
    for (const e of status.errors) {
      const index = pending[e.dIndex] ?? pending[0]!;
      errorsByIndex.set(index, [...(errorsByIndex.get(index) ?? []), e]);
    }
    for (const [index, errors] of errorsByIndex) {
      if (!done.has(index)) result.failed.push({ index, number: numbers[index]!, errors });
    }
    result.saved.sort((a, b) => a.index - b.index);
    result.failed.sort((a, b) => a.index - b.index);
    return result;
  }

  submit(formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    return this.numbersOperation('Submit', formId, numbers);
  }

  audit(formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    return this.numbersOperation('Audit', formId, numbers);
  }

  unAudit(formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    return this.numbersOperation('UnAudit', formId, numbers);
  }

  cancelAssign(formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    return this.numbersOperation('CancelAssign', formId, numbers);
  }

  delete(formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    return this.numbersOperation('Delete', formId, numbers);
  }

  // ---- reads --------------------------------------------------------------------------------------

  /** One bill in View shape (properties without the `F` prefix). */
  async view(formId: string, key: { number: string } | { id: string | number }): Promise<Record<string, unknown>> {
    const ctx: KingdeeCallContext = { operation: 'View', formId, billNumbers: 'number' in key ? [key.number] : [] };
    const data = 'number' in key ? { Number: key.number } : { Id: String(key.id) };
    const { payload } = await this.read('View', { formid: formId, data }, ctx);
    const parsed = ViewSchema.safeParse(unwrapResult(payload));
    if (!parsed.success || !parsed.data.Result) throw new KingdeeTransientError(ctx, 'view reply carries no bill');
    return parsed.data.Result;
  }

  /** Rows in FieldKeys order (one per entry when an entry field is asked for). Limit defaults to 2000. */
  async executeBillQuery(q: BillQuery): Promise<unknown[][]> {
    const ctx: KingdeeCallContext = { operation: 'ExecuteBillQuery', formId: q.FormId };
    const data = {
      FormId: q.FormId,
      FieldKeys: q.FieldKeys,
      FilterString: q.FilterString ?? '',
      OrderString: q.OrderString ?? '',
      TopRowCount: q.TopRowCount ?? 0,
      StartRow: q.StartRow ?? 0,
      Limit: q.Limit ?? DEFAULT_PAGE,
      SubSystemId: '',
    };
    const { payload } = await this.read('ExecuteBillQuery', { data }, ctx);
    const rows = RowsSchema.safeParse(payload);
    if (!rows.success) throw new KingdeeTransientError(ctx, 'query reply is not a list of rows');
    return rows.data;
  }

  /** Pages with StartRow/Limit until a short page. `maxRows` bounds the total (default: unbounded). */
  async queryAll(q: Omit<BillQuery, 'StartRow' | 'Limit' | 'TopRowCount'>, options: { pageSize?: number; maxRows?: number } = {}): Promise<unknown[][]> {
    const pageSize = options.pageSize ?? DEFAULT_PAGE;
    const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
    const rows: unknown[][] = [];
    for (;;) {
      const page = await this.executeBillQuery({ ...q, StartRow: rows.length, Limit: pageSize, TopRowCount: 0 });
      rows.push(...page);
      if (page.length < pageSize || rows.length >= maxRows) return rows.slice(0, maxRows);
    }
  }

  /** The bill with this FBillNo, if any: the existence check before any write retry. */
  async findBill(formId: string, billNo: string): Promise<FoundBill | undefined> {
    const rows = await this.executeBillQuery({ FormId: formId, FieldKeys: 'FID,FBillNo,FDocumentStatus', FilterString: and(eq('FBillNo', billNo)), Limit: 10 });
    const row = rows.find((r) => String(r[1] ?? '') === billNo);
    return row ? { id: String(row[0] ?? ''), number: String(row[1] ?? ''), status: String(row[2] ?? '') } : undefined;
  }

  /** Ends the session (login modes) and closes connections. */
  async close(): Promise<void> {
    await this.session.logout();
    await this.http.close();
  }

  // ---- plumbing -----------------------------------------------------------------------------------

  /**
   * One many-bill write (BatchSave with `models`, or Submit/Audit/… with `numbers`), its ResponseStatus returned
   * as is, success or not, for a batcher to read per bill. A lost session is renewed and then thrown (the call
   * did not run); transport failures and lost replies are thrown as typed errors (KingdeeUnknownOutcomeError).
   */
  async sendBatch(op: 'BatchSave' | NumbersOperation, formId: string, payload: { models: Array<Record<string, unknown>>; options?: SaveOptions } | { numbers: string[] }): Promise<NormalStatus> {
    const numbers = 'models' in payload ? payload.models.map(billNoOf) : payload.numbers;
    const ctx: KingdeeCallContext = { operation: op, formId, billNumbers: numbers };
    const data = 'models' in payload ? { ...saveData(payload.options ?? {}), Model: payload.models } : { Numbers: payload.numbers };
    const attempt = await this.attempt(op, { formid: formId, data }, ctx, true);
    if (attempt.lost) {
      await this.session.renew(attempt.generation);
      throw attempt.error;
    }
    if (!attempt.status) throw new KingdeeTransientError(ctx, `${op} reply carries no ResponseStatus`);
    return attempt.status;
  }

  /** The bills with these FBillNos, by number: one `FBillNo in (…)` query per 500 numbers (values escaped). */
  async findBills(formId: string, numbers: string[]): Promise<Map<string, FoundBill>> {
    const found = new Map<string, FoundBill>();
    const unique = [...new Set(numbers.filter((n) => n !== ''))];
    for (let i = 0; i < unique.length; i += 500) {
      const chunk = unique.slice(i, i + 500);
      const rows = await this.queryAll({ FormId: formId, FieldKeys: 'FID,FBillNo,FDocumentStatus', FilterString: and(isIn('FBillNo', chunk)) });
      for (const r of rows) found.set(String(r[1] ?? ''), { id: String(r[0] ?? ''), number: String(r[1] ?? ''), status: String(r[2] ?? '') });
    }
    return found;
  }

  private async numbersOperation(op: NumbersOperation, formId: string, numbers: string[]): Promise<KingdeeEntity[]> {
    const ctx: KingdeeCallContext = { operation: op, formId, billNumbers: numbers };
    if (numbers.length === 0) return [];
    let attempt = await this.attempt(op, { formid: formId, data: { Numbers: numbers } }, ctx, true);
    const already: KingdeeEntity[] = [];
    let pending = numbers;
    if (attempt.lost) {
      // MsgCode 1: renew, then do only what is not done yet (a bill already in the target status needs nothing).
      await this.session.renew(attempt.generation);
      const found = await this.findBills(formId, numbers);
      const target = TARGET_STATUS[op];
      const isDone = (n: string): boolean => (target === undefined ? !found.has(n) : found.get(n)?.status === target);
      numbers.forEach((n, dIndex) => {
        if (isDone(n)) already.push({ id: found.get(n)?.id ?? '', number: n, dIndex });
      });
      pending = numbers.filter((n) => !isDone(n));
      if (pending.length === 0) return already;
      attempt = await this.attempt(op, { formid: formId, data: { Numbers: pending } }, ctx, true);
      if (attempt.lost) throw attempt.error;
    }
    const status = attempt.status;
    // Re-index onto the caller's list, so dIndex always means "position in `numbers`".
    const toCaller = (dIndex: number): number => {
      const n = pending[dIndex];
      const at = n === undefined ? -1 : numbers.indexOf(n);
      return at >= 0 ? at : dIndex;
    };
    const successes = (status?.successes ?? []).map((s) => ({ ...s, dIndex: toCaller(s.dIndex) }));
    if (status && !status.isSuccess) {
      const errors = status.errors.map((e) => ({ ...e, dIndex: toCaller(e.dIndex) }));
      throw errorForStatus({ ...status, errors, successes: [...already, ...successes] }, ctx);
    }
    return [...already, ...successes].sort((a, b) => a.dIndex - b.dIndex);
  }

  private async read(op: string, body: unknown, ctx: KingdeeCallContext): Promise<{ payload: unknown; status: NormalStatus | undefined }> {
    let attempt = await this.attempt(op, body, ctx, false);
    if (attempt.lost) {
      await this.session.renew(attempt.generation);
      attempt = await this.attempt(op, body, ctx, false);
      if (attempt.lost) {
        if (this.session.signedMode) {
          throw new KingdeeSessionLostError(ctx, 'signed-header credentials rejected (MsgCode 1 with a fresh session): check user, AppId and AppSecret', false);
        }
        throw attempt.error;
      }
    }
    if (attempt.status && !attempt.status.isSuccess) throw errorForStatus(attempt.status, ctx);
    return attempt;
  }

  /** One HTTP exchange. Business failures come back in `status`; only MsgCode 1 is singled out. */
  private async attempt(op: string, body: unknown, ctx: KingdeeCallContext, isWrite: boolean): Promise<Attempt> {
    await this.session.ensure();
    const url = operationUrl(this.config.baseUrl, 'DynamicFormService', op);
    const generation = this.session.generation;
    let reply;
    try {
      reply = await this.http.post(url, JSON.stringify(body), this.session.headersFor(url));
    } catch (err) {
      if (err instanceof TransportFailure) throw errorForTransport(err, ctx, isWrite);
      if (err instanceof ReplyTooLargeError) {
        // A write was answered, so it may have committed: resolve it by looking the bill up, never by replaying it.
        throw isWrite ? new KingdeeUnknownOutcomeError(ctx, err.message) : new KingdeeReplyTooLargeError(ctx, err.message);
      }
      throw err;
    }
    this.session.absorb(reply.setCookies);
    const payload = parseReply(reply, ctx);
    const status = findResponseStatus(payload);
    if (status && !status.isSuccess) {
      const error = errorForStatus(status, ctx);
      if (error instanceof KingdeeSessionLostError) return { lost: true, generation, error };
    }
    return { lost: false, payload, status };
  }
}
