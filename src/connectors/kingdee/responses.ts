// Reply shapes and their normalisation (kingdee-webapi.md §1, §5). Kingdee answers business errors with
// HTTP 200, spells booleans and numbers as strings in places, and wraps query errors in `[[…]]`.
import { z } from 'zod';
import type { KingdeeEntity, KingdeeFieldError } from './errors';

const boolish = z.union([z.boolean(), z.string(), z.number()]).transform((v) => {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  return ['true', '1'].includes(v.trim().toLowerCase());
});

const intish = z.union([z.number(), z.string()]).nullish().transform((v) => {
  if (v === null || v === undefined) return 0;
  const n = typeof v === 'number' ? v : Number(v.trim() === '' ? 0 : v);
  return Number.isFinite(n) ? Math.trunc(n) : 0;
});

const textish = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v)));

const FieldErrorSchema = z.looseObject({ FieldName: z.string().nullish(), Message: textish, DIndex: intish });
/** Whether an error item names its bill: one without DIndex concerns the whole call (kingdee-batching.md §2). */
const hasDIndex = (raw: unknown): boolean => isRecord(raw) && Object.keys(raw).some((k) => k.toLowerCase() === 'dindex' && raw[k] !== null && raw[k] !== '');
// Some servers name the number `BillNo` beside (or instead of) `Number` (kingdee-batching.md §2).
const SuccessEntitySchema = z.looseObject({ Id: textish, Number: textish, BillNo: textish, DIndex: intish });

export const ResponseStatusSchema = z.looseObject({
  IsSuccess: boolish,
  MsgCode: intish,
  ErrorCode: intish,
  Errors: z.array(FieldErrorSchema).nullish(),
  SuccessEntitys: z.array(SuccessEntitySchema).nullish(),
});

export interface NormalStatus {
  isSuccess: boolean;
  msgCode: number;
  errors: KingdeeFieldError[];
  successes: KingdeeEntity[];
}

export const LoginResultSchema = z.looseObject({
  LoginResultType: intish,
  KDSVCSessionId: z.string().nullish(),
  Message: z.string().nullish(),
});

/** The Save reply's top level (besides ResponseStatus). */
export const SaveResultSchema = z.looseObject({ Id: textish, Number: textish, NeedReturnData: z.unknown().optional() });

/** A KDException after the `response_error:` prefix. */
const KdExceptionSchema = z.looseObject({ Message: z.string().nullish() });

export const SESSION_LOST_TEXT = '会话信息已丢失';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The human part of a `response_error:` body, or undefined when the body is not one. */
export function responseErrorMessage(body: string): string | undefined {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('response_error:')) return undefined;
  const rest = trimmed.slice('response_error:'.length);
  try {
    const parsed = KdExceptionSchema.safeParse(JSON.parse(rest));
    if (parsed.success && parsed.data.Message) return parsed.data.Message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return rest.slice(0, 200) || 'server exception';
}

/**
 * Finds the ResponseStatus wherever Kingdee put it: `[[{"Result":{"ResponseStatus":…}}]]` (query errors),
 * `{"Result":{"ResponseStatus":…}}` (writes, BillQuery errors, session loss on any endpoint) or a bare
 * `{"ResponseStatus":…}`. Returns undefined for payloads without one (query rows, View with null status).
 */
export function findResponseStatus(payload: unknown): NormalStatus | undefined {
  let holder: unknown = payload;
  if (Array.isArray(payload)) {
    const first = Array.isArray(payload[0]) ? (payload[0] as unknown[])[0] : undefined;
    if (!isRecord(first) || !('Result' in first)) return undefined;
    holder = first;
  }
  if (!isRecord(holder)) return undefined;
  const result = holder.Result;
  const raw = isRecord(result) && isRecord(result.ResponseStatus) ? result.ResponseStatus : holder.ResponseStatus;
  if (!isRecord(raw)) return undefined;
  const parsed = ResponseStatusSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const s = parsed.data;
  return {
    isSuccess: s.IsSuccess,
    msgCode: s.MsgCode,
    errors: (s.Errors ?? []).map((e, i) => ({
      fieldName: e.FieldName ? e.FieldName : null,
      message: e.Message,
      dIndex: e.DIndex,
      ...(hasDIndex((raw.Errors as unknown[] | undefined)?.[i]) ? {} : { withoutDIndex: true }),
    })),
    successes: (s.SuccessEntitys ?? []).map((e) => ({ id: e.Id, number: e.Number || e.BillNo, dIndex: e.DIndex })),
  };
}

/** MsgCode 1 is the session detector; the message text is the fallback (kingdee-webapi.md §5.5). */
export function isSessionLost(status: NormalStatus): boolean {
  return status.msgCode === 1 || status.errors.some((e) => e.message.includes(SESSION_LOST_TEXT));
}

/** The body of `{"Result":{…}}` (Save, View), or the payload itself. */
export function unwrapResult(payload: unknown): unknown {
  return isRecord(payload) && 'Result' in payload ? payload.Result : payload;
}
