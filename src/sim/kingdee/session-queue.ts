// One call at a time per Kingdee session (ASP.NET serialises requests that share a session): later calls
// on the same session wait their turn (kingdee-batching.md §3.2).

export class SessionQueue {
  private tails = new Map<string, Promise<void>>();

  /** Runs `work` after every earlier call on `sessionKey` has finished. */
  async run<T>(sessionKey: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(sessionKey) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.tails.set(sessionKey, tail);
    await before;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(sessionKey) === tail) this.tails.delete(sessionKey);
    }
  }
}
