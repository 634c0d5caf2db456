// Helpers for scheme tests: small schemes built as objects, collections derived from the shared world.
import { mapRecord, parseScheme, resolveLookups, type CollectionRows, type LookupAnswers, type MappingResult, type Scheme } from '../../src/scheme';
import type { World } from '../../src/sim/world';

export type Row = { field: string; type: string; value?: string; name?: string; basedata?: string; required?: boolean };

export const MATERIALS_ID = 'd36b5c74-bdf8-3bcb-a345-22dac34d52aa';
export const CUSTOMERS_ID = '255f7565-c782-3985-9020-59aa6a647e61';
export const OUTBOUND_ID = 'f58fe563-79a6-313e-a1bd-4be16eb7ff7a';

export const TEST_COLLECTIONS = {
  [CUSTOMERS_ID]: {
    name: 'customers', noun: 'customer', kingdee: { formId: 'BD_Customer' },
    fields: { FName: 'FName', FNumber: 'FNumber', F_PSEH_OrgId: 'F_PSEH_OrgId.FNumber' },
  },
  [OUTBOUND_ID]: {
    name: 'outbound_lines', noun: 'outbound line', kingdee: { formId: 'SAL_OUTSTOCK', filter: [{ key: 'FDocumentStatus', op: '=', value: 'C' }] },
    fields: { FBillNo: 'FBillNo', FID: 'FID', FEntity_FENTRYID: 'FEntity_FEntryID', F_PSEH_TEXT: 'F_PSEH_TEXT', FMaterialID_FNumber: 'FMaterialID.FNumber' },
  },
  [MATERIALS_ID]: { name: 'materials', noun: 'material', kingdee: { formId: 'BD_MATERIAL' }, fields: { FNumber: 'FNumber', FIsBatchManage: 'FIsBatchManage' } },
};

/** A scheme object (as a file would hold it) around the given mapping rows. */
export function schemeObject(mapping: Row[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'test-scheme',
    name: 'test',
    source: { system: 'jushuitan', api: 'refund.single.query', keyField: 'as_id', versionField: 'modified' },
    target: { system: 'kingdee', formId: 'SAL_RETURNSTOCK', numberField: 'FBillNo', options: { IsVerifyBaseDataField: false } },
    collections: TEST_COLLECTIONS,
    mapping: [{ field: 'FBillNo', type: 'string', value: '{{as_id}}' }, ...mapping],
    ...extra,
  };
}

export function makeScheme(mapping: Row[], extra: Record<string, unknown> = {}): Scheme {
  return parseScheme(JSON.stringify(schemeObject(mapping, extra)), 'test-scheme.json');
}

/** Maps `record` with lookups answered from `rows`; returns the result. */
export async function mapWith(
  scheme: Scheme,
  record: Record<string, unknown>,
  rows: Record<string, CollectionRows> = {},
): Promise<{ answers: LookupAnswers; result: MappingResult }> {
  const answers = await resolveLookups(scheme, record, { rows });
  return { answers, result: mapRecord(scheme, record, answers) };
}

/** The flagship collections as JSON rows, derived from the same world the simulators serve. */
export function worldCollections(world: World): Record<string, CollectionRows> {
  return {
    customers: world.shops.map((s) => ({ FName: s.name, FNumber: s.customerNumber, F_PSEH_OrgId: s.orgNumber })),
    outbound_lines: world.outboundBills.flatMap((b) =>
      b.entries.map((e) => ({ FBillNo: b.billNo, FID: b.fid, FEntity_FENTRYID: e.entryId, F_PSEH_TEXT: e.onlineLineId, FMaterialID_FNumber: e.skuId })),
    ),
    materials: world.skus.map((s) => ({ FNumber: s.skuId, FIsBatchManage: s.batchManaged })),
  };
}
