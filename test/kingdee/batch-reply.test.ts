// Reading a many-bill reply bill by bill (kingdee-batching.md §2, §3.5): successes by FBillNo (or its BillNo
// alias), never by position or IsSuccess; errors by DIndex; errors without DIndex make the call's outcome unknown.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findResponseStatus } from '../../src/connectors/kingdee/responses';
import { readReply, type WriteItem } from '../../src/kingdee-batching';

const items = (...numbers: string[]): WriteItem[] => numbers.map((billNo) => ({ billNo, resolve: () => {}, reject: () => {} }));
const statusOf = (s: Record<string, unknown>) => findResponseStatus({ Result: { ResponseStatus: { IsSuccess: true, MsgCode: 0, Errors: [], SuccessEntitys: [], ...s } } })!;

test('successes are matched by number whatever their order or DIndex; BillNo is accepted as the number', () => {
  const sent = items('A', 'B', 'C');
  const read = readReply(statusOf({ SuccessEntitys: [{ Id: 3, Number: 'C', DIndex: 0 }, { Id: 1, BillNo: 'A', DIndex: 2 }] }), sent);
  assert.deepEqual([...read.done].map(([i, e]) => [i.billNo, e.id]), [['C', '3'], ['A', '1']]);
  assert.deepEqual(read.unknown.map((i) => i.billNo), ['B'], 'not named: unknown, even though IsSuccess is true');
  assert.equal(read.callLevel, false);
});

test('an error with its DIndex rejects that bill only; a success without a number is not trusted by position', () => {
  const sent = items('A', 'B');
  const read = readReply(
    statusOf({ IsSuccess: false, MsgCode: 11, SuccessEntitys: [{ Id: 9, Number: '', DIndex: 0 }], Errors: [{ FieldName: 'FQty', Message: 'bad', DIndex: 1 }] }),
    sent,
  );
  assert.deepEqual([...read.rejected.keys()].map((i) => i.billNo), ['B']);
  assert.deepEqual(read.unknown.map((i) => i.billNo), ['A']);
  assert.equal(read.done.size, 0);
});

test('errors without DIndex, or one error and nothing saved in a many-bill call, concern the call: all unknown', () => {
  const noIndex = readReply(statusOf({ IsSuccess: false, MsgCode: 11, Errors: [{ FieldName: null, Message: 'prompt' }], SuccessEntitys: [{ Id: 1, Number: 'A', DIndex: 0 }] }), items('A', 'B'));
  assert.equal(noIndex.callLevel, true);
  assert.deepEqual(noIndex.unknown.map((i) => i.billNo), ['B']);
  assert.equal(noIndex.rejected.size, 0);
  const rolledBack = readReply(statusOf({ IsSuccess: false, MsgCode: 11, Errors: [{ FieldName: null, Message: 'group failed', DIndex: 0 }] }), items('A', 'B', 'C'));
  assert.equal(rolledBack.callLevel, true);
  assert.equal(rolledBack.unknown.length, 3);
  // Sent alone, a bill's error is its own, DIndex or not.
  const alone = readReply(statusOf({ IsSuccess: false, MsgCode: 11, Errors: [{ FieldName: null, Message: 'its own' }] }), items('A'));
  assert.equal(alone.callLevel, false);
  assert.deepEqual([...alone.rejected.keys()].map((i) => i.billNo), ['A']);
});
