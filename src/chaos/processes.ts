// Process control for the chaos run: the worker as a separate OS process (`erp-bridge worker`), killed with
// SIGKILL and started again, and the Temporal dev server restarted on its database and ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { connectorEnv } from '../sim/simulated-systems';
import { freePort, startDevServer, type RunningDevServer } from '../temporal/dev-server';
import { PROJECT_ROOT } from '../temporal/temporal-cli';

/** What the worker CLI prints (stderr) once it is connected and polling its task queue. */
const READY_LINE = 'erp-bridge worker on ';
const BIN = path.join(PROJECT_ROOT, 'bin', 'erp-bridge.js');

export interface WorkerChildOptions {
  /** The worker's whole environment (JST_*, KINGDEE_*, TEMPORAL_*, ERP_BRIDGE_*, PATH, …). */
  env: NodeJS.ProcessEnv;
  /** Both output streams are appended here. */
  logFile: string;
  readyTimeoutMs?: number;
  /** Every output line (stdout carries the JSON logs). */
  onLine?: (line: string) => void;
  /** A start that was not asked for: the worker died by itself and was started again. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
}

/** `erp-bridge worker` as a child process; restarts itself if it dies without being asked to. */
export class WorkerChild {
  starts = 0;
  kills = 0;
  unexpectedExits = 0;
  private child: ChildProcess | undefined;
  /** The start in progress (asked for, or after a crash), so a kill waits for a worker to kill. */
  private starting: Promise<void> | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private stopped = false;

  constructor(private readonly options: WorkerChildOptions) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
  }

  get environment(): NodeJS.ProcessEnv {
    return this.options.env;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Spawns the worker and resolves once it reports it is polling. */
  async start(): Promise<void> {
    this.stopped = false;
    this.starting = this.spawnUntilReady();
    await this.starting;
  }

  private async spawnUntilReady(): Promise<void> {
    if (this.child) throw new Error('the worker is already running');
    this.expectingExit = false;
    const metrics = `127.0.0.1:${await freePort()}`;
    const child = spawn(process.execPath, [BIN, 'worker', '--metrics', metrics], {
      cwd: PROJECT_ROOT,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.note(`--- worker start ${this.starts} (pid ${child.pid}) ---`);

    let ready!: () => void;
    let failed!: (err: Error) => void;
    const readyOrFailed = new Promise<void>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      let buffered = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          this.note(line);
          this.options.onLine?.(line);
          if (line.startsWith(READY_LINE)) ready();
        }
      });
    }
    this.exited = new Promise<void>((resolve) => {
      child.once('exit', (code, signal) => {
        this.note(`--- worker exit (pid ${child.pid}, code ${code}, signal ${signal}) ---`);
        if (this.child === child) this.child = undefined;
        failed(new Error(`the worker exited (code ${code}, signal ${signal}) before it was ready; see ${this.options.logFile}`));
        resolve();
        if (!this.expectingExit && !this.stopped) {
          this.unexpectedExits++;
          this.options.onUnexpectedExit?.(code, signal);
          // Keep the run going: a worker that dies by itself is started again, and the report counts it.
          this.starting = this.recover();
        }
      });
    });

    const timeoutMs = this.options.readyTimeoutMs ?? 120_000;
    const timer = setTimeout(() => {
      failed(new Error(`the worker did not become ready within ${timeoutMs} ms; see ${this.options.logFile}`));
      this.expectingExit = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    try {
      await readyOrFailed;
    } finally {
      clearTimeout(timer);
    }
  }

  private async recover(): Promise<void> {
    while (!this.stopped && !this.child) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      if (this.stopped || this.child) return;
      try {
        await this.spawnUntilReady();
      } catch {
        // e.g. the server is down: try again
      }
    }
  }

  /** SIGKILL: no shutdown, no goodbye to the server; in-flight activities are lost until they time out. */
  async kill(): Promise<void> {
    await this.starting?.catch(() => {});
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    this.kills++;
    child.kill('SIGKILL');
    await this.exited;
  }

  /** Graceful stop at the end of the run (SIGTERM, then SIGKILL after a grace period). */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => {});
    const child = this.child;
    if (!child) return;
    this.expectingExit = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  private note(line: string): void {
    appendFileSync(this.options.logFile, `${line}\n`);
  }
}

export interface ServerControlOptions {
  /** SQLite file: the server's state survives restarts. */
  dbFile: string;
  logFile: string;
  log?: (line: string) => void;
}

/** The Temporal dev server on a persistent database, restartable on the same address. */
export class DevServerControl {
  restarts = 0;
  private server: RunningDevServer | undefined;
  private port = 0;

  constructor(private readonly options: ServerControlOptions) {}

  get address(): string {
    if (!this.server) throw new Error('the dev server is not running');
    return this.server.address;
  }

  get namespace(): string {
    return this.server?.namespace ?? 'default';
  }

  async start(): Promise<void> {
    this.server = await startDevServer({
      port: this.port,
      uiPort: false,
      dbFile: this.options.dbFile,
      logFile: this.options.logFile,
      log: this.options.log,
    });
    this.port = Number(this.server.address.split(':').pop());
  }

  /** Stops the server, waits, and starts it again on the same port and database. */
  async restart(downMs: number): Promise<void> {
    await this.stop();
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
    this.restarts++;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

export interface WorkerTargets {
  jushuitan: { baseUrl: string; appKey: string; appSecret: string; accessToken: string; refreshToken?: string };
  kingdee: { baseUrl: string; acctId: string; username: string; password?: string; lcid?: number };
  temporal: { address: string; namespace: string };
  taskQueue: string;
  /** Client-side Jushuitan limits: at or below what the server allows. */
  jstRate: { perSecond: number; perMinute: number };
  kingdeeConcurrency: number;
  /** The state store every worker shares. */
  databaseUrl: string;
}

/**
 * The worker's environment: the parent's (PATH, HOME, …) without any JST_*, KINGDEE_*, TEMPORAL_* or
 * ERP_BRIDGE_* of its own (they must not leak in), plus exactly the variables that point at these systems.
 */
export function workerEnvironment(t: WorkerTargets, parent: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(parent).filter(([k]) => !/^(JST_|KINGDEE_|TEMPORAL_|ERP_BRIDGE_)/.test(k)));
  return {
    ...base,
    TEMPORAL_ADDRESS: t.temporal.address,
    TEMPORAL_NAMESPACE: t.temporal.namespace,
    ERP_BRIDGE_TASK_QUEUE: t.taskQueue,
    ...connectorEnv(t),
    JST_RATE_PER_SECOND: String(t.jstRate.perSecond),
    JST_RATE_PER_MINUTE: String(t.jstRate.perMinute),
    KINGDEE_MAX_CONCURRENCY: String(t.kingdeeConcurrency),
    ERP_BRIDGE_DATABASE_URL: t.databaseUrl,
    // A retried write waits out one request timeout; the simulator answers within its latency spikes (≤ 4 s),
    // so 15 s keeps lost replies and killed workers costing seconds, not the production default's minutes.
    KINGDEE_TIMEOUT_MS: String(CHAOS_KINGDEE_TIMEOUT_MS),
  };
}

/** The chaos worker's Kingdee request timeout (above every latency the plan injects). */
export const CHAOS_KINGDEE_TIMEOUT_MS = 15_000;
