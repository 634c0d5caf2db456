// The flagship lookups against the Kingdee simulator through the real Kingdee client: a page of records
// costs one ExecuteBillQuery per collection, and the documents equal those mapped from JSON rows.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { KingdeeClient } from '../../src/connectors/kingdee';
import { jstRefundWireSchema } from '../../src/connectors/jushuitan/schemas';
import { evaluateFilter, mapRecord, resolveLookups, resolveLookupsForMany, type BillQuery, type BillQueryClient } from '../../src/scheme';
import { loadSchemeFile } from '../../src/scheme/load-file';
import { startKingdeeSimulator, type KingdeeSimulator } from '../../src/sim/kingdee';
import { generateWorld } from '../../src/sim/world';
import { worldCollections } from './support';

const scheme = loadSchemeFile(path.join(__dirname, '..', '..', 'schemes', 'jst-refund-to-sales-return.yaml'));
const world = generateWorld({ seed: 20260121, refunds: 24 });
const records = world.refunds.map((r) => jstRefundWireSchema.parse(r) as Record<string, unknown>).filter((r) => evaluateFilter(scheme, r).eligible);

let sim: KingdeeSimulator;
let client: KingdeeClient;

before(async () => {
  sim = await startKingdeeSimulator({ world });
  const c = sim.credentials;
  client = new KingdeeClient({ baseUrl: sim.baseUrl, acctId: c.acctId, username: c.username, password: c.password });
});

after(async () => {
  await client.close();
  await sim.stop();
});

test('one query per collection for the page; bodies equal the rows-based mapping', async () => {
  const calls: BillQuery[] = [];
  const counting: BillQueryClient = { executeBillQuery: (q) => (calls.push(q), client.executeBillQuery(q)) };
  const answers = await resolveLookupsForMany(scheme, records, { kingdee: counting });
  assert.deepEqual(calls.map((c) => c.FormId), ['BD_Customer', 'SAL_OUTSTOCK', 'BD_MATERIAL']);

  const rows = worldCollections(world);
  for (const [i, record] of records.entries()) {
    const fromKingdee = mapRecord(scheme, record, answers[i]!);
    const fromRows = mapRecord(scheme, record, await resolveLookups(scheme, record, { rows }));
    assert.ok(fromKingdee.ok, JSON.stringify(fromKingdee));
    assert.equal(JSON.stringify(fromKingdee), JSON.stringify(fromRows), `as_id ${String(record.as_id)}`);
  }
});

test("a quote in a shop name is escaped: O'Neil is found, an injection attempt finds nothing", async () => {
  const oneil = records.find((r) => String(r.shop_name).includes("'"))!;
  const found = mapRecord(scheme, oneil, await resolveLookups(scheme, oneil, { kingdee: client }));
  assert.ok(found.ok);
  const attack = { ...oneil, shop_name: "x' or '1'='1" };
  const result = mapRecord(scheme, attack, await resolveLookups(scheme, attack, { kingdee: client }));
  assert.equal(result.ok, false);
  assert.match(JSON.stringify(result), /no customer in Kingdee BD_Customer \(customers\) where FName=x' or '1'='1/);
});
