// Which parks retry by themselves, and how the wait grows (pure; the workflow's use is in park-auto-retry.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_PARK_RETRY_MS, nextRetryDelay, PARK_RETRY_GIVE_UP_MS, timeCanFix } from '../../src/workflows/park-retry';

const business = { business: true, configuration: false };

test('missing references and systems down through every retry are fixed by time; data errors are not', () => {
  assert.equal(timeCanFix('mapping', ['FRetcustId: no customer in Kingdee BD_Customer (customers) where FName=店'], business), true);
  assert.equal(timeCanFix('mapping', ['FEntity[1].FSrcBillNo: no outbound line in Kingdee SAL_OUTSTOCK where F_PSEH_TEXT=1'], business), true);
  assert.equal(timeCanFix('lookups', ['gave up after retries: connect ECONNREFUSED'], { business: false, configuration: false }), true);
  assert.equal(timeCanFix('save', ['gave up after retries: Kingdee request timed out'], { business: false, configuration: false }), true);
  // One data error among missing references: an operator must look.
  assert.equal(timeCanFix('mapping', ['FRetcustId: no customer in Kingdee BD_Customer', 'FEntity[1].FRealQty: -1 is below the minimum 0'], business), false);
  assert.equal(timeCanFix('save', ['退货数量超出可退数量'], business), false);
  assert.equal(timeCanFix('eligibility', ['invalid Jushuitan record: items[0].qty'], business), false);
  assert.equal(timeCanFix('lookups', ['configuration: login refused'], { business: false, configuration: true }), false);
  // A final error its connector refused to retry is not "unavailable".
  assert.equal(timeCanFix('save', ['response did not match the schema'], { business: false, configuration: false }), false);
});

test('the wait starts at the configured retry, doubles up to 6 hours, and stops after 7 days of waiting', () => {
  const policy = { firstMs: 5 * 60_000, maxMs: MAX_PARK_RETRY_MS, giveUpAfterMs: PARK_RETRY_GIVE_UP_MS };
  const waits: number[] = [];
  let state = { attempts: 0, waitedMs: 0 };
  for (;;) {
    const delay = nextRetryDelay(policy, state);
    if (delay === undefined) break;
    waits.push(delay);
    state = { attempts: state.attempts + 1, waitedMs: state.waitedMs + delay };
  }
  assert.deepEqual(waits.slice(0, 4), [5 * 60_000, 10 * 60_000, 20 * 60_000, 40 * 60_000]);
  assert.equal(Math.max(...waits), MAX_PARK_RETRY_MS);
  assert.ok(state.waitedMs <= PARK_RETRY_GIVE_UP_MS, 'never waits past 7 days');
  assert.ok(state.waitedMs + MAX_PARK_RETRY_MS > PARK_RETRY_GIVE_UP_MS, 'retries until the 7 days are nearly spent');
});
