// Client-side throttle: sliding 1-second and 60-second windows per app key, shared by every client in the
// process (the server counts per app key across all paths, §7.9). Callers queue FIFO per key and sleep
// exactly until the oldest call leaves the window: no polling. A call's time is moved to its completion
// when the caller reports it done: the server stamped it somewhere in between, so sequential callers can
// never look faster to the server than the limits, whatever the latency.
import { systemClock, type Clock } from './clock';
import type { RateLimits } from './config';

interface Stamp {
  at: number;
}

interface KeyState {
  /** Granted calls: start time, moved to completion time when done; pruned to the longest window. */
  stamps: Stamp[];
  /** Every caller of this key waits after the previous one: FIFO and no thundering herd. */
  tail: Promise<void>;
  /** Set after a 199/200 so that all callers of the key hold off, not only the one that was refused. */
  blockedUntil: number;
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;

/** How long until a call fits in (now − windowMs, now] holding at most `limit` calls. */
function windowWait(stamps: readonly Stamp[], now: number, windowMs: number, limit: number): number {
  const inWindow = stamps.map((stamp) => stamp.at).filter((at) => at > now - windowMs).sort((a, b) => a - b);
  if (inWindow.length < limit) return 0;
  const mustLeave = inWindow[inWindow.length - limit]!;
  return mustLeave + windowMs - now;
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();

  constructor(private readonly clock: Clock = systemClock) {}

  /**
   * Resolves when one more call under `key` keeps both windows within `limits`; the call is then counted.
   * Call the returned function when the call has completed (answer or failure).
   */
  acquire(key: string, limits: RateLimits): Promise<() => void> {
    const state = this.state(key);
    const turn = state.tail.then(() => this.waitForSlot(state, limits));
    state.tail = turn.then(() => undefined, () => undefined);
    return turn.then((stamp) => () => {
      stamp.at = Math.max(stamp.at, this.clock.now());
    });
  }

  /** Makes every caller of `key` wait at least `ms` from now (the server said we were too fast). */
  holdOff(key: string, ms: number): void {
    const state = this.state(key);
    state.blockedUntil = Math.max(state.blockedUntil, this.clock.now() + ms);
  }

  private state(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { stamps: [], tail: Promise.resolve(), blockedUntil: 0 };
      this.keys.set(key, state);
    }
    return state;
  }

  private async waitForSlot(state: KeyState, limits: RateLimits): Promise<Stamp> {
    for (;;) {
      const now = this.clock.now();
      const wait = Math.max(
        state.blockedUntil - now,
        windowWait(state.stamps, now, SECOND_MS + limits.marginMs, limits.perSecond),
        windowWait(state.stamps, now, MINUTE_MS + limits.marginMs, limits.perMinute),
      );
      if (wait <= 0) {
        const horizon = now - MINUTE_MS - limits.marginMs;
        const stamp = { at: now };
        state.stamps = state.stamps.filter((s) => s.at > horizon);
        state.stamps.push(stamp);
        return stamp;
      }
      await this.clock.sleep(wait);
    }
  }
}

/** The process-wide limiter every client uses unless given another (tests inject their own). */
export const sharedRateLimiter = new RateLimiter(systemClock);
