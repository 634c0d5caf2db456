// reconcile's Jushuitan side on the simulator: every record of the range once with the scheme's verdict,
// the bill that mapping it gives, and a record failing validation reported instead of failing the run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Schemes } from '../../src/activities/ports';
import { readJstRecords } from '../../src/reconcile/jst-records';
import { generateWorld } from '../../src/sim/world';
import { clientFor, withSimulator } from '../jushuitan/support/helpers';

const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-21T00:00:00Z');

/** A scheme stand-in: even as_ids are eligible; the bill has one line per item with its quantity. */
const schemes: Schemes = {
  sourceConfig: () => ({ keyField: 'as_id', versionField: 'modified', pageSize: 50 }),
  eligibility: (_id, r) => (Number(r.as_id) % 2 === 0 ? { eligible: true } : { eligible: false, reason: 'odd' }),
  project: (_id, r) => r,
  lookups: async () => ({}),
  lookupsForMany: async (_id, records) => records.map(() => ({})),
  prepare: (_id, r) => ({
    ok: true, formId: 'SAL_RETURNSTOCK', billNo: String(r.as_id), endState: 'audited', options: {}, warnings: [],
    model: { FEntity: (r.items as Array<{ sku_id: string; qty: number }>).map((i) => ({ FMaterialId: { FNumber: i.sku_id }, FRealQty: i.qty, FPrice: 1 })) },
  }),
};

test('every record once with its verdict and expected bill; a record failing validation is reported as invalid', async () => {
  const world = generateWorld({ seed: 51, refunds: 70, from: FROM, to: TO });
  const bad = world.refunds[5]!;
  (bad.items[0] as unknown as Record<string, unknown>).qty = 'lots';
  await withSimulator({ world }, async (sim) => {
    const read: number[] = [];
    const result = await readJstRecords(clientFor(sim), schemes, { schemeId: 's', from: FROM, to: TO, onRecord: (n) => read.push(n) });
    assert.equal(result.records.length, 70);
    assert.equal(new Set(result.records.map((r) => r.asId)).size, 70, 'each as_id once');
    assert.equal(read.at(-1), 70, 'progress saw every record');
    const invalid = result.records.find((r) => r.asId === String(bad.as_id))!;
    assert.deepEqual(invalid.verdict, { kind: 'invalid', reason: 'invalid Jushuitan record: items.0.qty: expected a number or a numeric string' });
    for (const r of result.records.filter((x) => x.asId !== String(bad.as_id))) {
      if (Number(r.asId) % 2 === 0) {
        assert.equal(r.verdict.kind, 'eligible');
        assert.ok(r.verdict.kind === 'eligible' && r.verdict.expected.ok && r.verdict.expected.billNo === r.asId);
      } else {
        assert.deepEqual(r.verdict, { kind: 'ineligible', reason: 'odd' });
      }
    }
    assert.deepEqual(result.unidentified, []);
  });
});
