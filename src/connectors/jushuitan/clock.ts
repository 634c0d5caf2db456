// Time source of the connector. Injected so tests drive token expiry, rate windows and back-off without
// sleeping for real (a virtual clock can advance on sleep).
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};
