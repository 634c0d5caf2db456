// Temporal connection settings come from the SDK's standard environment configuration
// (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, temporal.toml),
// so the same build runs against the dev server, a self-hosted cluster or Temporal Cloud.
import { Client, Connection } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { NativeConnection } from '@temporalio/worker';
import { dataConverterFromEnv } from './codec';
import { describeConnectFailure, probeTcp, TemporalUnreachableError } from './unreachable';

export interface TemporalTarget {
  connectionOptions: ReturnType<typeof loadClientConnectConfig>['connectionOptions'];
  namespace: string;
}

export function temporalTarget(): TemporalTarget {
  const config = loadClientConnectConfig();
  return {
    connectionOptions: { ...config.connectionOptions, address: config.connectionOptions.address ?? 'localhost:7233' },
    namespace: config.namespace ?? 'default',
  };
}

/** Connects, or throws TemporalUnreachableError naming the address, the cause in words and the fix. */
async function reach<T>(target: TemporalTarget, connect: () => Promise<T>): Promise<T> {
  const address = String(target.connectionOptions.address);
  // A refused or unresolvable address fails at once, in words, instead of after the SDK's retries.
  const unreachable = await probeTcp(address);
  if (unreachable !== undefined) throw new TemporalUnreachableError(address, target.namespace, unreachable);
  try {
    return await connect();
  } catch (err) {
    throw new TemporalUnreachableError(address, target.namespace, describeConnectFailure(err), { cause: err });
  }
}

/** A client that encrypts and decrypts payloads exactly like the worker when ERP_BRIDGE_CODEC_KEYS is set. */
export async function connectClient(target: TemporalTarget = temporalTarget(), dataConverter = dataConverterFromEnv()): Promise<Client> {
  const connection = await reach(target, () => Connection.connect(target.connectionOptions));
  return new Client({ connection, namespace: target.namespace, ...(dataConverter ? { dataConverter } : {}) });
}

export async function connectWorkerConnection(target: TemporalTarget = temporalTarget()): Promise<NativeConnection> {
  return reach(target, () => NativeConnection.connect(target.connectionOptions));
}
