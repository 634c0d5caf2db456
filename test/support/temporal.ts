// Shared access to the harness's Temporal dev server. Fails loudly when run outside the harness.
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';

export interface TestTemporal {
  /** host:port of the harness's server, for worker processes. */
  address: string;
  client: Client;
  nativeConnection: NativeConnection;
  namespace: string;
  workflowBundlePath: string;
  /** A task queue of its own for each test, so tests never steal each other's tasks. */
  taskQueue(prefix?: string): string;
  close(): Promise<void>;
}

export async function connectTestTemporal(): Promise<TestTemporal> {
  const address = process.env.TEMPORAL_ADDRESS;
  const workflowBundlePath = process.env.ERP_BRIDGE_TEST_BUNDLE;
  if (!address || !workflowBundlePath) {
    throw new Error('Integration tests need the harness: run `npm test` (or node --import tsx scripts/run-tests.ts <file>)');
  }
  quietRuntime();
  const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  return {
    address,
    client: new Client({ connection, namespace }),
    nativeConnection,
    namespace,
    workflowBundlePath,
    taskQueue: (prefix = 'test') => `${prefix}-${randomUUID()}`,
    async close() {
      await nativeConnection.close();
      await connection.close();
    },
  };
}

let runtimeInstalled = false;
/**
 * Worker logs (warnings and errors of the SDK, workflows and activities) go to a file per test process under
 * .tools/test-logs/, not among the results; the harness names the folder when a test fails.
 */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  const dir = process.env.ERP_BRIDGE_TEST_LOG_DIR;
  const file = dir ? path.join(dir, `${path.basename(process.argv[1] ?? 'test', '.ts')}-${process.pid}.log`) : undefined;
  if (dir) mkdirSync(dir, { recursive: true });
  Runtime.install({
    logger: new DefaultLogger('WARN', (entry) => {
      const line = `${new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString()} [${entry.level}] ${entry.message} ${JSON.stringify(entry.meta ?? {})}\n`;
      if (file) appendFileSync(file, line);
      else process.stderr.write(line);
    }),
  });
  runtimeInstalled = true;
}
