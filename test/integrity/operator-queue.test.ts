// Issue 16, point 6: actions that arrive during an attempt wait in a queue; skip > newer record > reprocess.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasQueuedAction, nextAction, type ActionQueue } from '../../src/workflows/operator-queue';

test('skip wins over a newer record and a reprocess, and empties the queue', () => {
  const q: ActionQueue<string> = { reprocess: { reason: 'r' }, newer: 'v2', skip: { reason: 'booked by hand' } };
  assert.deepEqual(nextAction(q), { kind: 'skip', reason: 'booked by hand' });
  assert.equal(hasQueuedAction(q), false);
});

test('a newer record wins over a reprocess, which it consumes', () => {
  const q: ActionQueue<string> = { reprocess: { reason: 'r' }, newer: 'v2' };
  assert.deepEqual(nextAction(q), { kind: 'newer', version: 'v2' });
  assert.equal(nextAction(q), undefined);
});

test('a reprocess alone is taken; an empty queue gives nothing; looking does not take', () => {
  const q: ActionQueue<string> = { reprocess: { reason: 'vat fixed' } };
  assert.equal(hasQueuedAction(q), true);
  assert.equal(hasQueuedAction(q), true, 'hasQueuedAction leaves the action queued');
  assert.deepEqual(nextAction(q), { kind: 'reprocess', reason: 'vat fixed' });
  assert.equal(nextAction(q), undefined);
});
