// The simulator's FilterString parser and evaluator (kingdee-webapi.md §9.10), without HTTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq, isIn } from '../../src/connectors/kingdee/filter-string';
import { evaluateFilter, FilterSyntaxError, parseFilter, type TypedValue } from '../../src/sim/kingdee/filter';
import type { FieldKind } from '../../src/sim/kingdee/forms';

type Row = Record<string, [unknown, FieldKind]>;
const row: Row = {
  fname: ["O'Neil 抖音小店", 'text'],
  fqty: [3, 'number'],
  fdate: ['2024-01-05T00:00:00', 'date'],
  fnote: [null, 'text'],
  fbatch: [true, 'bool'],
  fstatus: ['C', 'status'],
};
const matches = (filter: string, r: Row = row): boolean =>
  evaluateFilter(parseFilter(filter), (key): TypedValue => {
    const hit = r[key.toLowerCase()];
    if (!hit) throw new Error(`test row has no ${key}`);
    return { value: hit[0], kind: hit[1] };
  });

test('comparisons coerce literals to the field type', () => {
  assert.ok(matches("FQty = '3'"));
  assert.ok(matches('FQty >= 3 and FQty <= 3 and FQty > 2 and FQty < 4 and FQty <> 5 and FQty != 5'));
  assert.ok(matches("FDate >= '2024-01-01' and FDate < '2024-01-05 00:00:01'"));
  assert.ok(matches("FDate = '2024-01-05'"));
  assert.ok(matches("FBatch = 1 and FBatch = 'true'"));
  assert.ok(!matches("FBatch = '0'"));
  assert.ok(matches('1=1'));
  assert.ok(!matches('1=0'));
});

test("quoted strings double their quotes; an escaped value cannot change the query", () => {
  assert.ok(matches("FName = 'O''Neil 抖音小店'"));
  const hostile = "a' or '1'='1";
  assert.ok(!matches(and(eq('FName', hostile))), 'escaped: one literal, no match');
  assert.ok(matches(`FName = '${hostile}'`), 'unescaped, the same text rewrites the filter (this is why values are escaped)');
  assert.ok(matches(and(isIn('FName', ['x', "O'Neil 抖音小店"]), eq('FStatus', 'C'))));
  assert.ok(!matches(and(isIn('FName', []))));
});

test('like, in, is [not] null, not, and/or precedence, parentheses, case-insensitive keywords and keys', () => {
  assert.ok(matches("fname LIKE 'O%小店'"));
  assert.ok(matches("FName like '_''Neil%'"));
  assert.ok(!matches("FName like 'Neil%'"));
  assert.ok(matches("FName NOT LIKE 'x%'"));
  assert.ok(matches("FStatus In ('A','C')"));
  assert.ok(matches("FStatus not in ('A','B')"));
  assert.ok(matches('FNote IS NULL and FName is not null'));
  assert.ok(matches("FStatus = 'A' or FStatus = 'C' and FQty = 3"), 'AND binds tighter than OR');
  assert.ok(!matches("(FStatus = 'A' or FStatus = 'C') and FQty = 4"));
  assert.ok(matches("NOT (FStatus = 'A')"));
});

test('NULL is unknown: neither a comparison nor its negation matches', () => {
  assert.ok(!matches("FNote = 'x'"));
  assert.ok(!matches("not (FNote = 'x')"));
  assert.ok(!matches("FNote <> 'x'"));
  assert.ok(matches("FNote = 'x' or FQty = 3"));
  assert.ok(!matches("FNote in ('x', 'y')"));
});

test('empty filters match everything; malformed ones are syntax errors', () => {
  assert.equal(parseFilter('   '), undefined);
  assert.ok(matches(''));
  for (const bad of ["FName = 'open", 'FName =', 'FQty = 3 and', '(FQty = 3', 'FQty 3', "FName = 'a' ; drop", 'FQty in 3', 'FNote is 3']) {
    assert.throws(() => parseFilter(bad), FilterSyntaxError, bad);
  }
});
