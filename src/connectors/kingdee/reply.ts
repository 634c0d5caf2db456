// Turns one raw reply into a payload or a typed error, in the order of kingdee-webapi.md §1:
// transport error → non-2xx → `response_error:` → JSON parse → ResponseStatus (query or plain shape) → payload.
import {
  KingdeeBusinessError,
  KingdeeLockConflictError,
  KingdeeSessionLostError,
  KingdeeTransientError,
  KingdeeUnknownOutcomeError,
  KingdeeValidationError,
  type KingdeeCallContext,
  type KingdeeError,
} from './errors';
import type { RawReply, TransportFailure } from './http';
import { findResponseStatus, isSessionLost, responseErrorMessage, type NormalStatus } from './responses';

/** A failed call without a reply: a write that may have reached the server has an unknown outcome. */
export function errorForTransport(failure: TransportFailure, ctx: KingdeeCallContext, isWrite: boolean): KingdeeError {
  if (isWrite && failure.sent) {
    return new KingdeeUnknownOutcomeError(
      ctx,
      `reply lost after the request was sent (${failure.message}); the write may have committed: look the bill up by FBillNo before retrying`,
      { cause: failure },
    );
  }
  return new KingdeeTransientError(ctx, failure.message, { cause: failure });
}

/** Parses the body after HTTP-level checks; throws for non-2xx, `response_error:` and unparsable bodies. */
export function parseReply(reply: RawReply, ctx: KingdeeCallContext): unknown {
  if (reply.status !== 200 && reply.status !== 206) {
    const snippet = reply.body.replace(/\s+/g, ' ').trim().slice(0, 160);
    if (reply.body.includes('Fail to verify thirty passport')) {
      throw new KingdeeBusinessError(ctx, { msgCode: 0, fieldErrors: [] }, `HTTP ${reply.status} Fail to verify thirty passport: the data center (acctId) is unknown to the server`);
    }
    if (reply.status >= 500) throw new KingdeeTransientError(ctx, `HTTP ${reply.status}${snippet ? `: ${snippet}` : ''}`, { httpStatus: reply.status });
    throw new KingdeeBusinessError(ctx, { msgCode: 0, fieldErrors: [] }, `HTTP ${reply.status}${snippet ? `: ${snippet}` : ''}`);
  }
  const serverException = responseErrorMessage(reply.body);
  if (serverException !== undefined) throw new KingdeeTransientError(ctx, `server exception (response_error): ${serverException}`);
  try {
    return JSON.parse(reply.body) as unknown;
  } catch (err) {
    throw new KingdeeTransientError(ctx, `reply is not JSON: ${reply.body.slice(0, 80)}`, { cause: err });
  }
}

/** The typed error for a failed ResponseStatus. */
export function errorForStatus(status: NormalStatus, ctx: KingdeeCallContext): KingdeeError {
  if (isSessionLost(status)) {
    return new KingdeeSessionLostError(ctx, `session lost (MsgCode ${status.msgCode}): ${status.errors[0]?.message ?? ''}`.trim());
  }
  const detail = { msgCode: status.msgCode, fieldErrors: status.errors, succeeded: status.successes };
  if (status.msgCode === 11) return new KingdeeValidationError(ctx, detail);
  if (status.msgCode === 13) return new KingdeeLockConflictError(ctx, detail);
  return new KingdeeBusinessError(ctx, detail);
}

/** Parses and checks: returns the payload and its status when successful, throws the typed error otherwise. */
export function interpretReply(reply: RawReply, ctx: KingdeeCallContext): { payload: unknown; status: NormalStatus | undefined } {
  const payload = parseReply(reply, ctx);
  const status = findResponseStatus(payload);
  if (status && !status.isSuccess) throw errorForStatus(status, ctx);
  return { payload, status };
}
