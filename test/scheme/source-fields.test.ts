// `scheme check` knows the source: a misspelt {{field}} in the flagship scheme fails with its file:line:col,
// the word "key" for the value it sits in, and the nearest documented field.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { runSchemeCheck } from '../../src/cli/scheme';
import { SchemeLoadError } from '../../src/scheme';
import { findScheme } from '../../src/scheme/load-file';
import { parseScheme } from '../../src/scheme/parse-scheme';
import { nearestName } from '../../src/scheme/source-fields';

const ROOT = path.join(__dirname, '..', '..');
const FLAGSHIP = readFileSync(path.join(ROOT, 'schemes', 'jst-refund-to-sales-return.yaml'), 'utf8');
const dir = mkdtempSync(path.join(tmpdir(), 'erp-bridge-fields-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The flagship with the first `{{shop_name}}` misspelt; returns the file and the typo's 1-based line and column. */
function misspelt(): { file: string; line: number; col: number } {
  const at = FLAGSHIP.indexOf('{{shop_name}}');
  const text = FLAGSHIP.slice(0, at) + '{{shop_nmae}}' + FLAGSHIP.slice(at + '{{shop_name}}'.length);
  const before = text.slice(0, at).split('\n');
  const file = path.join(dir, 'typo.yaml');
  writeFileSync(file, text);
  return { file, line: before.length, col: before.at(-1)!.length + 1 };
}

test('the flagship scheme passes: every field it reads is documented or derived', () => {
  assert.equal(parseScheme(FLAGSHIP, 'flagship.yaml').id, 'jst-refund-to-sales-return');
});

test('erp-bridge scheme check names the misspelling, its line and column, and shop_name', async () => {
  const { file, line, col } = misspelt();
  const run = promisify(execFile)(process.execPath, [path.join(ROOT, 'bin', 'erp-bridge.js'), 'scheme', 'check', file]);
  const err = (await run.then(() => assert.fail('expected a non-zero exit'), (e: unknown) => e)) as { code: number; stderr: string };
  assert.equal(err.code, 1);
  const first = err.stderr.split('\n').find((l) => l.includes('shop_nmae'));
  assert.ok(first, err.stderr);
  assert.ok(first.includes(`${file}:${line}:${col}: mapping row 3 (FSaleOrgId), key value: unknown field {{shop_nmae}}`), first);
  assert.match(first, /did you mean `shop_name`\?/);
});

test('check (through findScheme) refuses the same scheme, and row-source fields are checked too', () => {
  const { file } = misspelt();
  assert.throws(() => findScheme(file), (e: unknown) => e instanceof SchemeLoadError && /did you mean `shop_name`/.test(e.message));
  const lot = FLAGSHIP.replace('{{reftables.batchs_batch_no}}', '{{reftables.batchs_batch_nr}}');
  assert.throws(() => parseScheme(lot, 'lot.yaml'), /unknown field \{\{reftables\.batchs_batch_nr\}\}.*did you mean `reftables\.batchs_batch_no`\?/);
  const rule = FLAGSHIP.replace("_function {{good_status}} = 'SELLER_RECEIVED'", "_function {{good_stat}} = 'SELLER_RECEIVED'");
  assert.throws(() => parseScheme(rule, 'rule.yaml'), /filter rule 2, key rule: unknown field \{\{good_stat\}\}.*`good_status`/);
});

test('scheme check in-process prints the summary for the flagship and exits 0', () => {
  const out: string[] = [];
  assert.equal(runSchemeCheck(path.join(ROOT, 'schemes', 'jst-refund-to-sales-return.yaml'), { out: (l) => out.push(l), err: () => assert.fail('no errors') }), 0);
  assert.match(out[0]!, /^ok: /);
});

test('nearestName: close names only', () => {
  assert.equal(nearestName('shop_nmae', ['shop_name', 'shop_id']), 'shop_name');
  assert.equal(nearestName('zzzzzz', ['shop_name']), undefined);
});

test('a missing } is reported at the line that opened the flow map, not the next one', () => {
  const row = '  - { field: FBillNo, name: 单据编号, type: string, value: "{{as_id}}", required: true }';
  const line = FLAGSHIP.split('\n').indexOf(row) + 1;
  assert.ok(line > 0);
  assert.throws(() => parseScheme(FLAGSHIP.replace(row, row.slice(0, -2)), 'brace.yaml'), (e: unknown) => {
    assert.ok(e instanceof SchemeLoadError);
    assert.equal(e.issues[0]!.line, line);
    assert.match(e.message, new RegExp(`brace\\.yaml:${line}:5: YAML syntax: this \\{ is never closed`));
    return true;
  });
});
