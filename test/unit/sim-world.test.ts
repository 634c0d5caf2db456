import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateWorld, isEligibleRefund } from '../../src/sim/world';

test('the same seed gives the same world; another seed a different one', () => {
  assert.deepEqual(generateWorld({ seed: 7, refunds: 30 }), generateWorld({ seed: 7, refunds: 30 }));
  assert.notDeepEqual(generateWorld({ seed: 7, refunds: 30 }).refunds, generateWorld({ seed: 8, refunds: 30 }).refunds);
});

test('every refund line points at an outbound line of its order, with a returnable quantity', () => {
  const world = generateWorld({ seed: 3, refunds: 200 });
  for (const refund of world.refunds) {
    const bill = world.outboundBills.find((b) => b.soId === refund.so_id);
    assert.ok(bill, `outbound bill for ${refund.so_id}`);
    for (const item of refund.items) {
      const entry = bill.entries.find((e) => e.onlineLineId === item.outer_oi_id);
      assert.ok(entry && entry.skuId === item.sku_id && Number(item.r_qty) <= entry.qty);
    }
  }
  const eligible = world.refunds.filter(isEligibleRefund).length;
  assert.ok(eligible > 100 && eligible < 200, `a mix of eligible and skipped records (${eligible}/200)`);
  assert.ok(world.refunds.some((r) => r.batchs.length > 0) && world.refunds.some((r) => r.shop_name.includes("'")));
});
