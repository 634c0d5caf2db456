// Gathers work into batches per key and runs a batch when it is full or its first item has lingered long
// enough, with at most `maxInFlight` batches running at once (1 for writes: one write call per session).

export interface Pending<I> {
  item: I;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

interface Queue<I> {
  items: Array<Pending<I>>;
  firstAt: number;
}

export class BatchScheduler<I> {
  private queues = new Map<string, Queue<I>>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly options: {
      batchSize: number;
      lingerMs: number;
      maxInFlight: number;
      run: (key: string, batch: Array<Pending<I>>) => Promise<void>;
      /** Whether an item may go out now beside the batches in flight (it stays queued otherwise). */
      admit?: (item: I) => boolean;
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** Queues one item under `key`; settles with what the batch run gives it. */
  add(key: string, item: I): Promise<unknown> {
    return new Promise((resolve, reject) => {
      let q = this.queues.get(key);
      if (!q) this.queues.set(key, (q = { items: [], firstAt: this.now() }));
      q.items.push({ item, resolve, reject });
      this.kick();
    });
  }

  /** Starts every due batch the in-flight limit allows; otherwise waits for the next one to fall due. */
  private kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    const blocked = new Set<string>();
    while (this.inFlight < this.options.maxInFlight) {
      const due = this.nextDue(blocked);
      if (!due) break;
      if (!this.start(due)) blocked.add(due);
    }
    if (this.inFlight >= this.options.maxInFlight) return;
    const waiting = [...this.queues.values()];
    if (waiting.length === 0) return;
    const earliest = Math.min(...waiting.map((q) => q.firstAt + this.options.lingerMs));
    this.timer = setTimeout(() => this.kick(), Math.max(0, earliest - this.now()));
  }

  /** A full queue first, else the oldest one whose linger has passed. */
  private nextDue(blocked: Set<string>): string | undefined {
    let oldest: [string, Queue<I>] | undefined;
    for (const entry of this.queues) {
      if (blocked.has(entry[0])) continue;
      if (entry[1].items.length >= this.options.batchSize) return entry[0];
      if (!oldest || entry[1].firstAt < oldest[1].firstAt) oldest = entry;
    }
    return oldest && this.now() - oldest[1].firstAt >= this.options.lingerMs ? oldest[0] : undefined;
  }

  /** Starts a batch of the admitted items of `key` (in queue order); false when none may go out now. */
  private start(key: string): boolean {
    const q = this.queues.get(key)!;
    const admit = this.options.admit;
    const batch: Array<Pending<I>> = [];
    const kept: Array<Pending<I>> = [];
    for (const p of q.items) {
      if (batch.length < this.options.batchSize && (!admit || admit(p.item))) batch.push(p);
      else kept.push(p);
    }
    if (batch.length === 0) return false;
    q.items = kept;
    if (q.items.length === 0) this.queues.delete(key);
    else q.firstAt = this.now();
    this.inFlight++;
    this.options
      .run(key, batch)
      .catch((err: unknown) => batch.forEach((p) => p.reject(err)))
      .finally(() => {
        this.inFlight--;
        this.kick();
      });
    return true;
  }
}
