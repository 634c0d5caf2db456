// reconcile's progress bar: drawn on a terminal, cleared at the end, silent when output is not a terminal.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalProgress } from '../../src/reconcile/progress';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return { stream: { isTTY, write: (s: string) => written.push(s) > 0 } as unknown as NodeJS.WriteStream, written };
}

test('on a terminal: a bar with done/total, a running count, cleared when done', () => {
  const { stream, written } = fakeStream(true);
  const p = terminalProgress(stream);
  p.count('Jushuitan records', 120);
  p.step('Kingdee bills', 100, 200);
  p.done();
  assert.match(written[0]!, /Jushuitan records\s+120$/);
  assert.match(written[1]!, /Kingdee bills\s+\[#{15}\.{15}\] 100\/200$/);
  assert.equal(written[2], '\r\x1b[2K');
});

test('piped or captured: nothing is written', () => {
  const { stream, written } = fakeStream(false);
  const p = terminalProgress(stream);
  p.count('Jushuitan records', 1);
  p.step('Kingdee bills', 1, 2);
  p.done();
  assert.deepEqual(written, []);
});
