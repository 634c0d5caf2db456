// Shared test helpers: a simulator per test file, clients in every auth mode, raw HTTP calls, and a
// flagship-shaped SAL_RETURNSTOCK model linked to a seeded outbound line.
import { request } from 'undici';
import { KingdeeClient, type KingdeeAuthMode, type KingdeeConfigInput } from '../../src/connectors/kingdee';
import { startKingdeeSimulator, type KingdeeSimulator, type KingdeeSimulatorOptions } from '../../src/sim/kingdee';
import type { OutboundBill } from '../../src/sim/world';

export async function startSim(options: KingdeeSimulatorOptions = {}): Promise<KingdeeSimulator> {
  return startKingdeeSimulator({ seed: 7, refunds: 30, ...options });
}

export function clientFor(sim: KingdeeSimulator, authMode: KingdeeAuthMode = 'validate-user', overrides: Partial<KingdeeConfigInput> = {}, now?: () => number): KingdeeClient {
  const c = sim.credentials;
  return new KingdeeClient(
    { baseUrl: sim.baseUrl, acctId: c.acctId, username: c.username, password: c.password, appId: c.appId, appSecret: c.appSecret, authMode, ...overrides },
    now ? { now } : {},
  );
}

export interface RawResult {
  status: number;
  text: string;
  json: unknown;
  setCookies: string[];
}

/** POSTs a body to `<baseUrl>Kingdee.BOS.WebApi.ServicesStub.<service>.<op>.common.kdsvc`. */
export async function rawCall(sim: KingdeeSimulator, service: string, op: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResult> {
  const res = await request(`${sim.baseUrl}Kingdee.BOS.WebApi.ServicesStub.${service}.${op}.common.kdsvc`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const raw = res.headers['set-cookie'];
  return { status: res.statusCode, text, json, setCookies: raw === undefined ? [] : Array.isArray(raw) ? raw : [raw] };
}

/** Logs in with ValidateUser and returns the session id. */
export async function login(sim: KingdeeSimulator): Promise<string> {
  const c = sim.credentials;
  const r = await rawCall(sim, 'AuthService', 'ValidateUser', { acctid: c.acctId, username: c.username, password: c.password, lcid: 2052 });
  const id = (r.json as { KDSVCSessionId?: string }).KDSVCSessionId;
  if (!id) throw new Error(`login failed: ${r.text}`);
  return id;
}

/** A business call with a session header. */
export async function call(sim: KingdeeSimulator, sessionId: string, op: string, body: unknown): Promise<RawResult> {
  return rawCall(sim, 'DynamicFormService', op, body, { 'kdservice-sessionid': sessionId });
}

export interface ResponseStatusShape {
  IsSuccess: boolean;
  MsgCode: number;
  ErrorCode?: number;
  Errors: Array<{ FieldName: string | null; Message: string; DIndex: number }>;
  SuccessEntitys: Array<{ Id: number; Number: string; DIndex: number }>;
  SuccessMessages: Array<{ FieldName: string | null; Message: string; DIndex: number }>;
}

export function statusOf(json: unknown): ResponseStatusShape {
  const holder = Array.isArray(json) ? (json as unknown[][])[0]![0] : json;
  return (holder as { Result: { ResponseStatus: ResponseStatusShape } }).Result.ResponseStatus;
}

/** The outbound bill `index` of the world and the flagship-shaped return model linked to its first entry. */
export function returnModel(sim: KingdeeSimulator, index: number, billNo: string, overrides: { qty?: number; entry?: Record<string, unknown>; header?: Record<string, unknown> } = {}): { model: Record<string, unknown>; outbound: OutboundBill } {
  const outbound = sim.world.outboundBills[index]!;
  const line = outbound.entries[0]!;
  const model: Record<string, unknown> = {
    FID: 0,
    FBillNo: billNo,
    FBillTypeID: { FNumber: 'XSTHD01_SYS' },
    FDate: '2026-01-15 10:20:30',
    FSaleOrgId: { FNumber: outbound.orgNumber },
    FStockOrgId: { FNumber: '100' },
    FRetcustId: { FNumber: outbound.customerNumber },
    FHeadNote: billNo,
    SubHeadEntity: { FSettleOrgId: { FNumber: outbound.orgNumber }, FSettleCurrId: { FNumber: 'PRE001' } },
    FEntity: [
      {
        FMaterialId: { FNumber: line.skuId },
        FRealQty: overrides.qty ?? line.qty,
        FPrice: line.price,
        FTaxPrice: line.price,
        FReturnType: { FNumber: 'THLX01_SYS' },
        FOwnerTypeId: 'BD_OwnerOrg',
        FOwnerId: { FNumber: '100' },
        FStockId: { FNumber: line.stock },
        F_PSEH_TEXT: line.onlineLineId,
        FSrcBillTypeID: 'SAL_OUTSTOCK',
        FSrcBillNo: outbound.billNo,
        FEntity_Link: [
          {
            FEntity_Link_FRuleId: 'OutStock-SalReturnStock',
            FEntity_Link_FSTableName: 'T_SAL_OUTSTOCKENTRY',
            FEntity_Link_FSBillId: String(outbound.fid),
            FEntity_Link_FSId: String(line.entryId),
          },
        ],
        ...overrides.entry,
      },
    ],
    ...overrides.header,
  };
  return { model, outbound };
}
