import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, eq, isIn, literal } from '../../src/connectors/kingdee/filter-string';

test('string literals are quoted with embedded quotes doubled', () => {
  assert.equal(literal("a' or '1'='1"), "'a'' or ''1''=''1'");
  assert.equal(literal("O'Brien"), "'O''Brien'");
  assert.equal(literal(42), '42');
});

test('conditions join with and, each parenthesised', () => {
  assert.equal(and(eq('FName', '天猫旗舰店'), "FDocumentStatus='C'"), "(FName='天猫旗舰店') and (FDocumentStatus='C')");
  assert.equal(and(isIn('FNumber', ['A', "B'"])), "FNumber in ('A','B''')");
  assert.equal(and(isIn('FNumber', [])), '1=0');
});

test('field keys are checked, never taken from data', () => {
  assert.throws(() => eq("FName='x' or 1=1 --", 'v') && and(eq("FName='x' or 1=1 --", 'v')), /not a Kingdee field key/);
  assert.throws(() => literal(Number.NaN), /finite/);
});
