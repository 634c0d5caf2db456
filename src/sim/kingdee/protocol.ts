// Routes and request bodies of the WebAPI (kingdee-webapi.md §1, §9.1): `…ServicesStub.<Service>.<Op>.common.kdsvc`
// matched case-insensitively; named, positional and legacy bodies; `data` as object or JSON string.
import { getCi, isRecord } from './values';

export type OperationKind = 'login' | 'logout' | 'write' | 'read' | 'query';

export interface OperationSpec {
  service: 'AuthService' | 'DynamicFormService';
  name: string;
  kind: OperationKind;
}

const SPECS: OperationSpec[] = [
  { service: 'AuthService', name: 'ValidateUser', kind: 'login' },
  { service: 'AuthService', name: 'ValidateUser2', kind: 'login' },
  { service: 'AuthService', name: 'LoginByAppSecret', kind: 'login' },
  { service: 'AuthService', name: 'LoginBySign', kind: 'login' },
  { service: 'AuthService', name: 'Logout', kind: 'logout' },
  { service: 'DynamicFormService', name: 'Save', kind: 'write' },
  { service: 'DynamicFormService', name: 'BatchSave', kind: 'write' },
  { service: 'DynamicFormService', name: 'Draft', kind: 'write' },
  { service: 'DynamicFormService', name: 'Submit', kind: 'write' },
  { service: 'DynamicFormService', name: 'Audit', kind: 'write' },
  { service: 'DynamicFormService', name: 'UnAudit', kind: 'write' },
  { service: 'DynamicFormService', name: 'CancelAssign', kind: 'write' },
  { service: 'DynamicFormService', name: 'Delete', kind: 'write' },
  { service: 'DynamicFormService', name: 'View', kind: 'read' },
  { service: 'DynamicFormService', name: 'ExecuteBillQuery', kind: 'query' },
  { service: 'DynamicFormService', name: 'BillQuery', kind: 'query' },
];

const ROUTE = /\/Kingdee\.BOS\.WebApi\.ServicesStub\.([A-Za-z]+)\.([A-Za-z0-9]+)\.common\.kdsvc$/i;

/** The operation a path names; undefined for unknown ones (HTTP 404). */
export function routeOf(pathname: string): OperationSpec | undefined {
  const m = ROUTE.exec(pathname);
  if (!m) return undefined;
  const [service, op] = [m[1]!.toLowerCase(), m[2]!.toLowerCase()];
  return SPECS.find((s) => s.service.toLowerCase() === service && s.name.toLowerCase() === op);
}

export function isKdsvcPath(pathname: string): boolean {
  return /\.common\.kdsvc$/i.test(pathname);
}

export interface RequestArgs {
  /** `{"parameters":[…]}` (also a JSON string, as legacy clients send it). */
  positional: unknown[] | undefined;
  /** A named key, matched case-insensitively. */
  named(key: string): unknown;
}

export class BodyError extends Error {}

/** JSON (any Content-Type) or form-encoded bodies; `parameters` may be an array or a JSON-encoded array. */
export function parseArgs(raw: string): RequestArgs {
  let body: Record<string, unknown> = {};
  const text = raw.trim();
  if (text !== '') {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) body = { parameters: parsed };
      else if (isRecord(parsed)) body = parsed;
      else throw new BodyError('the request body is not a JSON object');
    } catch (err) {
      if (err instanceof BodyError) throw err;
      if (!text.includes('=')) throw new BodyError('the request body is neither JSON nor form-encoded');
      body = Object.fromEntries(new URLSearchParams(text));
    }
  }
  let parameters = getCi(body, 'parameters');
  if (typeof parameters === 'string') {
    try {
      parameters = JSON.parse(parameters);
    } catch {
      throw new BodyError('parameters is not a JSON array');
    }
  }
  if (parameters !== undefined && !Array.isArray(parameters)) throw new BodyError('parameters is not an array');
  return { positional: parameters as unknown[] | undefined, named: (key) => getCi(body, key) };
}

/** `data` may be an object or a JSON-encoded string. */
export function dataObject(raw: unknown): Record<string, unknown> | undefined {
  if (isRecord(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(raw);
      return isRecord(parsed) ? parsed : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** FormId and data of a business call: `{formid, data}` / `[formId, data]`, or `{data}` / `[data]` for queries. */
export function businessArgs(spec: OperationSpec, args: RequestArgs): { formId: string | undefined; data: Record<string, unknown> | undefined } {
  if (spec.kind === 'query') {
    const data = dataObject(args.positional ? args.positional[0] : args.named('data'));
    const formId = data ? getCi(data, 'FormId') : undefined;
    return { formId: typeof formId === 'string' ? formId : undefined, data };
  }
  const formId = args.positional ? args.positional[0] : args.named('formid');
  const data = dataObject(args.positional ? args.positional[1] : args.named('data'));
  return { formId: typeof formId === 'string' && formId.trim() !== '' ? formId.trim() : undefined, data };
}

/** The bill number a call is about (for the lock-conflict message). */
export function firstBillNumber(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  const numbers = getCi(data, 'Numbers');
  if (Array.isArray(numbers) && numbers.length > 0) return String(numbers[0]);
  const number = getCi(data, 'Number');
  if (typeof number === 'string') return number;
  const model = getCi(data, 'Model');
  const first = Array.isArray(model) ? model[0] : model;
  return isRecord(first) ? String(getCi(first, 'FBillNo') ?? '') : '';
}
