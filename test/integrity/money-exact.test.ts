// Issue 16, point 10: money and quantities are exact or rejected, naming the field; nothing becomes empty.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jstRefundWireSchema, MAX_MONEY } from '../../src/connectors/jushuitan/schemas';
import { convertRaw, exactNumber } from '../../src/scheme/convert';
import { Dec } from '../../src/scheme/decimal';

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
