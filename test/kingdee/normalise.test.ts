// Reply normalisation without a server: the shapes of kingdee-webapi.md §1 and §5, string-typed values, error classes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  KingdeeBusinessError,
  KingdeeLockConflictError,
  KingdeeSessionLostError,
  KingdeeTransientError,
  KingdeeUnknownOutcomeError,
  KingdeeValidationError,
} from '../../src/connectors/kingdee';
import { TransportFailure } from '../../src/connectors/kingdee/http';
import { ConcurrencyLimiter } from '../../src/connectors/kingdee/limiter';
import { errorForStatus, errorForTransport, interpretReply, parseReply } from '../../src/connectors/kingdee/reply';
import { findResponseStatus, responseErrorMessage } from '../../src/connectors/kingdee/responses';

const ctx = { operation: 'Save', formId: 'SAL_RETURNSTOCK', billNumbers: ['5000001'] };
const reply = (body: unknown, status = 200) => ({ status, setCookies: [], body: typeof body === 'string' ? body : JSON.stringify(body) });

test('string-typed booleans and numbers are read leniently', () => {
  const status = findResponseStatus({
    Result: { ResponseStatus: { IsSuccess: 'false', MsgCode: '11', Errors: [{ FieldName: '', Message: 'x', DIndex: '2' }], SuccessEntitys: [{ Id: 7, Number: 'N', DIndex: '0' }] } },
  });
  assert.deepEqual(status, { isSuccess: false, msgCode: 11, errors: [{ fieldName: null, message: 'x', dIndex: 2 }], successes: [{ id: '7', number: 'N', dIndex: 0 }] });
  assert.equal(findResponseStatus({ ResponseStatus: { IsSuccess: 'True', MsgCode: '' } })?.isSuccess, true);
});

test('query errors arrive as [[{Result…}]]; rows and empty results carry no status', () => {
  const err = findResponseStatus([[{ Result: { ResponseStatus: { IsSuccess: false, MsgCode: 9, Errors: [{ FieldName: null, Message: '元数据中标识为FX的字段不存在', DIndex: 0 }] } } }]]);
  assert.equal(err?.msgCode, 9);
  assert.equal(findResponseStatus([['XSCKD000123', 100045]]), undefined);
  assert.equal(findResponseStatus([]), undefined);
  assert.equal(findResponseStatus({ Result: { ResponseStatus: null, Result: { Id: 1 } } }), undefined);
});

test('each MsgCode maps to its error class, with retryable set accordingly', () => {
  const make = (msgCode: number, message = 'm') => errorForStatus({ isSuccess: false, msgCode, errors: [{ fieldName: 'FBillNo', message, dIndex: 0 }], successes: [] }, ctx);
  const session = make(1);
  assert.ok(session instanceof KingdeeSessionLostError && session.retryable);
  const validation = make(11);
  assert.ok(validation instanceof KingdeeValidationError);
  assert.equal(validation.retryable, false);
  assert.deepEqual(validation.fieldErrors, [{ fieldName: 'FBillNo', message: 'm', dIndex: 0 }]);
  assert.match(validation.message, /Kingdee Save SAL_RETURNSTOCK \[5000001\]: MsgCode 11: FBillNo: m/);
  const lock = make(13);
  assert.ok(lock instanceof KingdeeLockConflictError && lock.retryable);
  const other = make(4);
  assert.ok(other instanceof KingdeeBusinessError && !(other instanceof KingdeeValidationError));
  assert.equal(other.retryable, false);
  assert.ok(make(0, '会话信息已丢失，请重新登录') instanceof KingdeeSessionLostError, 'the message is the fallback session detector');
});

test('non-200, response_error and non-JSON bodies are transient; an unknown data center is not', () => {
  assert.throws(() => parseReply(reply('<html>503</html>', 503), ctx), (e: unknown) => e instanceof KingdeeTransientError && e.httpStatus === 503 && e.retryable);
  const body = 'response_error:{"Message":"对象引用未设置到对象的实例","InnerExWrapper":null,"InnerException":null}';
  assert.equal(responseErrorMessage(body), '对象引用未设置到对象的实例');
  assert.throws(() => parseReply(reply(body), ctx), (e: unknown) => e instanceof KingdeeTransientError && /对象引用/.test(e.message));
  assert.throws(() => parseReply(reply('<html>'), ctx), KingdeeTransientError);
  assert.throws(() => parseReply(reply('Fail to verify thirty passport', 500), ctx), (e: unknown) => e instanceof KingdeeBusinessError && !e.retryable);
  assert.throws(() => parseReply(reply('nope', 404), ctx), (e: unknown) => e instanceof KingdeeBusinessError && /HTTP 404/.test(e.message));
  assert.deepEqual(parseReply(reply([[1]], 206), ctx), [[1]]);
  assert.throws(() => interpretReply(reply({ Result: { ResponseStatus: { IsSuccess: false, MsgCode: 13, Errors: [] } } }), ctx), KingdeeLockConflictError);
});

test('a lost reply is an unknown outcome only for writes that were sent', () => {
  const sent = new TransportFailure(true, false, 'network failure (UND_ERR_SOCKET)');
  const notSent = new TransportFailure(false, false, 'network failure (ECONNREFUSED)');
  assert.ok(errorForTransport(sent, ctx, true) instanceof KingdeeUnknownOutcomeError);
  assert.ok(errorForTransport(sent, ctx, false) instanceof KingdeeTransientError);
  assert.ok(errorForTransport(notSent, ctx, true) instanceof KingdeeTransientError);
});

test('the concurrency limiter never runs more than its limit and keeps FIFO order', async () => {
  const limiter = new ConcurrencyLimiter(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  const gates: Array<() => void> = [];
  const tasks = [0, 1, 2, 3, 4].map((i) =>
    limiter.run(async () => {
      active++;
      peak = Math.max(peak, active);
      order.push(i);
      await new Promise<void>((resolve) => gates.push(resolve));
      active--;
    }),
  );
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  await flush();
  assert.equal(limiter.inFlight, 2);
  assert.equal(limiter.queued, 3);
  while (gates.length > 0) {
    gates.shift()!();
    await flush();
  }
  await Promise.all(tasks);
  assert.equal(peak, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(limiter.inFlight, 0);
});
