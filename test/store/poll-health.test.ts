// Poll health on a real PostgreSQL: failure and all-parked streaks, and alerts claimed once per period.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrate, openStateStore, type SqlStore } from '../../src/store';
import { pollHealth } from '../../src/store/poll-health';
import { createTestDatabase } from '../support/postgres';

let store: SqlStore;
before(async () => {
  store = await openStateStore({ databaseUrl: await createTestDatabase('poll_health'), dataDir: '' });
  await migrate(store);
});
after(async () => {
  await store?.close();
});

test('failed runs count in a row until a run completes; schemes are apart', async () => {
  const health = pollHealth(store);
  assert.equal(await health.runFailed('s1', 'page cap'), 1);
  assert.equal(await health.runFailed('s1', 'page cap'), 2);
  assert.equal(await health.failures('s2'), 0);
  await health.runCompleted('s1');
  assert.equal(await health.failures('s1'), 0);
  assert.equal(await health.runFailed('s1', 'Jushuitan down'), 1);
});

test('all parked: from the first park after a sync, ended by the next sync', async () => {
  const health = pollHealth(store);
  assert.equal(await health.allParked('p1'), undefined);
  await health.refundParked('p1');
  const first = await health.allParked('p1');
  assert.ok(first);
  await health.refundParked('p1');
  const second = await health.allParked('p1');
  assert.equal(second?.count, 2);
  assert.equal(second?.since.getTime(), first.since.getTime(), 'the streak keeps its start');
  await health.refundSynced('p1');
  assert.equal(await health.allParked('p1'), undefined);
});

test('an alert is claimed once per period and kind, and again at once after it is cleared', async () => {
  const health = pollHealth(store);
  const hour = 3600_000;
  assert.equal(await health.claimAlert('a1', 'lag', hour), true);
  assert.equal(await health.claimAlert('a1', 'lag', hour), false, 'within the hour');
  assert.equal(await health.claimAlert('a1', 'failure', hour), true, 'another kind');
  const both = await Promise.all([health.claimAlert('a2', 'parked', hour), health.claimAlert('a2', 'parked', hour)]);
  assert.deepEqual(both.sort(), [false, true], 'two workers at once: one alert');
  await health.clearAlert('a1', 'lag');
  assert.equal(await health.claimAlert('a1', 'lag', hour), true);
  // A completed run ends the failure streak: the next failure is alerted at once.
  await health.runCompleted('a1');
  assert.equal(await health.claimAlert('a1', 'failure', hour), true);
  assert.equal(await health.claimAlert('a1', 'failure', 0), true, 'a zero period always claims');
  assert.equal(await health.claimAlert('a3', 'parked', 'once'), true);
  assert.equal(await health.claimAlert('a3', 'parked', 'once'), false, 'once: until the streak ends');
  await health.refundParked('a3');
  await health.refundSynced('a3');
  assert.equal(await health.claimAlert('a3', 'parked', 'once'), true, 'a sync ended the streak: the next one alerts');
});
