// Typed Kingdee errors, born here and classified once by the activities (retryable or not).
// Messages name the operation, form and bill numbers; they never carry credentials or signatures.

export interface KingdeeFieldError {
  fieldName: string | null;
  message: string;
  /** 0-based position of the bill in the request (Model index, or position in Numbers). */
  dIndex: number;
  /** The reply gave no DIndex (reported as 0): the error concerns the whole call, not one bill. */
  withoutDIndex?: true;
}

export interface KingdeeEntity {
  id: string;
  number: string;
  dIndex: number;
}

/** Where an error happened: the operation (`Save`, `ExecuteBillQuery`, ...), the form and the bill numbers involved. */
export interface KingdeeCallContext {
  operation: string;
  formId?: string;
  billNumbers?: readonly string[];
}

function describe(ctx: KingdeeCallContext): string {
  const bills = ctx.billNumbers?.filter((n) => n !== '') ?? [];
  const shown = bills.length > 5 ? [...bills.slice(0, 5), `… ${bills.length - 5} more`] : bills;
  return `Kingdee ${ctx.operation}${ctx.formId ? ` ${ctx.formId}` : ''}${shown.length > 0 ? ` [${shown.join(', ')}]` : ''}`;
}

export abstract class KingdeeError extends Error {
  abstract readonly retryable: boolean;
  readonly operation: string;
  readonly formId: string | undefined;
  readonly billNumbers: readonly string[];

  constructor(ctx: KingdeeCallContext, detail: string, options?: { cause?: unknown }) {
    super(`${describe(ctx)}: ${detail}`, options);
    this.name = new.target.name;
    this.operation = ctx.operation;
    this.formId = ctx.formId;
    this.billNumbers = ctx.billNumbers ?? [];
  }
}

/** MsgCode 1: the session is gone. The client re-logs in and retries reads itself; this escapes only when that is impossible. */
export class KingdeeSessionLostError extends KingdeeError {
  readonly retryable: boolean;
  constructor(ctx: KingdeeCallContext, detail: string, retryable = true) {
    super(ctx, detail);
    this.retryable = retryable;
  }
}

/** A login call that the server refused (wrong password, unknown AppId, ...): configuration, not weather. */
export class KingdeeLoginError extends KingdeeError {
  readonly retryable = false;
  readonly loginResultType: number | undefined;
  constructor(ctx: KingdeeCallContext, detail: string, loginResultType?: number) {
    super(ctx, detail);
    this.loginResultType = loginResultType;
  }
}

/** `IsSuccess:false` with a MsgCode other than 1, 11 and 13. */
export class KingdeeBusinessError extends KingdeeError {
  readonly retryable: boolean;
  readonly msgCode: number;
  readonly fieldErrors: readonly KingdeeFieldError[];
  /** Bills the same call did process (multi-number operations are handled per bill). */
  readonly succeeded: readonly KingdeeEntity[];

  constructor(
    ctx: KingdeeCallContext,
    status: { msgCode: number; fieldErrors: readonly KingdeeFieldError[]; succeeded?: readonly KingdeeEntity[] },
    detail?: string,
  ) {
    super(ctx, detail ?? `MsgCode ${status.msgCode}: ${summarise(status.fieldErrors)}`);
    this.msgCode = status.msgCode;
    this.fieldErrors = status.fieldErrors;
    this.succeeded = status.succeeded ?? [];
    // 6 = database failure (e.g. 事务已中止), 14 = call limit: both pass with time.
    this.retryable = status.msgCode === 6 || status.msgCode === 14;
  }
}

/** MsgCode 11: the server rejected the data (required field, duplicate number, wrong status, ...). Not retryable. */
export class KingdeeValidationError extends KingdeeBusinessError {
  override readonly retryable = false;
}

/** MsgCode 13: another user holds the bill (network control). Retry later. */
export class KingdeeLockConflictError extends KingdeeBusinessError {
  override readonly retryable = true;
}

/** HTTP 5xx, network failure before a reply on a read or before sending, `response_error:` bodies, garbled replies. */
export class KingdeeTransientError extends KingdeeError {
  readonly retryable = true;
  readonly httpStatus: number | undefined;
  constructor(ctx: KingdeeCallContext, detail: string, options?: { cause?: unknown; httpStatus?: number }) {
    super(ctx, detail, options);
    this.httpStatus = options?.httpStatus;
  }
}

/** The reply exceeded the byte cap (KINGDEE_MAX_REPLY_MB): asking again would fetch it again. */
export class KingdeeReplyTooLargeError extends KingdeeError {
  readonly retryable = false;
}

/**
 * A write was sent but its reply was lost (timeout, reset). It may have committed. Never replay it blindly:
 * look the bill up by FBillNo first (`findBill`), then resume from the status found (kingdee-webapi.md §7).
 */
export class KingdeeUnknownOutcomeError extends KingdeeError {
  /** Retryable only through a lookup by bill number; `verifyBeforeRetry` says so explicitly. */
  readonly retryable = true;
  readonly verifyBeforeRetry = true;
}

function summarise(errors: readonly KingdeeFieldError[]): string {
  if (errors.length === 0) return 'no error details';
  const shown = errors.slice(0, 5).map((e) => (e.fieldName ? `${e.fieldName}: ${e.message}` : e.message));
  return shown.join('; ') + (errors.length > 5 ? `; … ${errors.length - 5} more` : '');
}
