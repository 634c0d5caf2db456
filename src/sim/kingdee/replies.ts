// Reply bodies in Kingdee's shapes (kingdee-webapi.md §5, §9.2).

export interface SimError {
  FieldName: string | null;
  Message: string;
  DIndex: number;
}

export interface SimEntity {
  Id: number | string;
  Number: string;
  DIndex: number;
}

export interface ResponseStatusBody {
  ErrorCode?: number;
  IsSuccess: boolean;
  Errors: SimError[];
  SuccessEntitys: SimEntity[];
  SuccessMessages: SimError[];
  MsgCode: number;
}

/** `ErrorCode` is absent on success and 500 on failure. */
export function responseStatus(parts: { errors?: SimError[]; successes?: SimEntity[]; messages?: SimError[]; msgCode?: number }): ResponseStatusBody {
  const errors = parts.errors ?? [];
  const ok = errors.length === 0;
  return {
    ...(ok ? {} : { ErrorCode: 500 }),
    IsSuccess: ok,
    Errors: errors,
    SuccessEntitys: parts.successes ?? [],
    SuccessMessages: parts.messages ?? [],
    MsgCode: ok ? 0 : (parts.msgCode ?? 11),
  };
}

export function failure(msgCode: number, message: string, fieldName: string | null = null): ResponseStatusBody {
  return responseStatus({ errors: [{ FieldName: fieldName, Message: message, DIndex: 0 }], msgCode });
}

export const SESSION_LOST_MESSAGE = '会话信息已丢失，请重新登录';

/** The MsgCode 1 reply every business endpoint gives without a live session (queries too). */
export function sessionLostBody(): unknown {
  return { Result: { ResponseStatus: failure(1, SESSION_LOST_MESSAGE) } };
}

/** ExecuteBillQuery wraps its errors twice: `[[{"Result":{"ResponseStatus":…}}]]`. */
export function executeBillQueryError(status: ResponseStatusBody): unknown {
  return [[{ Result: { ResponseStatus: status } }]];
}

export function lockConflictStatus(billNo: string): ResponseStatusBody {
  return failure(13, `网控冲突：单据“${billNo}”正在被其他用户操作，请稍后再试`);
}
