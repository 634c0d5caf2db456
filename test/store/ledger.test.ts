// The decisions ledger and the poll watermarks on a real PostgreSQL.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { migrate, openStateStore, type SqlStore } from '../../src/store';
import { decisionsLedger } from '../../src/store/decisions';
import { pollWatermarks } from '../../src/store/watermarks';
import { createTestDatabase } from '../support/postgres';

let store: SqlStore;
before(async () => {
  store = await openStateStore({ databaseUrl: await createTestDatabase('ledger'), dataDir: '' });
  await migrate(store);
});
after(async () => {
  await store?.close();
});

test('a decision is found by scheme and as_id, replaced by a later one, and other schemes do not see it', async () => {
  const ledger = decisionsLedger(store);
  await ledger.record({ schemeId: 's1', asId: '5000123', decision: 'synced', billId: '100', billNo: '5000123', recordModified: '2026-01-02 10:00:00', snapshot: { qty: 2 } });
  await ledger.record({ schemeId: 's1', asId: '5000124', decision: 'skipped', reason: 'booked by hand', actor: 'ops' });
  await ledger.record({ schemeId: 's1', asId: '5000124', decision: 'skipped', reason: 'booked by hand', actor: 'ops' }); // a retried write
  const found = await ledger.find('s1', ['5000123', '5000124', '5000125', 'a"b']);
  assert.deepEqual([...found.keys()].sort(), ['5000123', '5000124']);
  assert.equal(found.get('5000123')!.billNo, '5000123');
  assert.deepEqual(found.get('5000123')!.snapshot, { qty: 2 });
  assert.equal(found.get('5000124')!.reason, 'booked by hand');
  assert.equal((await ledger.find('s2', ['5000123'])).size, 0);

  await ledger.record({ schemeId: 's1', asId: '5000124', decision: 'synced', billNo: '5000124' });
  assert.equal((await ledger.find('s1', ['5000124'])).get('5000124')!.decision, 'synced');
});

test('the watermark only moves forward', async () => {
  const marks = pollWatermarks(store);
  assert.equal(await marks.get('s1'), undefined);
  const t1 = new Date('2026-01-10T00:00:00Z');
  const t0 = new Date('2026-01-01T00:00:00Z');
  assert.deepEqual(await marks.advance('s1', t1, 'scheduled run'), t1);
  assert.deepEqual(await marks.advance('s1', t0, 'late backfill'), t1, 'a late run does not move it back');
  assert.deepEqual(await marks.get('s1'), t1);
});
