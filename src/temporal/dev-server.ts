// Starts and stops a plain `temporal server start-dev` as a child process: used by the dev-server command,
// the demo, the integration-test harness and the chaos run (which restarts it on its database). It passes no
// erp-bridge-specific flags: the namespace is prepared by `erp-bridge setup` exactly as on any other server.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  ip?: string;
  /** gRPC port; 0 picks a free one. */
  port?: number;
  /** Web UI port; 0 picks a free one; `false` runs headless. */
  uiPort?: number | false;
  /** SQLite file for persistence; omitted means in-memory. */
  dbFile?: string;
  /** Where the server's own output goes; omitted means discarded. */
  logFile?: string;
  namespace?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** More `start-dev` flags (e.g. `--dynamic-config-value` for the history recorder); never the product's own set-up. */
  extraArgs?: string[];
}

export interface RunningDevServer {
  address: string;
  uiUrl?: string;
  namespace: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const cli = ensureTemporalCli(options.log);
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const port = options.port || (await freePort(ip));
  const uiPort = options.uiPort === false ? undefined : options.uiPort || (await freePort(ip));

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--namespace', namespace, '--log-level', 'warn'];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (options.dbFile) {
    mkdirSync(path.dirname(options.dbFile), { recursive: true });
    args.push('--db-filename', options.dbFile);
  }

  args.push(...(options.extraArgs ?? []));

  let output: 'ignore' | number = 'ignore';
  if (options.logFile) {
    mkdirSync(path.dirname(options.logFile), { recursive: true });
    output = openSync(options.logFile, 'a');
  }
  const child = spawn(cli, args, { stdio: ['ignore', output, output] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const address = `${ip}:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(`temporal server start-dev exited with code ${exitCode} before serving on ${address}` +
        (options.logFile ? `; see ${options.logFile}` : ''));
    }
    if (await isServing(address, namespace)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`temporal server start-dev did not serve on ${address} within ${options.readyTimeoutMs ?? 60_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  return {
    address,
    uiUrl: uiPort === undefined ? undefined : `http://${ip}:${uiPort}`,
    namespace,
    process: child,
    async stop() {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** True once the frontend answers and the namespace is registered. */
async function isServing(address: string, namespace: string): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: 1_000 });
    await connection.workflowService.describeNamespace({ namespace });
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => {});
  }
}
