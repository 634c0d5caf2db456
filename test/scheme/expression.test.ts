// `_function` expressions through the public API: every operator and function, MySQL truthiness and NULL,
// decimal arithmetic, placeholders as values (quotes never change the expression), lookups spelled any way.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mapRecord, type MappingResult } from '../../src/scheme';
import { makeScheme, mapWith, MATERIALS_ID } from './support';

const RECORD = {
  as_id: '5000001', shop_name: "O'Neil 抖音小店", a: 0.1, b: 0.2, n: '10', empty: '', flag: true, so_id: 'SO123',
  items: [
    { sku_id: 'SKU-1', qty: 2, r_qty: 2, price: 19.9, name: 'b' },
    { sku_id: 'SKU-2', qty: 1, r_qty: 1, price: 5, name: 'a' },
  ],
  batchs: [],
};

/** The value the expression gives in a row of `type` (undefined when the field is left out). */
function run(expr: string, record: Record<string, unknown> = RECORD, type = 'string'): unknown {
  const scheme = makeScheme([{ field: 'X', type, value: `_function ${expr}` }]);
  const result = mapRecord(scheme, record, {});
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('; '));
  return result.body.data.Model.X;
}

function failure(expr: string, record: Record<string, unknown> = RECORD): string {
  const scheme = makeScheme([{ field: 'X', type: 'string', value: `_function ${expr}` }]);
  const result = mapRecord(scheme, record, {});
  assert.equal(result.ok, false, `expected ${expr} to fail`);
  return (result as Extract<MappingResult, { ok: false }>).errors.map((e) => `${e.row} | ${e.message}`).join('\n');
}

const cases = (rows: Array<[string, unknown]>, type = 'string'): void => {
  for (const [expr, expected] of rows) {
    test(`${expr} → ${JSON.stringify(expected)}`, () => assert.deepEqual(run(expr, RECORD, type), expected));
  }
};

describe('arithmetic is decimal', () => {
  cases([
    ['0.1 + 0.2', '0.3'],
    ['{{a}} + {{b}}', '0.3'],
    ['1.10 * 3', '3.3'],
    ['19.9 * 3', '59.7'],
    ['10 / 4', '2.5'],
    ['1 / 3', '0.3333'],
    ['2.5 / 3', '0.83333'],
    ['7 % 3', '1'],
    ['-7 % 3', '-1'],
    ['2 + 3 * 4', '14'],
    ['(2 + 3) * 4', '20'],
    ['-{{a}}', '-0.1'],
    ['+5 - -5', '10'],
    ["'10' + 1", '11'],
    ['{{n}} * 2', '20'],
    ['1 / 0', undefined],
    ['5 % 0', undefined],
    ['NULL + 1', undefined],
    ['1e3 + 1', '1001'],
  ]);
  test('number rows get JSON numbers, exact', () => {
    assert.equal(run('0.1 + 0.2', RECORD, 'number'), 0.3);
    assert.equal(run('{{a}} * 3', RECORD, 'number'), 0.3);
  });
  test('text that is not a number is an error naming the row, never 0', () => {
    const message = failure("'abc' + 1");
    assert.match(message, /^X \| X: 'abc' is not a number/);
  });
});

describe('comparison, logic and predicates', () => {
  cases(
    [
      ['1 = 1', true],
      ["'a' = 'A'", true],
      ['2 < 10', true],
      ["'2' < '10'", false],
      ['{{n}} > 5', true],
      ['1 <> 2', true],
      ['1 != 2', true],
      ['3 >= 3', true],
      ['3 <= 2', false],
      ["'abc' = 1", false],
      ['NULL = NULL', undefined],
      ['TRUE AND NULL', undefined],
      ['FALSE AND NULL', false],
      ['TRUE OR NULL', true],
      ['FALSE OR NULL', undefined],
      ['NOT 0', true],
      ['NOT NULL', undefined],
      ['NOT 1 = 2', true],
      ["{{empty}} <> '' AND {{empty}} + 1 > 2", false],
      ["{{empty}} = '' OR {{empty}} + 1 > 2", true],
      ['{{missing}} IS NULL', true],
      ['{{as_id}} IS NOT NULL', true],
      ["'b' IN ('a', 'b')", true],
      ["'c' NOT IN ('a', 'b')", true],
      ["'c' IN ('a', NULL)", undefined],
      ['NULL IN (1)', undefined],
      ['2 IN (1, 2.0)', true],
      ["{{so_id}} LIKE 'so%'", true],
      ["'a_c' LIKE 'a\\_c'", true],
      ["'abc' LIKE 'a\\_c'", false],
      ["'ab' LIKE 'a_'", true],
      ["'abc' NOT LIKE '%d%'", true],
      ["'天猫旗舰店' LIKE '%旗舰%'", true],
      ['1 = 1 AND 2 = 2 OR 1 = 0', true],
      ['1 = 0 OR 2 = 2 AND 3 = 3', true],
      ['TRUE = 1', true],
      ["'True' = TRUE", true],
      ["'1' = TRUE", true],
      ["'yes' = TRUE", false],
    ],
    'bool',
  );
  test('ordering text against a number is an error', () => assert.match(failure("'abc' < 1"), /cannot order 'abc' against 1/));
  test('a boolean result in a string row prints as MySQL does', () => assert.equal(run('2 > 1'), '1'));
});

describe('MySQL truthiness', () => {
  cases([
    ["IF('0', 'y', 'n')", 'n'],
    ["IF('1abc', 'y', 'n')", 'y'],
    ["IF('abc', 'y', 'n')", 'n'],
    ["IF(0.0, 'y', 'n')", 'n'],
    ["IF(0.01, 'y', 'n')", 'y'],
    ["IF('true', 'y', 'n')", 'y'],
    ["IF('False', 'y', 'n')", 'n'],
    ["IF(NULL, 'y', 'n')", 'n'],
    ["IF({{flag}}, 'y', 'n')", 'y'],
  ]);
});

describe('CASE', () => {
  cases([
    ["CASE 2 WHEN 1 THEN 'one' WHEN 2 THEN 'two' END", 'two'],
    ["CASE {{so_id}} WHEN 1 THEN 'number' WHEN 'so123' THEN 'text' END", 'text'],
    ["CASE WHEN 1 > 2 THEN 'a' WHEN 2 > 1 THEN 'b' ELSE 'c' END", 'b'],
    ["CASE WHEN 1 > 2 THEN 'a' ELSE 'c' END", 'c'],
    ["CASE 3 WHEN 1 THEN 'one' END", undefined],
    ["case when true then 'lower-case keywords' end", 'lower-case keywords'],
  ]);
});

describe('placeholders are values, never spliced text', () => {
  const tricky = { ...RECORD, shop_name: "a' or '1'='1", note: "x'); DROP TABLE t; --", braces: '{{as_id}}' };
  test("'{{shop_name}}' keeps quotes inside the value", () => {
    assert.equal(run("'{{shop_name}}'"), "O'Neil 抖音小店");
    assert.equal(run("'{{shop_name}}'", tricky), "a' or '1'='1");
    assert.equal(run("'{{shop_name}}' = 'a'", tricky, 'bool'), false);
    assert.equal(run("CONCAT('[', '{{note}}', ']')", tricky), "[x'); DROP TABLE t; --]");
  });
  test('a value that looks like a placeholder is not expanded again', () => assert.equal(run("'{{braces}}'", tricky), '{{as_id}}'));
  test('text mixed with placeholders inside a string literal', () => assert.equal(run("'no.{{as_id}}/{{so_id}}'"), 'no.5000001/SO123'));
  test('a bare placeholder keeps its raw type', () => {
    assert.equal(run('{{a}} = 0.1', RECORD, 'bool'), true);
    assert.equal(run('{{missing}}'), undefined);
    assert.equal(run("'[{{missing}}]'"), '[]');
  });
  test('a list or object in a placeholder is an error', () => assert.match(failure('{{items}}'), /\{\{items\}\} is not a single value/));
  test("'' escapes a quote in a literal", () => assert.equal(run("'it''s'"), "it's"));
});

describe('functions', () => {
  cases([
    ["IF(1 > 0, 'y', 'n')", 'y'],
    ["IF(TRUE, 1, 'abc' + 1)", '1'],
    ["IFNULL(NULL, 'd')", 'd'],
    ["IFNULL('v', 'd')", 'v'],
    ["IFNULL('v', 'abc' + 1)", 'v'],
    ["COALESCE(NULL, {{missing}}, 'c', 'd')", 'c'],
    ['NULLIF(1, 1)', undefined],
    ['NULLIF(1, 2)', '1'],
    ["CONCAT('a', NULL)", undefined],
    ["CONCAT('a', 1.50, TRUE)", 'a1.51'],
    ["CONCAT_WS('-', 'a', NULL, 'b')", 'a-b'],
    ["CONCAT_WS(NULL, 'a')", undefined],
    ["LEFT('天猫旗舰店', 2)", '天猫'],
    ["RIGHT('abc', 2)", 'bc'],
    ["CONCAT('[', RIGHT('abc', 0), ']')", '[]'],
    ["SUBSTRING('Quadratically', 5)", 'ratically'],
    ["SUBSTRING('Quadratically', 5, 6)", 'ratica'],
    ["SUBSTR('Sakila', -3)", 'ila'],
    ["CONCAT('[', SUBSTRING('abc', 0), ']')", '[]'],
    ["SUBSTRING_INDEX('www.mysql.com', '.', 2)", 'www.mysql'],
    ["SUBSTRING_INDEX('www.mysql.com', '.', -2)", 'mysql.com'],
    ["LOCATE('bar', 'foobarbar')", '4'],
    ["LOCATE('bar', 'foobarbar', 5)", '7'],
    ["LOCATE('x', 'abc')", '0'],
    ["LOCATE('旗舰', '天猫旗舰店')", '3'],
    ["LENGTH('天猫')", '6'],
    ["LENGTH('ab')", '2'],
    ["CHAR_LENGTH('天猫')", '2'],
    ["CHARACTER_LENGTH('abc')", '3'],
    ["UPPER('abc')", 'ABC'],
    ["LOWER('ABC')", 'abc'],
    ["UCASE('x')", 'X'],
    ["CONCAT('[', TRIM('  a b  '), ']')", '[a b]'],
    ["CONCAT('[', LTRIM('  a '), '|', RTRIM(' a  '), ']')", '[a | a]'],
    ["REPLACE('a-b-c', '-', '+')", 'a+b+c'],
    ["REPLACE('abc', '', 'x')", 'abc'],
    ['ROUND(2.5)', '3'],
    ['ROUND(-2.5)', '-3'],
    ['ROUND(1.005, 2)', '1.01'],
    ['ROUND(1234.5, -2)', '1200'],
    ['TRUNCATE(1.999, 1)', '1.9'],
    ['TRUNCATE(-1.999, 1)', '-1.9'],
    ['ABS(-3.5)', '3.5'],
    ['CEIL(1.2)', '2'],
    ['CEILING(-1.2)', '-1'],
    ['FLOOR(-1.2)', '-2'],
    ["DATE('2026-01-20 13:11:12')", '2026-01-20'],
    ["DATE('2024-01-05T00:00:00')", '2024-01-05'],
    ["DATE('2026-02-30')", undefined],
    ["DATE('nope')", undefined],
    ["DATE_FORMAT('2026-01-05 08:09:10', '%Y/%m/%d %H:%i:%s')", '2026/01/05 08:09:10'],
    ["DATE_FORMAT('2026-01-05 14:09:10', '%y %c %e %W %a %M %b %j %p %T %h %k %l %D %w %% %q')", '26 1 5 Monday Mon January Jan 005 PM 14:09:10 02 14 2 5th 1 % q'],
    ["DATE_FORMAT('2026-01-05 14:09:10.5', '%f %r')", '500000 02:09:10 PM'],
    ['FROM_UNIXTIME(0)', '1970-01-01 08:00:00'],
    ["FROM_UNIXTIME(1768838400, '%Y-%m-%d %H:%i')", '2026-01-20 00:00'],
    ['FROM_UNIXTIME(1.5)', '1970-01-01 08:00:01.500000'],
    ['FROM_UNIXTIME(-1)', undefined],
    ["UNIX_TIMESTAMP('1970-01-01 08:00:00')", '0'],
    ["UNIX_TIMESTAMP('2026-01-20 00:00:00')", '1768838400'],
    ["FROM_UNIXTIME(UNIX_TIMESTAMP('2026-01-20 13:11:12') + 60)", '2026-01-20 13:12:12'],
    ["concat('a', 'b')", 'ab'],
    ["Upper('x')", 'X'],
  ]);
});

describe('aggregates over a row source', () => {
  cases([
    ['SUM({{reftables.batchs_qty}})', '3'],
    ['SUM({{reftables.batchs_amount}})', '44.8'],
    ['AVG({{items.price}})', '12.45'],
    ['MIN({{items.price}})', '5'],
    ['MAX({{items.price}})', '19.9'],
    ['MIN({{items.name}})', 'a'],
    ['COUNT({{reftables.batchs_qty}})', '2'],
    ['COUNT({{batchs.qty}})', '0'],
    ['SUM({{batchs.qty}})', undefined],
    ['SUM({{items.r_qty}} * {{items.price}})', '44.8'],
    ["SUM(CASE WHEN {{items.sku_id}} = 'SKU-2' THEN {{items.qty}} ELSE 0 END)", '1'],
  ]);
});

describe('lookups compare to true whatever their spelling', () => {
  const flot = `_function case _findCollection find FIsBatchManage from ${MATERIALS_ID} where FNumber={{sku}} endFind when true then 'lot' else '' end`;
  const scheme = makeScheme([
    { field: 'FLot', type: 'string', value: flot },
    { field: 'Truthy', type: 'string', value: "_function IF(_findCollection find FIsBatchManage from materials where FNumber={{sku}} _endFind, 'y', 'n')" },
  ]);
  const spellings: Array<[unknown, boolean]> = [
    [true, true], ['True', true], ['TRUE', true], [1, true], ['1', true], [' true ', true],
    [false, false], ['False', false], [0, false], ['0', false], [null, false], ['', false],
  ];
  for (const [spelled, expected] of spellings) {
    test(`FIsBatchManage ${JSON.stringify(spelled)} → ${expected ? 'lot' : 'no lot'}`, async () => {
      const { result } = await mapWith(scheme, { as_id: '1', sku: 'SKU-1' }, { materials: [{ FNumber: 'SKU-1', FIsBatchManage: spelled as never }] });
      assert.ok(result.ok);
      assert.equal(result.body.data.Model.FLot, expected ? 'lot' : undefined);
      assert.equal(result.body.data.Model.Truthy, expected ? 'y' : 'n');
    });
  }
  test('no matching material is NULL: the ELSE branch', async () => {
    const { result } = await mapWith(scheme, { as_id: '1', sku: 'SKU-9' }, { materials: [{ FNumber: 'SKU-1', FIsBatchManage: true }] });
    assert.ok(result.ok);
    assert.equal(result.body.data.Model.FLot, undefined);
    assert.equal(result.body.data.Model.Truthy, 'n');
  });
});
