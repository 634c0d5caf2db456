// A bounded least-recently-used cache with a time to live. The clock is injected (the engine has none).

export interface LruCacheOptions {
  /** Most entries kept; the least recently used goes first. */
  maxEntries: number;
  /** How long an entry stays valid, in ms. */
  ttlMs: number;
  /** Milliseconds clock, e.g. `() => Date.now()` in activities, a counter in tests. */
  now: () => number;
}

export class LruCache<V> {
  private readonly entries = new Map<string, { value: V; expires: number }>();

  constructor(private readonly options: LruCacheOptions) {
    if (!(options.maxEntries >= 1)) throw new RangeError('LruCache maxEntries must be at least 1');
    if (!(options.ttlMs > 0)) throw new RangeError('LruCache ttlMs must be positive');
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.options.now()) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return entry.value;
  }

  set(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, expires: this.options.now() + this.options.ttlMs });
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}
