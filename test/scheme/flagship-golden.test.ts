// Golden test of the flagship scheme: realistic refunds from the shared world (fixed seed), normalised as
// the Jushuitan client delivers them, mapped with collections derived from the same world, compared with
// committed Kingdee bodies. UPDATE_GOLDEN=1 rewrites the golden file (review it by eye before committing).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { jstRefundWireSchema } from '../../src/connectors/jushuitan/schemas';
import { evaluateFilter, mapRecord, projectRecord, resolveLookups, resolveLookupsForMany } from '../../src/scheme';
import { loadSchemeFile } from '../../src/scheme/load-file';
import { generateWorld } from '../../src/sim/world';
import { worldCollections } from './support';

export const GOLDEN_SEED = 20260121;
export const GOLDEN_REFUNDS = 24;
const GOLDEN_FILE = path.join(__dirname, '..', 'fixtures', 'scheme', 'flagship-golden.json');

const scheme = loadSchemeFile(path.join(__dirname, '..', '..', 'schemes', 'jst-refund-to-sales-return.yaml'));
const world = generateWorld({ seed: GOLDEN_SEED, refunds: GOLDEN_REFUNDS });
const rows = worldCollections(world);
const records = world.refunds.map((r) => jstRefundWireSchema.parse(r) as Record<string, unknown>);

type Outcome = { skipped: string } | { body: unknown; warnings?: string[] } | { errors: string[] };

async function outcome(record: Record<string, unknown>): Promise<Outcome> {
  const filter = evaluateFilter(scheme, record);
  if (!filter.eligible) return { skipped: filter.reason };
  const result = mapRecord(scheme, record, await resolveLookups(scheme, record, { rows }));
  if (!result.ok) return { errors: result.errors.map((e) => e.message) };
  return result.warnings.length > 0 ? { body: result.body, warnings: result.warnings } : { body: result.body };
}

async function goldenText(): Promise<string> {
  const all: Record<string, Outcome> = {};
  for (const record of records) all[`as_id ${String(record.as_id)}`] = await outcome(record);
  return `${JSON.stringify(all, null, 2)}\n`;
}

describe('flagship scheme, golden bodies', () => {
  test('the world covers the interesting cases', () => {
    const eligible = records.filter((r) => evaluateFilter(scheme, r).eligible);
    assert.ok(eligible.length >= 10 && eligible.length < records.length, 'eligible and skipped records');
    assert.ok(records.some((r) => String(r.shop_name).includes("'")), 'a shop name with a quote');
    assert.ok(eligible.some((r) => (r.batchs as unknown[]).length > 0), 'lots');
    assert.ok(eligible.some((r) => (r.items as Array<Record<string, unknown>>).some((i) => !(r.batchs as Array<Record<string, unknown>>).some((b) => b.sku_id === i.sku_id))), 'lines without lots');
  });

  test('whole Kingdee bodies equal the committed golden file', async () => {
    const text = await goldenText();
    if (process.env.UPDATE_GOLDEN === '1') {
      writeFileSync(GOLDEN_FILE, text);
      return;
    }
    assert.equal(text, readFileSync(GOLDEN_FILE, 'utf8'), 'run with UPDATE_GOLDEN=1 to rewrite, then review the diff');
  });

  test('the page of records resolves in one go to the same answers', async () => {
    const eligible = records.filter((r) => evaluateFilter(scheme, r).eligible);
    const many = await resolveLookupsForMany(scheme, eligible, { rows });
    for (const [i, record] of eligible.entries()) assert.deepEqual(many[i], await resolveLookups(scheme, record, { rows }));
  });

  test('mapping twice is byte-identical; a projected record maps the same; no buyer data is kept', async () => {
    for (const record of records) {
      if (!evaluateFilter(scheme, record).eligible) continue;
      const answers = await resolveLookups(scheme, record, { rows });
      const once = JSON.stringify(mapRecord(scheme, record, answers));
      assert.equal(JSON.stringify(mapRecord(scheme, record, answers)), once);
      const projected = projectRecord(scheme, record);
      for (const secret of ['receiver_name', 'receiver_mobile', 'shop_buyer_id', 'remark']) assert.ok(!(secret in projected), secret);
      assert.deepEqual(evaluateFilter(scheme, projected), evaluateFilter(scheme, record));
      assert.equal(JSON.stringify(mapRecord(scheme, projected, await resolveLookups(scheme, projected, { rows }))), once);
    }
    for (const record of records) assert.deepEqual(evaluateFilter(scheme, projectRecord(scheme, record)), evaluateFilter(scheme, record));
  });

  test('the wire shape (numbers) and nested items[].batchs[] map to the same bodies', async () => {
    for (const [i, wire] of world.refunds.entries()) {
      const normalised = records[i]!;
      if (!evaluateFilter(scheme, normalised).eligible) continue;
      const expected = JSON.stringify(await outcome(normalised));
      assert.equal(JSON.stringify(await outcome(wire)), expected, `wire shape of ${wire.as_id}`);
      const nested = {
        ...wire,
        batchs: [],
        items: wire.items.map((item) => ({ ...item, batchs: wire.batchs.filter((b) => b.sku_id === item.sku_id).map(({ sku_id: _sku, ...b }) => b) })),
      };
      assert.equal(JSON.stringify(await outcome(nested)), expected, `nested shape of ${wire.as_id}`);
    }
  });

  test('an unknown shop parks the record with errors naming the rows', async () => {
    const record = records.find((r) => evaluateFilter(scheme, r).eligible)!;
    const result = await outcome({ ...record, shop_name: '新开的店' });
    assert.deepEqual(result, {
      errors: [
        'FSaleOrgId: no customer in Kingdee BD_Customer (customers) where FName=新开的店',
        'FRetcustId: no customer in Kingdee BD_Customer (customers) where FName=新开的店',
      ],
    });
  });
});
