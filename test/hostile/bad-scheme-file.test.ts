// Scheme files broken at the file level (test/scheme/load-errors.test.ts covers rows, expressions and
// collections): each error names the file, the line, the part of the scheme and what is wrong.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parseScheme, SchemeLoadError } from '../../src/scheme';
import { findScheme } from '../../src/scheme/load-file';

const HEAD = `id: t
name: test
source: { system: jushuitan, api: refund.single.query, keyField: as_id, versionField: modified }
target: { system: kingdee, formId: SAL_RETURNSTOCK, numberField: FBillNo }
`;
const MAPPING = 'mapping:\n  - { field: FBillNo, type: string, value: "{{as_id}}" }\n';
const MISSPELT_LINE = (HEAD + MAPPING).split('\n').length;

/** [what, file text, expected: row, column, line, message] */
const CASES: Array<[string, string, { row: string; column: string; line?: number; message: RegExp }]> = [
  ['an empty file', '', { row: 'scheme', column: '(whole file)', message: /expected object, received null/ }],
  ['a list instead of a scheme', '- a\n- b\n', { row: 'scheme', column: '(whole file)', line: 1, message: /expected object, received array/ }],
  ['binary garbage', '\u0000\u0001\u0002', { row: 'scheme', column: '(whole file)', line: 1, message: /expected object/ }],
  ['no id', HEAD.replace('id: t\n', '') + MAPPING, { row: 'scheme', column: 'id', line: 1, message: /expected string, received undefined/ }],
  ['no target', HEAD.replace(/target:.*\n/, '') + MAPPING, { row: 'scheme', column: 'target', line: 1, message: /expected object, received undefined/ }],
  ['no mapping', HEAD, { row: 'scheme', column: 'mapping', line: 1, message: /expected array, received undefined/ }],
  ['an empty mapping', `${HEAD}mapping: []\n`, { row: 'scheme', column: 'mapping', line: 5, message: /at least one mapping row/ }],
  ['a mapping that is not a list', `${HEAD}mapping: { a: 1 }\n`, { row: 'scheme', column: 'mapping', line: 5, message: /expected array, received object/ }],
  ['a mapping row that is not an object', `${HEAD}mapping:\n  - FBillNo\n`, { row: 'mapping row 1', column: '(whole entry)', line: 6, message: /expected object, received string/ }],
  // Reported at the misspelt key's own line (after HEAD and MAPPING), named a key, with the nearest allowed one.
  ['a misspelt top-level key', `${HEAD}${MAPPING}mappings: []\n`, { row: 'scheme', column: 'mappings', line: MISSPELT_LINE, message: /unknown key "mappings"; did you mean "mapping"\?/ }],
  ['a key given twice', `${HEAD}name: again\n${MAPPING}`, { row: 'file', column: 'syntax', line: 5, message: /Map keys must be unique/ }],
  ['tabs as indentation', `${HEAD}mapping:\n\t- { field: FBillNo, type: string, value: "{{as_id}}" }\n`, { row: 'file', column: 'syntax', line: 6, message: /Tabs are not allowed/ }],
  ['broken JSON', '{"id": ', { row: 'file', column: 'syntax', line: 1, message: /must end with a \}/ }],
  ['an unknown end state', HEAD.replace('numberField: FBillNo', 'numberField: FBillNo, endState: posted') + MAPPING, { row: 'target', column: 'endState', line: 4, message: /expected one of "saved"\|"submitted"\|"audited"/ }],
  ['no keyField', HEAD.replace(', keyField: as_id', '') + MAPPING, { row: 'source', column: 'keyField', line: 3, message: /expected string, received undefined/ }],
  ['a filter rule without a reason', `${HEAD}filter:\n  - { rule: "_function 1 = 1" }\n${MAPPING}`, { row: 'filter rule 1', column: 'reason', line: 6, message: /expected string, received undefined/ }],
  ['a reason with an unknown placeholder', `${HEAD}filter:\n  - { rule: "_function 1 = 1", reason: "x {{nope.a}}" }\n${MAPPING}`, { row: 'filter rule 1', column: 'reason', line: 6, message: /unknown row source "nope"/ }],
  ['a number field that maps an array', HEAD.replace('FBillNo }', 'L }') + 'mapping:\n  - { field: L, type: array, value: reftables }\n', { row: 'target', column: 'numberField', line: 4, message: /L must be a header mapping row with a scalar value/ }],
];

for (const [what, text, expected] of CASES) {
  test(`${what}: ${expected.row}, column ${expected.column}`, () => {
    assert.throws(() => parseScheme(text, 'broken.yaml'), (err: unknown) => {
      assert.ok(err instanceof SchemeLoadError, String(err));
      const issue = err.issues[0]!;
      assert.equal(issue.row, expected.row);
      assert.equal(issue.column, expected.column);
      assert.equal(issue.line, expected.line);
      assert.match(issue.message, expected.message);
      assert.match(err.message, new RegExp(`^invalid scheme broken\\.yaml:\\n  broken\\.yaml(:${expected.line ?? ''}\\d*:\\d+)?: `));
      return true;
    });
  });
}

const dir = mkdtempSync(path.join(tmpdir(), 'erp-bridge-schemes-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a scheme file that does not exist, an unknown id, and a file whose id differs from its name', () => {
  assert.throws(() => findScheme(path.join(dir, 'missing.yaml')), new RegExp(`^Error: scheme file not found: .*missing\\.yaml$`));
  writeFileSync(path.join(dir, 'good.yaml'), HEAD + MAPPING);
  assert.throws(() => findScheme('nope', dir), /^Error: no scheme with id nope in .* \(known: t\)$/);
  writeFileSync(path.join(dir, 'other.yaml'), HEAD + MAPPING);
  assert.throws(() => findScheme('other', dir), /other\.yaml declares id t, not other/);
});
