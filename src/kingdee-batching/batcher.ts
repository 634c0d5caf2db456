// The Kingdee batcher (kingdee-batching.md §3): a BillStore that gathers the single-bill calls of concurrent
// Kingdee activities into many-bill calls. Finds become one `FBillNo in (…)` query; saves one BatchSave;
// submits and audits one call each. Each session (a client with its own login) has at most one write call in
// flight; returns against the same SAL_OUTSTOCK never travel in two concurrent calls; a bill never has two
// writes in flight.
import { KingdeeTransientError, type FoundBill, type NumbersOperation } from '../connectors/kingdee';
import type { BillRef, BillStore } from '../activities/ports';
import { BatchingConfig, type BatchingConfigInput } from './config';
import { BatchScheduler, type Pending } from './scheduler';
import { sourceBillIds, SourcesInFlight, type Sources } from './sources';
import { runWriteBatch, type SaveOutcome, type WriteBackend, type WriteKind } from './write-batch';

export interface BatcherBackend extends WriteBackend {
  /** Bills without an FBillNo cannot be reconciled by number: they are saved alone, as before. */
  save(formId: string, model: Record<string, unknown>, options?: Record<string, unknown>): Promise<{ id: string; number: string }>;
}

/** Calls and bills per operation, so tests and the benchmark can see how full the calls were. */
export interface BatcherStats {
  calls: Record<string, number>;
  bills: Record<string, number>;
}

interface WriteRequest {
  billNo: string;
  model?: Record<string, unknown>;
  sources: Sources;
  queuedAt: number;
}

/** Source links remembered per bill (for its later Submit/Audit), bounded: the oldest are forgotten first. */
const REMEMBERED_BILLS = 20_000;

function billNoOf(model: Record<string, unknown>): string {
  const key = Object.keys(model).find((k) => k.toLowerCase() === 'fbillno');
  const value = key === undefined ? undefined : model[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

export class KingdeeBatcher implements BillStore {
  readonly config: BatchingConfig;
  private readonly writes: BatchScheduler<WriteRequest>;
  private readonly finds: BatchScheduler<string>;
  private readonly kinds = new Map<string, { formId: string; kind: WriteKind }>();
  /** The last write queued for each bill: the next one waits for it (one write at a time per bill). */
  private readonly billTails = new Map<string, Promise<unknown>>();
  private readonly counts: BatcherStats = { calls: {}, bills: {} };
  private readonly backends: BatcherBackend[];
  /** Sessions with no write call in flight. */
  private readonly freeLanes: BatcherBackend[];
  private readonly inFlight = new SourcesInFlight();
  private readonly sourcesByBill = new Map<string, string[]>();
  private nextFinder = 0;

  /** `backends`: one client per Kingdee session (each logs in on its own). */
  constructor(
    backends: BatcherBackend | BatcherBackend[],
    config: BatchingConfigInput = {},
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.config = BatchingConfig.parse(config);
    this.backends = Array.isArray(backends) ? backends : [backends];
    if (this.backends.length === 0) throw new Error('KingdeeBatcher needs at least one Kingdee client');
    this.freeLanes = [...this.backends];
    const { batchSize, lingerMs } = this.config;
    this.writes = new BatchScheduler<WriteRequest>({
      batchSize,
      lingerMs,
      maxInFlight: this.backends.length,
      run: (key, batch) => this.runWrites(key, batch),
      admit: (request) => this.inFlight.admits(request.sources),
    });
    this.finds = new BatchScheduler<string>({ batchSize, lingerMs, maxInFlight: Number.POSITIVE_INFINITY, run: (key, batch) => this.runFinds(key, batch) });
  }

  get requestTimeoutMs(): number {
    return this.backends[0]!.requestTimeoutMs;
  }

  stats(): BatcherStats {
    return { calls: { ...this.counts.calls }, bills: { ...this.counts.bills } };
  }

  private count(op: string, bills: number): void {
    this.counts.calls[op] = (this.counts.calls[op] ?? 0) + 1;
    this.counts.bills[op] = (this.counts.bills[op] ?? 0) + bills;
  }

  async findBill(formId: string, billNo: string): Promise<BillRef | undefined> {
    return (await this.finds.add(formId, billNo)) as FoundBill | undefined;
  }

  async save(formId: string, model: Record<string, unknown>, options: Record<string, unknown> = {}): Promise<SaveOutcome> {
    const billNo = billNoOf(model);
    if (billNo === '') return this.backends[0]!.save(formId, model, options);
    const known = sourceBillIds(model);
    this.remember(`${formId}\u0000${billNo}`, known);
    return (await this.write(formId, { op: 'BatchSave', options }, { billNo, model, sources: { known }, queuedAt: Date.now() })) as SaveOutcome;
  }

  submit(formId: string, numbers: string[]): Promise<unknown> {
    return this.numbers('Submit', formId, numbers);
  }

  audit(formId: string, numbers: string[]): Promise<unknown> {
    return this.numbers('Audit', formId, numbers);
  }

  cancelAssign(formId: string, numbers: string[]): Promise<unknown> {
    return this.numbers('CancelAssign', formId, numbers);
  }

  unAudit(formId: string, numbers: string[]): Promise<unknown> {
    return this.numbers('UnAudit', formId, numbers);
  }

  delete(formId: string, numbers: string[]): Promise<unknown> {
    return this.numbers('Delete', formId, numbers);
  }

  private async numbers(op: NumbersOperation, formId: string, numbers: string[]): Promise<unknown> {
    return Promise.all(
      numbers.map((billNo) => {
        const known = this.sourcesByBill.get(`${formId}\u0000${billNo}`);
        return this.write(formId, { op }, { billNo, sources: known ? { known } : 'unknown', queuedAt: Date.now() });
      }),
    );
  }

  private remember(billKey: string, sources: string[]): void {
    this.sourcesByBill.delete(billKey);
    this.sourcesByBill.set(billKey, sources);
    if (this.sourcesByBill.size > REMEMBERED_BILLS) this.sourcesByBill.delete(this.sourcesByBill.keys().next().value!);
  }

  /** Queues a write once every earlier write on the same bill has settled. */
  private write(formId: string, kind: WriteKind, request: WriteRequest): Promise<unknown> {
    const key = `${kind.op}\u0000${formId}\u0000${kind.op === 'BatchSave' ? JSON.stringify(kind.options) : ''}`;
    this.kinds.set(key, { formId, kind });
    const billKey = `${formId}\u0000${request.billNo}`;
    // A tail never rejects (it is caught below): the next write goes once the last one settled either way.
    const before = this.billTails.get(billKey) ?? Promise.resolve();
    const mine = before.then(() => this.writes.add(key, request));
    const tail = mine.catch(() => undefined);
    this.billTails.set(billKey, tail);
    void tail.then(() => {
      if (this.billTails.get(billKey) === tail) this.billTails.delete(billKey);
    });
    return mine;
  }

  /** Runs on a free session; its sources are held from the first (synchronous) line, before any other batch starts. */
  private async runWrites(key: string, batch: Array<Pending<WriteRequest>>): Promise<void> {
    const release = this.inFlight.hold(batch.map((p) => p.item.sources));
    const lane = this.freeLanes.pop()!;
    try {
      const { formId, kind } = this.kinds.get(key)!;
      // A write that waited half a request timeout here is not sent: its activity (or the compensation after its
      // cancellation) counts on a write ending one request timeout after it was handed over.
      const staleBefore = Date.now() - this.requestTimeoutMs / 2;
      const stale = batch.filter((p) => p.item.queuedAt < staleBefore);
      for (const p of stale) p.reject(new KingdeeTransientError({ operation: kind.op, formId, billNumbers: [p.item.billNo] }, 'waited too long for its batch; not sent'));
      const items = batch.filter((p) => !stale.includes(p)).map((p) => ({ billNo: p.item.billNo, model: p.item.model, resolve: p.resolve, reject: p.reject }));
      if (items.length === 0) return;
      await runWriteBatch({ backend: lane, sleep: this.sleep, onCall: (op, bills) => this.count(op, bills) }, formId, kind, items);
    } finally {
      this.freeLanes.push(lane);
      release();
    }
  }

  private async runFinds(formId: string, batch: Array<Pending<string>>): Promise<void> {
    this.count('FindBills', batch.length);
    const backend = this.backends[this.nextFinder++ % this.backends.length]!;
    const found = await backend.findBills(formId, batch.map((p) => p.item));
    for (const p of batch) p.resolve(found.get(p.item));
  }
}
