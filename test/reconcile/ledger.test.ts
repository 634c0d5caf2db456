// How reconcile reads the decisions ledger: operators' decisions honoured, cancelled runs deciding nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toLedgerDecision } from '../../src/reconcile/ledger';

const base = { schemeId: 'jst', asId: '5000123', recordModified: '2026-01-02 10:00:00' };

test('an accepted drift keeps its record version, so a later version is compared again', () => {
  assert.deepEqual(toLedgerDecision({ ...base, decision: 'accepted', billNo: '5000123', reason: 'kept' }), {
    asId: '5000123', decision: 'accepted', version: '2026-01-02 10:00:00', billNo: '5000123', reason: 'kept',
  });
});

test('a reversed drift reads as an operator taking the refund out; a cancelled run decides nothing', () => {
  assert.deepEqual(toLedgerDecision({ ...base, decision: 'reversed', reason: 'buyer cancelled' }), {
    asId: '5000123', decision: 'skipped', version: '2026-01-02 10:00:00', reason: 'drift reversed: buyer cancelled',
  });
  assert.equal(toLedgerDecision({ ...base, decision: 'cancelled' }), undefined);
});
