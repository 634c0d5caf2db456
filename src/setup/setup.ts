// `erp-bridge setup`: prepares a namespace and a state store for erp-bridge, idempotently. Each step reports what it
// did ("added …", "already …"), so a second run shows that it changed nothing.
import type { Client, ScheduleOptions } from '@temporalio/client';
import { migrate, openStateStore, type StoreConfig } from '../store';
import { LATEST_SCHEMA_VERSION } from '../store';
import { registerSearchAttributes } from '../temporal/namespace-setup';
import { applySchedule } from '../temporal/schedules';

export interface SetupInput {
  client: Client;
  store: StoreConfig;
  /** One per scheme; empty with --no-schedules. */
  schedules: ScheduleOptions[];
  log: (line: string) => void;
}

export async function runSetup(input: SetupInput): Promise<void> {
  const { client, log } = input;
  const namespace = client.options.namespace;
  const added = await registerSearchAttributes(client.connection, namespace);
  log(added.length > 0 ? `search attributes: added ${added.join(', ')} on namespace ${namespace}` : `search attributes: all present on namespace ${namespace}`);

  const store = await openStateStore(input.store);
  try {
    const applied = await migrate(store);
    log(
      applied.length > 0
        ? `state store: ${store.description}: applied migration(s) ${applied.join(', ')}, now at schema version ${LATEST_SCHEMA_VERSION}`
        : `state store: ${store.description}: already at schema version ${LATEST_SCHEMA_VERSION}`,
    );
  } finally {
    await store.close();
  }

  for (const options of input.schedules) {
    log(`schedule ${options.scheduleId}: ${await applySchedule(client, options)}`);
  }
}
