// Issue 16, point 10: money and quantities are exact or rejected, naming the field; nothing becomes empty.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { jstRefundWireSchema, MAX_MONEY } from '../../src/connectors/jushuitan/schemas';
import { convertRaw, exactNumber } from '../../src/scheme/convert';
import { Dec } from '../../src/scheme/decimal';
import { evaluateFilter, mapRecord, resolveLookups } from '../../src/scheme';
import { loadSchemeFile } from '../../src/scheme/load-file';
import { generateWorld } from '../../src/sim/world';
import { worldCollections } from '../scheme/support';

const record = (price: unknown) => ({ as_id: 5000123, modified: '2026-01-01 00:00:00', items: [{ sku_id: 'A-1', price }] });
const problems = (price: unknown) => {
  const r = jstRefundWireSchema.safeParse(record(price));
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

test('a 400-digit price is rejected naming the field, not turned into Infinity', () => {
  const found = problems('1' + '0'.repeat(400));
  assert.equal(found.length, 1);
  assert.match(found[0]!, /^items\.0\.price: an amount with more than 15 significant digits/);
});

test('prices a double cannot carry exactly, or beyond Kingdee\'s 13 integer digits, are rejected', () => {
  assert.match(problems('12.3456789012345678')[0] ?? '', /items\.0\.price/);
  assert.match(problems(1e300)[0] ?? '', /within ±999999999999/);
  assert.match(problems(String(MAX_MONEY + 1))[0] ?? '', /within/);
});

test('ordinary prices pass unchanged; an empty one is absent', () => {
  assert.equal(jstRefundWireSchema.parse(record('12.50')).items?.[0]?.price, 12.5);
  assert.equal(jstRefundWireSchema.parse(record(99.99)).items?.[0]?.price, 99.99);
  assert.equal(jstRefundWireSchema.parse(record('')).items?.[0]?.price, null);
});

test('the scheme engine sends a number only when Kingdee can hold it and JSON can carry it exactly', () => {
  assert.equal(exactNumber(new Dec('1234.5678'), 'FPrice'), 1234.5678);
  assert.throws(() => exactNumber(new Dec('1e400'), '{{price}}'), /\{\{price\}\} is .*more than 13 integer digits/);
  assert.throws(() => exactNumber(new Dec('0.12345678901'), 'FPrice'), /more than 10 decimals/);
  assert.throws(() => exactNumber(new Dec('123456789012.1234567891'), 'FPrice'), /cannot carry exactly/);
  assert.throws(() => convertRaw('1' + '0'.repeat(400), 'number', '{{reftables.batchs_price}}'), /batchs_price/);
});

test('a negative or absurd price is rejected by the scheme\'s bounds, naming the field', async () => {
  const scheme = loadSchemeFile(path.join(__dirname, '..', '..', 'schemes', 'jst-refund-to-sales-return.yaml'));
  const world = generateWorld({ seed: 20260121, refunds: 24 });
  const rows = worldCollections(world);
  const records = world.refunds.map((r) => jstRefundWireSchema.parse(r) as Record<string, unknown>);
  const record = records.find((r) => evaluateFilter(scheme, r).eligible && (r.batchs as unknown[]).length > 0)!;
  const withPrice = (price: number) => {
    const copy = JSON.parse(JSON.stringify(record)) as { items: Array<Record<string, unknown>>; batchs: Array<Record<string, unknown>> };
    for (const item of copy.items) item.price = price;
    for (const batch of copy.batchs) batch.price = price;
    return copy as unknown as Record<string, unknown>;
  };
  const ok = mapRecord(scheme, withPrice(12.5), await resolveLookups(scheme, withPrice(12.5), { rows }));
  assert.ok(ok.ok, JSON.stringify(!ok.ok && ok.errors));
  for (const [price, bound] of [[-5, /below the scheme's minimum 0/], [5e9, /above the scheme's maximum 100000000/]] as const) {
    const r = withPrice(price);
    const mapped = mapRecord(scheme, r, await resolveLookups(scheme, r, { rows }));
    assert.equal(mapped.ok, false);
    const messages = mapped.ok ? [] : mapped.errors.map((e) => e.message);
    assert.ok(messages.some((m) => /^FEntity\.FPrice/.test(m) && bound.test(m)), messages.join('\n'));
  }
});
