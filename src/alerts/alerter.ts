// The alerter: collects "refund parked" and "scheme failing" events, groups each channel's events into one
// message per window, keeps a minimum interval between a channel's messages, and delivers with bounded retries.
// It never throws into its caller: a parked refund must not fail because a chat robot is down, and a
// stuck robot cannot hold anyone up: every attempt has an overall deadline and close() waits a bounded time.
import { z } from 'zod';
import { createJsonLogger, redactText, type JsonLogger } from '../lib/logger';
import { buildRequest, replyProblem } from './channels';
import { safeHost, type AlertConfig, type ChannelConfig } from './config';
import { AlertBatch, type AlertDigest, type RefundParkedAlert, type SchemeFailingAlert } from './digest';
import { undiciSender, type AlertHttpSender } from './http';

/** Time as the alerter sees it; tests drive a fake one instead of sleeping. */
export interface AlertClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: AlertClock = {
  now: () => Date.now(),
  // Unref'd: a pending window must not keep a finished CLI alive (close() flushes what is pending).
  setTimeout: (fn, ms) => setTimeout(fn, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface AlerterDeps {
  clock?: AlertClock;
  send?: AlertHttpSender;
  /** Waits between delivery attempts. */
  sleep?: (ms: number) => Promise<void>;
  /** Longest close() waits for deliveries in flight before abandoning them (default: the per-attempt timeout). */
  closeTimeoutMs?: number;
}

/** Where failed deliveries go when the caller passes no logger: stderr, warnings and errors only. */
const stderrWarnings = (): JsonLogger =>
  createJsonLogger({ level: 'warn', write: (line) => void process.stderr.write(`${line}\n`) });

export interface AlerterStats {
  /** Events taken in (after validation). */
  accepted: number;
  /** Messages the platform acknowledged, and messages given up on after every retry. */
  delivered: number;
  dropped: number;
  /** HTTP attempts, including retries. */
  attempts: number;
}

export interface Alerter {
  refundParked(e: RefundParkedAlert): void;
  schemeFailing(e: SchemeFailingAlert): void;
  /** Sends whatever is pending now (ignoring window and interval) and waits for every delivery in flight. */
  flush(): Promise<void>;
  /** flush(), then ignore further events; deliveries still running after `closeTimeoutMs` are abandoned and logged. */
  close(): Promise<void>;
  stats(): AlerterStats;
}

const RefundParkedInput = z.object({
  asId: z.coerce.string().min(1),
  schemeId: z.string().min(1),
  step: z.string().default('unknown'),
  reason: z.string().default(''),
  workflowId: z.string().default(''),
});
const SchemeFailingInput = z.object({
  schemeId: z.string().min(1),
  failures: z.number().int().nonnegative(),
  lastReason: z.string().default(''),
});

interface ChannelState {
  channel: ChannelConfig;
  host: string;
  batch?: AlertBatch;
  timer?: unknown;
  lastSentAt?: number;
  /** Deliveries of one channel run one after another, in order. */
  chain: Promise<void>;
}

/**
 * The worker passes its own logger, so failed and abandoned deliveries show in its log; without one they go to
 * stderr (never silently nowhere).
 */
export function createAlerter(config: AlertConfig, baseLogger: JsonLogger = stderrWarnings(), deps: AlerterDeps = {}): Alerter {
  const clock = deps.clock ?? systemClock;
  const send = deps.send ?? undiciSender;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const closeTimeoutMs = deps.closeTimeoutMs ?? config.timeoutMs;
  const logger = baseLogger.child({ component: 'alerts' });
  // Aborted by close() once its wait is over: cuts the sockets of sends still running and skips their retries.
  const shutdown = new AbortController();
  const stats: AlerterStats = { accepted: 0, delivered: 0, dropped: 0, attempts: 0 };
  const states: ChannelState[] = config.channels.map((channel) => ({ channel, host: safeHost(channel.url), chain: Promise.resolve() }));
  let closed = false;

  function accept(add: (batch: AlertBatch) => void): void {
    stats.accepted += 1;
    const now = clock.now();
    for (const state of states) {
      state.batch ??= new AlertBatch(now, config.maxListed);
      add(state.batch);
      schedule(state, now);
    }
  }

  function schedule(state: ChannelState, now: number): void {
    if (state.timer !== undefined || !state.batch) return;
    const windowEnds = state.batch.openedAt + config.groupWindowMs;
    const intervalEnds = state.lastSentAt === undefined ? -Infinity : state.lastSentAt + config.minIntervalMs;
    state.timer = clock.setTimeout(() => {
      state.timer = undefined;
      cut(state);
    }, Math.max(0, Math.max(windowEnds, intervalEnds) - now));
  }

  /** Closes the channel's current batch and queues its delivery. */
  function cut(state: ChannelState): void {
    if (state.timer !== undefined) {
      clock.clearTimeout(state.timer);
      state.timer = undefined;
    }
    const batch = state.batch;
    state.batch = undefined;
    if (!batch || batch.isEmpty) return;
    const now = clock.now();
    state.lastSentAt = now;
    const digest = batch.digest(now);
    state.chain = state.chain.then(() => deliver(state, digest));
  }

  async function deliver(state: ChannelState, digest: AlertDigest): Promise<void> {
    const { channel, host } = state;
    const fields = { channel: channel.kind, host, parked: digest.parked.total, failingSchemes: digest.failingSchemes.length };
    const attempts = config.retries + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (shutdown.signal.aborted) {
        stats.dropped += 1;
        logger.error('alert abandoned at shutdown', { ...fields, attempt });
        return;
      }
      let problem: string | undefined;
      try {
        stats.attempts += 1;
        const req = buildRequest(channel, digest, clock.now());
        const reply = await withDeadline((signal) => send({ url: req.url, body: req.body, timeoutMs: config.timeoutMs, signal }), config.timeoutMs);
        problem = replyProblem(channel.kind, reply.status, reply.body);
      } catch (err) {
        problem = describeError(err);
      }
      if (problem === undefined) {
        stats.delivered += 1;
        logger.info('alert sent', { ...fields, attempt });
        return;
      }
      const problemText = scrub(problem, channel);
      if (attempt < attempts && !shutdown.signal.aborted) {
        const delayMs = config.retryDelayMs * 2 ** (attempt - 1);
        logger.warn('alert delivery failed; retrying', { ...fields, attempt, delayMs, problem: problemText });
        try {
          await sleep(delayMs);
        } catch {
          /* a failing sleep only shortens the wait */
        }
      } else {
        stats.dropped += 1;
        logger.error('alert not delivered; giving up', { ...fields, attempts: attempt, problem: problemText });
        return;
      }
    }
  }

  /**
   * Runs one attempt with an overall deadline (a webhook that drips its reply byte by byte resets undici's
   * body timeout forever), cancelled also by shutdown.
   */
  function withDeadline<T>(attempt: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> {
    const controller = new AbortController();
    return new Promise<T>((resolve, reject) => {
      const fail = (why: string): void => {
        controller.abort(new Error(why));
        reject(new Error(why));
      };
      const timer = clock.setTimeout(() => fail(`no complete answer within ${ms} ms (deadline)`), ms);
      const onShutdown = (): void => fail('abandoned at shutdown');
      shutdown.signal.addEventListener('abort', onShutdown, { once: true });
      attempt(controller.signal)
        .then(resolve, reject)
        .finally(() => {
          clock.clearTimeout(timer);
          shutdown.signal.removeEventListener('abort', onShutdown);
        });
    });
  }

  async function flush(): Promise<void> {
    for (const state of states) cut(state);
    await Promise.all(states.map((s) => s.chain));
  }

  /** flush(), but never longer than closeTimeoutMs: then in-flight sends are aborted and their retries skipped. */
  async function flushWithin(ms: number): Promise<void> {
    let timer: unknown;
    const gaveUp = new Promise<void>((resolve) => {
      timer = clock.setTimeout(() => {
        logger.warn('alert deliveries still running at shutdown; abandoning them', { waitedMs: ms });
        shutdown.abort();
        resolve();
      }, ms);
    });
    try {
      await Promise.race([flush(), gaveUp]);
    } finally {
      clock.clearTimeout(timer);
    }
    // Once aborted, every chain settles promptly: the deadline wrapper rejects and no retry starts.
    if (shutdown.signal.aborted) await Promise.all(states.map((s) => s.chain));
  }

  return {
    refundParked(e) {
      if (closed) return logger.warn('alert after close ignored', { asId: e?.asId });
      const parsed = RefundParkedInput.safeParse(e);
      if (!parsed.success) return logger.warn('invalid refundParked alert ignored', { problem: z.prettifyError(parsed.error) });
      accept((batch) => batch.addParked(parsed.data));
    },
    schemeFailing(e) {
      if (closed) return logger.warn('alert after close ignored', { schemeId: e?.schemeId });
      const parsed = SchemeFailingInput.safeParse(e);
      if (!parsed.success) return logger.warn('invalid schemeFailing alert ignored', { problem: z.prettifyError(parsed.error) });
      accept((batch) => batch.addSchemeFailing(parsed.data));
    },
    flush,
    async close() {
      closed = true;
      await flushWithin(closeTimeoutMs);
    },
    stats: () => ({ ...stats }),
  };
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  return `${err.name}${typeof code === 'string' ? ` ${code}` : ''}: ${err.message}`;
}

/** Removes the webhook URL (it embeds the robot's token), its path and the signing secret from a message. */
function scrub(text: string, channel: ChannelConfig): string {
  let out = text;
  const secrets = [channel.url, 'secret' in channel ? channel.secret : undefined];
  try {
    const u = new URL(channel.url);
    secrets.push(`${u.pathname}${u.search}`, u.search.slice(1));
  } catch {
    /* config validation makes this unreachable */
  }
  for (const s of secrets) if (s && s.length > 1) out = out.split(s).join('[redacted]');
  return redactText(out);
}
