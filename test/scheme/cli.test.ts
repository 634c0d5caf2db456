// `erp-bridge map` and `erp-bridge scheme check`: in-process for the outcomes, and through the real binary
// (lookups against the Kingdee simulator via KINGDEE_*) for wiring and exit codes.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { runMap } from '../../src/cli/map';
import { runSchemeCheck } from '../../src/cli/scheme';
import { jstRefundWireSchema } from '../../src/connectors/jushuitan/schemas';
import { startKingdeeSimulator, type KingdeeSimulator } from '../../src/sim/kingdee';
import { generateWorld } from '../../src/sim/world';
import { worldCollections } from './support';

const ROOT = path.join(__dirname, '..', '..');
const SCHEME_FILE = path.join(ROOT, 'schemes', 'jst-refund-to-sales-return.yaml');
const world = generateWorld({ seed: 20260121, refunds: 24 });
const byId = (asId: number): Record<string, unknown> => jstRefundWireSchema.parse(world.refunds.find((r) => r.as_id === asId)!) as Record<string, unknown>;

let dir: string;
const file = (name: string, content: unknown): string => {
  const p = path.join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

function io(): { out: string[]; err: string[]; openKingdee: () => never; io: Parameters<typeof runMap>[1] } {
  const out: string[] = [];
  const err: string[] = [];
  const openKingdee = (): never => {
    throw new Error('Kingdee must not be opened when collections are given');
  };
  return { out, err, openKingdee, io: { out: (l) => out.push(l), err: (l) => err.push(l), openKingdee } };
}

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'erp-bridge-map-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('map', () => {
  test('prints the Save body for an eligible record', async () => {
    const t = io();
    const code = await runMap({ record: file('r.json', byId(5000019)), scheme: 'jst-refund-to-sales-return', collections: file('c.json', worldCollections(world)) }, t.io);
    assert.equal(code, 0);
    const body = JSON.parse(t.out.join('\n')) as { formid: string; data: { Model: { FBillNo: string; FEntity: unknown[] } } };
    assert.equal(body.formid, 'SAL_RETURNSTOCK');
    assert.equal(body.data.Model.FBillNo, '5000019');
    assert.equal(body.data.Model.FEntity.length, 5);
    assert.deepEqual(t.err, []);
  });
  test('prints the skip reason', async () => {
    const t = io();
    const code = await runMap({ record: file('s.json', byId(5000008)), scheme: SCHEME_FILE, collections: file('c.json', worldCollections(world)) }, t.io);
    assert.equal(code, 0);
    assert.deepEqual(t.out, ['skipped: status is Cancelled: only Confirmed after-sales records become return bills']);
  });
  test('prints mapping errors and exits non-zero', async () => {
    const t = io();
    const collections = { ...worldCollections(world), customers: [] };
    const code = await runMap({ record: file('r.json', byId(5000019)), scheme: SCHEME_FILE, collections: file('c.json', collections) }, t.io);
    assert.equal(code, 1);
    assert.deepEqual(t.out, []);
    assert.match(t.err.join('\n'), /FRetcustId: no customer in Kingdee BD_Customer \(customers\) where FName=拼多多专营店/);
  });
  test('a collections file naming an unknown collection is refused', async () => {
    const t = io();
    await assert.rejects(
      runMap({ record: file('r.json', byId(5000019)), scheme: SCHEME_FILE, collections: file('c.json', { suppliers: [] }) }, t.io),
      /"suppliers" is not a collection of scheme jst-refund-to-sales-return/,
    );
  });
  test('an unknown scheme id names the known ones', async () => {
    await assert.rejects(runMap({ record: file('r.json', byId(5000019)), scheme: 'nope' }, io().io), /no scheme with id nope .*known: jst-refund-to-sales-return/);
  });
});

describe('scheme check', () => {
  test('a valid file prints a summary', () => {
    const t = io();
    assert.equal(runSchemeCheck(SCHEME_FILE, t.io), 0);
    const text = t.out.join('\n');
    assert.match(text, /id {11}jst-refund-to-sales-return/);
    assert.match(text, /kingdee SAL_RETURNSTOCK by BatchSave, number FBillNo, end state audited \(Save, Submit, Audit as separate steps\)/);
    assert.match(text, /outbound_lines = f58fe563-79a6-313e-a1bd-4be16eb7ff7a: Kingdee SAL_OUTSTOCK \(fixed filter on FDocumentStatus\)/);
  });
  test('an invalid file prints every error with line, row and column', () => {
    const bad = file('bad.yaml', 'id: x\nname: x\nsource: { system: s, api: a, keyField: as_id, versionField: modified }\ntarget: { system: k, formId: F, numberField: FBillNo }\nmapping:\n  - { field: FBillNo, type: string, value: "_function FOO(1)" }\n  - { field: A.B, type: string, value: "x" }\n');
    const t = io();
    assert.equal(runSchemeCheck(bad, t.io), 1);
    assert.equal(t.err[0], `invalid scheme ${bad}: 2 problem(s)`);
    assert.match(t.err[1]!, new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:6:\\d+: mapping row 1 \\(FBillNo\\), key value: unknown function FOO`));
    assert.match(t.err[2]!, /:7:\d+: mapping row 2 \(A\.B\), key field: row under a missing parent/);
  });
});

describe('the binary', () => {
  let sim: KingdeeSimulator;
  before(async () => {
    sim = await startKingdeeSimulator({ world });
  });
  after(() => sim.stop());

  const run = promisify(execFile);
  const bin = path.join(ROOT, 'bin', 'erp-bridge.js');

  test('map without --collections looks up in the configured Kingdee', async () => {
    const c = sim.credentials;
    const env = { ...process.env, KINGDEE_BASE_URL: sim.baseUrl, KINGDEE_ACCT_ID: c.acctId, KINGDEE_USERNAME: c.username, KINGDEE_PASSWORD: c.password };
    const { stdout } = await run(process.execPath, [bin, 'map', '--record', file('r.json', byId(5000019))], { env, cwd: ROOT });
    const body = JSON.parse(stdout) as { data: { Model: { FRetcustId: unknown } } };
    assert.deepEqual(body.data.Model.FRetcustId, { FNumber: 'CUST0003' });
  });
  test('scheme check exits non-zero on errors', async () => {
    const bad = file('bad2.yaml', 'id: x\n');
    await assert.rejects(run(process.execPath, [bin, 'scheme', 'check', bad], { cwd: ROOT }), (err: { code?: number; stderr?: string }) => err.code === 1 && /invalid scheme/.test(err.stderr ?? ''));
  });
});
