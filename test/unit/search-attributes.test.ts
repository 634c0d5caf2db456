import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namespaceProblems, tcldCommands, type NamespaceState } from '../../src/temporal/namespace-setup';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeTypeName } from '../../src/temporal/search-attributes';

const state = (actual: Record<string, string | undefined>): NamespaceState => ({
  namespace: 'prod',
  exists: true,
  attributes: ALL_SEARCH_ATTRIBUTES.map((k) => ({ name: k.name, expected: searchAttributeTypeName(k.type), actual: actual[k.name] })),
});

test('the one list names every attribute the product uses, with its type', () => {
  assert.deepEqual(
    ALL_SEARCH_ATTRIBUTES.map((k) => `${k.name}=${searchAttributeTypeName(k.type)}`),
    ['JstAsId=Keyword', 'JstShopId=Keyword', 'SchemeId=Keyword', 'SyncStatus=Keyword', 'FailedStep=Keyword', 'KingdeeBillNo=Keyword', 'SyncReason=Text'],
  );
});

test('missing attributes are named with their type and the fix; a complete namespace has no problem', () => {
  const all = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, searchAttributeTypeName(k.type)]));
  assert.deepEqual(namespaceProblems(state(all)), []);
  const [problem] = namespaceProblems(state({ ...all, SyncReason: undefined, FailedStep: undefined }));
  assert.match(problem!, /FailedStep \(Keyword\), SyncReason \(Text\); fix: erp-bridge setup/);
});

test('an attribute with another type names both types', () => {
  const all = Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, searchAttributeTypeName(k.type)]));
  const [problem] = namespaceProblems(state({ ...all, SyncReason: 'Keyword' }));
  assert.match(problem!, /SyncReason exists as Keyword but erp-bridge needs Text/);
});

test('a missing namespace says how to create it; Cloud gets one tcld command per missing attribute', () => {
  assert.match(namespaceProblems({ namespace: 'prod', exists: false, attributes: [] })[0]!, /temporal operator namespace create --namespace prod/);
  assert.deepEqual(tcldCommands(state({ JstAsId: 'Keyword', JstShopId: 'Keyword', SchemeId: 'Keyword', SyncStatus: 'Keyword', FailedStep: 'Keyword', KingdeeBillNo: 'Keyword' })), [
    'tcld namespace search-attributes add --namespace prod --search-attribute "SyncReason=Text"',
  ]);
});
