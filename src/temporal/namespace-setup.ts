// What erp-bridge needs on a Temporal namespace, checked and (where the server allows) created: the namespace
// itself, a retention worth having, and every custom search attribute from the one list with its type.
// `erp-bridge setup` creates; `check` and the worker's start-up inspect. Temporal Cloud refuses the operator call
// that adds attributes (they are added with `tcld` or the Cloud UI), so there we print the exact commands.
import type { ConnectionLike as Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeTypeName } from './search-attributes';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

const INDEXED_TYPE: Record<SearchAttributeType, temporal.api.enums.v1.IndexedValueType> = {
  TEXT: IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  INT: IndexedValueType.INDEXED_VALUE_TYPE_INT,
  DOUBLE: IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  BOOL: IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  DATETIME: IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  KEYWORD_LIST: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

const TYPE_OF_INDEXED = new Map(Object.entries(INDEXED_TYPE).map(([type, indexed]) => [indexed, type as SearchAttributeType]));

export interface AttributeState {
  name: string;
  /** The type erp-bridge needs, as Temporal's CLI spells it (Keyword, Text, …). */
  expected: string;
  /** The type the namespace has, or undefined when the attribute is missing. */
  actual?: string;
}

export interface NamespaceState {
  namespace: string;
  exists: boolean;
  retentionMs?: number;
  attributes: AttributeState[];
}

/** The gRPC status codes we act on (grpc.status), spelled out to avoid depending on @grpc/grpc-js directly. */
const GrpcStatus = { NOT_FOUND: 5, PERMISSION_DENIED: 7, UNIMPLEMENTED: 12, UNAUTHENTICATED: 16 } as const;
const grpcCode = (err: unknown): number | undefined => (err as { code?: number } | null)?.code;

export const namespaceCreateHint = (namespace: string) =>
  `create it: temporal operator namespace create --namespace ${namespace} --retention 30d ` +
  '(self-hosted), or in the Temporal Cloud UI / `tcld namespace create` (Cloud)';

export async function inspectNamespace(connection: Connection, namespace: string): Promise<NamespaceState> {
  let retentionMs: number | undefined;
  try {
    const described = await connection.workflowService.describeNamespace({ namespace });
    const ttl = described.config?.workflowExecutionRetentionTtl;
    retentionMs = ttl ? Number(ttl.seconds ?? 0) * 1000 + Math.round((ttl.nanos ?? 0) / 1e6) : undefined;
  } catch (err) {
    if (grpcCode(err) === GrpcStatus.NOT_FOUND) return { namespace, exists: false, attributes: [] };
    throw err;
  }
  const listed = await connection.operatorService.listSearchAttributes({ namespace });
  const custom = listed.customAttributes ?? {};
  const attributes = ALL_SEARCH_ATTRIBUTES.map((key): AttributeState => {
    const indexed = custom[key.name];
    const actualType = indexed === undefined ? undefined : TYPE_OF_INDEXED.get(indexed);
    return {
      name: key.name,
      expected: searchAttributeTypeName(key.type),
      actual: indexed === undefined ? undefined : actualType ? searchAttributeTypeName(actualType) : `type #${indexed}`,
    };
  });
  return { namespace, exists: true, retentionMs, attributes };
}

export const missingAttributes = (state: NamespaceState) => state.attributes.filter((a) => a.actual === undefined);
export const mistypedAttributes = (state: NamespaceState) => state.attributes.filter((a) => a.actual !== undefined && a.actual !== a.expected);

/** Problems that stop erp-bridge from working on this namespace, each a sentence with its fix. */
export function namespaceProblems(state: NamespaceState): string[] {
  if (!state.exists) return [`namespace ${state.namespace} does not exist; ${namespaceCreateHint(state.namespace)}`];
  const problems = mistypedAttributes(state).map(
    (a) =>
      `search attribute ${a.name} exists as ${a.actual} but erp-bridge needs ${a.expected}; a type cannot be changed in place: ` +
      `use another namespace, or remove it (temporal operator search-attribute remove --name ${a.name}) and run erp-bridge setup`,
  );
  const missing = missingAttributes(state);
  if (missing.length > 0) {
    problems.push(`search attribute${missing.length > 1 ? 's' : ''} missing on namespace ${state.namespace}: ${missing.map((a) => `${a.name} (${a.expected})`).join(', ')}; fix: erp-bridge setup`);
  }
  return problems;
}

/** The commands that add the missing attributes on Temporal Cloud, where the operator API refuses. */
export function tcldCommands(state: NamespaceState): string[] {
  return missingAttributes(state).map(
    (a) => `tcld namespace search-attributes add --namespace ${state.namespace} --search-attribute "${a.name}=${a.expected}"`,
  );
}

export class NamespaceSetupError extends Error {
  override name = 'NamespaceSetupError';
  constructor(message: string, readonly commands: string[] = []) {
    super(message);
  }
}

/**
 * Adds every missing attribute (idempotent: nothing to add, nothing done). Refuses to touch a mistyped one.
 * Returns the names added.
 */
export async function registerSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const state = await inspectNamespace(connection, namespace);
  const blocking = state.exists ? mistypedAttributes(state) : [];
  if (!state.exists || blocking.length > 0) throw new NamespaceSetupError(namespaceProblems(state).filter((p) => !p.includes('missing')).join('\n'));
  const missing = missingAttributes(state);
  if (missing.length === 0) return [];
  const searchAttributes = Object.fromEntries(
    missing.map((a) => [a.name, INDEXED_TYPE[ALL_SEARCH_ATTRIBUTES.find((k) => k.name === a.name)!.type]]),
  );
  try {
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
  } catch (err) {
    const code = grpcCode(err);
    if (code === GrpcStatus.PERMISSION_DENIED || code === GrpcStatus.UNIMPLEMENTED || code === GrpcStatus.UNAUTHENTICATED) {
      throw new NamespaceSetupError(
        `the server refused to add search attributes (${err instanceof Error ? err.message : String(err)}). ` +
          'On Temporal Cloud add them with tcld (or in the Cloud UI, namespace → Search attributes):',
        tcldCommands(state),
      );
    }
    throw err;
  }
  // Visibility picks new attributes up asynchronously; wait until the namespace lists them all.
  for (let i = 0; i < 50; i++) {
    if (missingAttributes(await inspectNamespace(connection, namespace)).length === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return missing.map((a) => a.name);
}
