// Issue 16, point 1: adopt by status, never by presence.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { billStatusLabel, nextMove } from '../../src/workflows/bill-progress';

test('a draft (Z or empty) is saved, never reported as synced', () => {
  for (const s of ['Z', '']) {
    assert.equal(nextMove(s, 'audited'), 'save-draft');
    assert.equal(nextMove(s, 'saved'), 'save-draft');
  }
});

test('A and D are submitted, B audited, C done, toward an audited end state', () => {
  assert.deepEqual(['A', 'D', 'B', 'C'].map((s) => nextMove(s, 'audited')), ['submit', 'submit', 'audit', 'done']);
});

test('a bill at or past the scheme\'s end state is done', () => {
  assert.deepEqual(['A', 'D', 'B', 'C'].map((s) => nextMove(s, 'saved')), ['done', 'done', 'done', 'done']);
  assert.deepEqual(['A', 'B', 'C'].map((s) => nextMove(s, 'submitted')), ['submit', 'done', 'done']);
});

test('a status the product cannot move forward parks, and its label names it', () => {
  assert.equal(nextMove('X', 'audited'), 'park');
  assert.equal(nextMove('c', 'audited'), 'park');
  assert.equal(billStatusLabel('X'), '"X"');
  assert.match(billStatusLabel('Z'), /暂存/);
});
