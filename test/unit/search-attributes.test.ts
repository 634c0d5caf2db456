import assert from 'node:assert/strict';
import { test } from 'node:test';
import { searchAttributeFlags } from '../../src/temporal/search-attributes';

test('every custom search attribute becomes a start-dev flag with its type', () => {
  const flags = searchAttributeFlags();
  assert.deepEqual(flags.slice(0, 2), ['--search-attribute', 'JstAsId=Keyword']);
  const names = flags.filter((_, i) => i % 2 === 1).map((f) => f.split('=')[0]);
  assert.deepEqual(names, ['JstAsId', 'JstShopId', 'SchemeId', 'SyncStatus', 'FailedStep', 'KingdeeBillNo', 'SyncReason']);
});
