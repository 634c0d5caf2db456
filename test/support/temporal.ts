// Shared access to the harness's Temporal dev server. Fails loudly when run outside the harness.
import { randomUUID } from 'node:crypto';
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
/** Worker lifecycle INFO lines drown test output; warnings and errors still show. */
function quietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}
