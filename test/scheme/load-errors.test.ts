// Load-time errors: every expression is parsed when the scheme loads, and each problem names the row,
// the column and the line, never surfacing later as a runtime surprise.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseScheme, SchemeLoadError, type SchemeIssue } from '../../src/scheme';

const HEAD = `id: t
name: test
source: { system: jushuitan, api: refund.single.query, keyField: as_id, versionField: modified }
target: { system: kingdee, formId: SAL_RETURNSTOCK, numberField: FBillNo }
collections:
  d36b5c74-bdf8-3bcb-a345-22dac34d52aa:
    name: materials
    kingdee: { formId: BD_MATERIAL }
    fields: { FNumber: FNumber, FIsBatchManage: FIsBatchManage }
`;
/** Line of the first mapping row in a scheme built by yamlWith (1-based). */
const FIRST_ROW_LINE = HEAD.split('\n').length + 1;

function yamlWith(rows: string[], extra = ''): string {
  return `${HEAD}${extra}mapping:\n  - { field: FBillNo, type: string, value: "{{as_id}}" }\n${rows.map((r) => `  - ${r}`).join('\n')}\n`;
}

function issues(text: string): SchemeIssue[] {
  try {
    parseScheme(text, 'bad.yaml');
  } catch (err) {
    assert.ok(err instanceof SchemeLoadError, `expected SchemeLoadError, got ${String(err)}`);
    assert.equal(err.sourceName, 'bad.yaml');
    return [...err.issues];
  }
  assert.fail('the scheme loaded, but it should not have');
}

function oneIssue(rows: string[], extra = ''): SchemeIssue {
  const found = issues(yamlWith(rows, extra));
  assert.equal(found.length, 1, JSON.stringify(found, null, 1));
  return found[0]!;
}

function expectRowIssue(row: string, column: string, message: RegExp, line = FIRST_ROW_LINE + 1): (issue: SchemeIssue) => void {
  return (issue) => {
    assert.equal(issue.row, row);
    assert.equal(issue.column, column);
    assert.match(issue.message, message);
    assert.equal(issue.line, line);
  };
}

describe('expression and value errors name row, column and line', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['{ field: X, type: string, value: "_function 1 +" }', 'mapping row 2 (X)', /ends too early/],
    ['{ field: X, type: string, value: "_function FOO(1)" }', 'mapping row 2 (X)', /unknown function FOO \(at character 11\)/],
    ['{ field: X, type: string, value: "_function IF(1, 2)" }', 'mapping row 2 (X)', /IF takes 3 arguments, got 2/],
    ['{ field: X, type: string, value: "_function UNIX_TIMESTAMP()" }', 'mapping row 2 (X)', /no clock/],
    ['{ field: X, type: string, value: "_function SUM({{qty}})" }', 'mapping row 2 (X)', /one row source/],
    ['{ field: X, type: string, value: "_function \'abc" }', 'mapping row 2 (X)', /unterminated string literal/],
    ['{ field: X, type: string, value: "_function \\"abc\\"" }', 'mapping row 2 (X)', /single quotes/],
    ['{ field: X, type: string, value: "_function shop_name = 1" }', 'mapping row 2 (X)', /unknown word "shop_name".*\{\{shop_name\}\}/],
    ['{ field: X, type: string, value: "_function CASE WHEN 1 THEN 2" }', 'mapping row 2 (X)', /expected END/],
    ['{ field: X, type: string, value: "_function 1 2" }', 'mapping row 2 (X)', /unexpected "2" after the expression/],
    ['{ field: X, type: string, value: "findCollection find FNumber from nope where FNumber={{sku}}" }', 'mapping row 2 (X)', /unknown collection "nope" \(at character 34\)/],
    [
      '{ field: X, type: string, value: "_function case _findCollection find FIsBatchManage from nowhere where FNumber={{sku}} endFind when true then 1 end" }',
      'mapping row 2 (X)',
      /unknown collection "nowhere"/,
    ],
    [
      '{ field: X, type: string, value: "_function IF(_findCollection find FIsBatchManage from materials where FNumber={{sku}}, 1, 0)" }',
      'mapping row 2 (X)',
      /must end with _endFind/,
    ],
    ['{ field: X, type: string, value: "findCollection find FName from materials where FNumber={{sku}}" }', 'mapping row 2 (X)', /materials has no field "FName"/],
    ['{ field: X, type: string, value: "findCollection find FNumber from materials where Nope={{sku}}" }', 'mapping row 2 (X)', /has no field "Nope"/],
    ['{ field: X, type: string, value: "findCollection find FNumber from materials" }', 'mapping row 2 (X)', /expected "where"/],
    ['{ field: X, type: string, value: "findCollection find FNumber from materials where FNumber={{sku}} extra" }', 'mapping row 2 (X)', /expected a condition/],
    ['{ field: X, type: string, value: "{{as_id" }', 'mapping row 2 (X)', /unclosed \{\{/],
    ['{ field: X, type: string, value: "{{foo.bar}}" }', 'mapping row 2 (X)', /unknown row source "foo"/],
    ['{ field: X, type: number, value: "abc" }', 'mapping row 2 (X)', /"abc" is not a number/],
    ['{ field: X, type: bool, value: "yes" }', 'mapping row 2 (X)', /"yes" is not a boolean/],
    ['{ field: X, type: array, value: "lines" }', 'mapping row 2 (X)', /names a row source/],
    ['{ field: X, type: object, value: "1" }', 'mapping row 2 (X)', /has no value/],
    ['{ field: X, type: string, value: "", required: true }', 'mapping row 2 (X)', /required row needs a value/],
  ];
  for (const [row, name, message] of cases) {
    test(`${row} → ${message}`, () => expectRowIssue(name, 'value', message)(oneIssue([row])));
  }
});

describe('structural errors', () => {
  test('a row under a missing parent', () => {
    expectRowIssue('mapping row 2 (FEntity.FMaterialId)', 'field', /missing parent: no earlier row maps FEntity/)(
      oneIssue(['{ field: FEntity.FMaterialId, type: string, value: "{{reftables.batchs_sku_id}}" }']),
    );
  });
  test('a parent declared after its child is still missing', () => {
    const found = issues(yamlWith(['{ field: A.B, type: string, value: "x" }', '{ field: A, type: object }']));
    assert.equal(found[0]!.row, 'mapping row 2 (A.B)');
  });
  test('a row under a scalar row', () => {
    expectRowIssue('mapping row 3 (A.B)', 'field', /A, which is a string row/, FIRST_ROW_LINE + 2)(
      oneIssue(['{ field: A, type: string, value: "x" }', '{ field: A.B, type: string, value: "y" }']),
    );
  });
  test('a field mapped twice', () => {
    expectRowIssue('mapping row 3 (A)', 'field', /mapped twice \(first in mapping row 2\)/, FIRST_ROW_LINE + 2)(
      oneIssue(['{ field: A, type: string, value: "x" }', '{ field: A, type: string, value: "y" }']),
    );
  });
  test('a bad field path', () => expectRowIssue('mapping row 2 (A..B)', 'field', /not a field path/)(oneIssue(['{ field: A..B, type: string }'])));
  test('basedata on an array row', () => {
    expectRowIssue('mapping row 2 (L)', 'basedata', /array row cannot be base data/)(oneIssue(['{ field: L, type: array, value: reftables, basedata: FNumber }']));
  });
  test('an unknown type (zod) names the row and the column', () => {
    const issue = oneIssue(['{ field: X, type: text, value: "a" }']);
    assert.equal(issue.row, 'mapping row 2 (X)');
    assert.equal(issue.column, 'type');
    assert.equal(issue.line, FIRST_ROW_LINE + 1);
  });
  test('an unknown key in a row is refused', () => {
    const issue = oneIssue(['{ field: X, type: string, vlaue: "a" }']);
    assert.equal(issue.row, 'mapping row 2 (X)');
    assert.match(issue.message, /vlaue/);
  });
  test('an unquoted {{placeholder}} gets a hint', () => {
    const issue = oneIssue(['{ field: X, type: string, value: {{as_id}} }']);
    assert.equal(issue.column, 'value');
    assert.match(issue.message, /quote values that start with \{\{/);
  });
  test('the number field must be a mapped header row', () => {
    const text = yamlWith([]).replace('numberField: FBillNo', 'numberField: FNope');
    const [issue] = issues(text);
    assert.equal(issue!.row, 'target');
    assert.equal(issue!.column, 'numberField');
    assert.equal(issue!.line, 4);
  });
  test('a YAML syntax error gives its line', () => {
    const [issue] = issues(`${HEAD}mapping:\n  - { field: X, type: string\n`);
    assert.equal(issue!.row, 'file');
    assert.ok(issue!.line !== undefined && issue!.line >= FIRST_ROW_LINE);
  });
  test('a filter rule with a lookup, and a filter syntax error', () => {
    const found = issues(
      yamlWith([], 'filter:\n  - { rule: "_function findCollection find FNumber from materials where FNumber={{x}} endFind = 1", reason: r }\n  - { rule: "_function {{status}} =", reason: r }\n'),
    );
    assert.deepEqual(found.map((i) => [i.row, i.column]), [['filter rule 1', 'rule'], ['filter rule 2', 'rule']]);
    assert.match(found[0]!.message, /cannot use lookups/);
  });
  test('collections: duplicate names and Kingdee keys', () => {
    const extra = `  other:\n    name: materials\n    kingdee: { formId: BD_MATERIAL }\n    fields: { FNumber: null }\n`;
    const found = issues(yamlWith([]).replace('mapping:\n', `${extra}mapping:\n`));
    assert.deepEqual(found.map((i) => [i.row, i.column]), [['collection other', 'name'], ['collection other', 'fields.FNumber']]);
  });
  test('every problem is reported at once', () => {
    const found = issues(yamlWith(['{ field: X, type: string, value: "_function FOO()" }', '{ field: Y.Z, type: string, value: "1" }', '{ field: W, type: number, value: "x" }']));
    assert.deepEqual(found.map((i) => i.row), ['mapping row 2 (X)', 'mapping row 3 (Y.Z)', 'mapping row 4 (W)']);
    assert.deepEqual(found.map((i) => i.line), [FIRST_ROW_LINE + 1, FIRST_ROW_LINE + 2, FIRST_ROW_LINE + 3]);
  });
  test('the error message lists file, line, row and column', () => {
    try {
      parseScheme(yamlWith(['{ field: X, type: string, value: "_function FOO(1)" }']), 'bad.yaml');
      assert.fail('loaded');
    } catch (err) {
      assert.ok(err instanceof SchemeLoadError);
      assert.match(err.message, new RegExp(`bad\\.yaml:${FIRST_ROW_LINE + 1}:\\d+: mapping row 2 \\(X\\), key value: unknown function FOO`));
    }
  });
  test('the column points at the offending text in the file', () => {
    const text = yamlWith(['{ field: X, type: string, value: "_function 1 + FOO(1)" }']);
    const [issue] = issues(text);
    const line = text.split('\n')[issue!.line! - 1]!;
    assert.equal(line.slice(issue!.col! - 1, issue!.col! + 2), 'FOO');
  });
  test('a plain YAML scalar keeps the text as written (0.10 stays 0.10, 001 stays 001)', () => {
    const text = yamlWith(['{ field: A, type: string, value: 0.10 }', '{ field: B, type: string, value: 001 }', '{ field: C, type: bool, value: True }', '{ field: D, type: number, value: 100 }']);
    const rows = parseScheme(text, 'ok.yaml').rows;
    assert.deepEqual(rows.slice(1).map((r) => [r.text, r.value]), [
      ['0.10', { kind: 'constant', value: '0.10' }],
      ['001', { kind: 'constant', value: '001' }],
      ['True', { kind: 'constant', value: true }],
      ['100', { kind: 'constant', value: 100 }],
    ]);
  });
  test('JSON is accepted too', () => {
    const scheme = parseScheme(
      JSON.stringify({
        id: 'j', name: 'j', source: { system: 's', api: 'a', keyField: 'as_id', versionField: 'modified' },
        target: { system: 'kingdee', formId: 'F', numberField: 'FBillNo' }, mapping: [{ field: 'FBillNo', type: 'string', value: '{{as_id}}' }],
      }),
      'j.json',
    );
    assert.equal(scheme.id, 'j');
    assert.equal(scheme.target.endState, 'saved');
    assert.equal(scheme.target.autoSubmitAndAudit, false);
  });
});
