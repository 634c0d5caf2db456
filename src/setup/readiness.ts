// What must be in place before erp-bridge can run, inspected without changing anything: the Temporal namespace
// (exists, retention), every custom search attribute with its type, and the state store at this build's schema.
// `check` prints these; the worker refuses to start while any fails, so no workflow task ever fails over visibility.
import type { ConnectionLike as Connection } from '@temporalio/client';
import { openStateStore, schemaState, type StoreConfig } from '../store';
import { inspectNamespace, namespaceProblems } from '../temporal/namespace-setup';

export interface ReadinessItem {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** A concern worth printing that does not stop anything (a short retention, say). */
  warning?: string;
}

const DAY_MS = 86_400_000;
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

export async function namespaceReadiness(connection: Connection, namespace: string, options: { lookbackMs?: number } = {}): Promise<ReadinessItem[]> {
  const state = await inspectNamespace(connection, namespace);
  if (!state.exists) {
    return [{ name: 'temporal namespace', ok: false, detail: namespaceProblems(state)[0]!, fix: `temporal operator namespace create --namespace ${namespace}` }];
  }
  const retentionDays = state.retentionMs === undefined ? undefined : state.retentionMs / DAY_MS;
  const retention: ReadinessItem = {
    name: 'temporal namespace',
    ok: true,
    detail: `${namespace}, retention ${retentionDays === undefined ? 'unknown' : `${+retentionDays.toFixed(2)} day(s)`}`,
  };
  if (state.retentionMs !== undefined && options.lookbackMs !== undefined && state.retentionMs < options.lookbackMs) {
    retention.warning =
      `retention is shorter than ERP_BRIDGE_LOOKBACK (${options.lookbackMs / 3600_000} h): closed refunds vanish from Temporal before a ` +
      're-read of their window; the state store\'s decisions keep them from being booked twice';
  }
  const problems = namespaceProblems(state);
  const attributes: ReadinessItem = problems.length === 0
    ? { name: 'search attributes', ok: true, detail: `all ${state.attributes.length} present with their types` }
    : { name: 'search attributes', ok: false, detail: problems.join('; '), fix: 'erp-bridge setup (on Temporal Cloud it prints the tcld commands)' };
  return [retention, attributes];
}

export async function storeReadiness(config: StoreConfig): Promise<ReadinessItem> {
  const name = 'state store';
  let store;
  try {
    store = await openStateStore(config);
  } catch (err) {
    return { name, ok: false, detail: message(err), fix: 'Set ERP_BRIDGE_DATABASE_URL to a reachable PostgreSQL 14+ (or unset it for the embedded store of a single process).' };
  }
  try {
    const { current, latest } = await schemaState(store);
    if (current === latest) return { name, ok: true, detail: `${store.description}, schema version ${current}` };
    if (current > latest) {
      return { name, ok: false, detail: `${store.description} is at schema version ${current}, newer than this build (${latest})`, fix: 'Run the newer erp-bridge build.' };
    }
    return {
      name,
      ok: false,
      detail: `${store.description} is at schema version ${current}, this build needs ${latest}`,
      fix: 'erp-bridge setup (applies the migrations)',
    };
  } catch (err) {
    return { name, ok: false, detail: `${store.description}: ${message(err)}`, fix: 'Check ERP_BRIDGE_DATABASE_URL and the database user\'s rights.' };
  } finally {
    await store.close().catch(() => undefined);
  }
}

/** Every item, for the worker's start-up gate and `check`. */
export async function deploymentReadiness(input: {
  connection: Connection;
  namespace: string;
  store: StoreConfig;
  lookbackMs?: number;
}): Promise<ReadinessItem[]> {
  return [...(await namespaceReadiness(input.connection, input.namespace, { lookbackMs: input.lookbackMs })), await storeReadiness(input.store)];
}

export function formatNotReady(items: ReadinessItem[]): string {
  return items
    .filter((i) => !i.ok)
    .map((i) => `  ${i.name}: ${i.detail}${i.fix ? `\n    fix: ${i.fix}` : ''}`)
    .join('\n');
}
