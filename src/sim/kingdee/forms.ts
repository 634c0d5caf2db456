// The simulator's form metadata: which field keys exist on each form, their captions (used in error
// texts), types (used to coerce filter literals and Save values) and base-data targets. Spellings follow
// kingdee-webapi.md §4.4 and the flagship scheme; lookups are case-insensitive, as on the real server.

export type FieldKind = 'text' | 'number' | 'date' | 'bool' | 'ref' | 'lot' | 'status';

export interface FieldDef {
  key: string;
  caption: string;
  kind: FieldKind;
  /** Base-data form a `ref` field points at. */
  refForm?: string;
  required?: boolean;
  /** Must be > 0 when present (实退数量). */
  positive?: boolean;
  /** Sub-header object the field sits in on Save (`SubHeadEntity`); queries see it flat. */
  group?: string;
  /** Read only: ignored on Save (FDocumentStatus). */
  readOnly?: boolean;
}

export interface EntryDef {
  key: string;
  caption: string;
  fields: FieldDef[];
  /** At least one row on Save. */
  required: boolean;
}

export interface LinkRule {
  sourceFormId: string;
  ruleId: string;
  tableName: string;
}

export interface FormDef {
  formId: string;
  caption: string;
  kind: 'bill' | 'base';
  /** Internal id key (FID for bills, FMATERIALID, FCUSTID, ...). */
  pk: string;
  /** FBillNo for bills, FNumber for base data. */
  numberKey: string;
  numberPrefix: string;
  fields: FieldDef[];
  entry?: EntryDef;
  link?: LinkRule;
}

const text = (key: string, caption: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, caption, kind: 'text', ...extra });
const num = (key: string, caption: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, caption, kind: 'number', ...extra });
const date = (key: string, caption: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, caption, kind: 'date', ...extra });
const bool = (key: string, caption: string): FieldDef => ({ key, caption, kind: 'bool' });
const ref = (key: string, caption: string, refForm: string, extra: Partial<FieldDef> = {}): FieldDef => ({ key, caption, kind: 'ref', refForm, ...extra });

export const ORG = 'ORG_Organizations';
export const CUSTOMER = 'BD_Customer';
export const MATERIAL = 'BD_MATERIAL';
export const STOCK = 'BD_STOCK';
export const CURRENCY = 'BD_Currency';
export const UNIT = 'BD_UNIT';
export const BILL_TYPE = 'BOS_BillType';
export const ASSISTANT_DATA = 'BOS_ASSISTANTDATA_DETAIL';
export const STOCK_STATUS = 'BD_StockStatus';
export const RATE_TYPE = 'BD_RateType';
export const OUTSTOCK = 'SAL_OUTSTOCK';
export const RETURNSTOCK = 'SAL_RETURNSTOCK';

function baseForm(formId: string, caption: string, pk: string, extra: FieldDef[] = []): FormDef {
  return {
    formId, caption, kind: 'base', pk, numberKey: 'FNumber', numberPrefix: '',
    fields: [
      text('FNumber', '编码'), text('FName', '名称'),
      { key: 'FForbidStatus', caption: '禁用状态', kind: 'status', readOnly: true },
      { key: 'FDocumentStatus', caption: '数据状态', kind: 'status', readOnly: true },
      ...extra,
    ],
  };
}

const billHeader = (): FieldDef[] => [
  text('FBillNo', '单据编号'),
  { key: 'FDocumentStatus', caption: '单据状态', kind: 'status', readOnly: true },
];

const RETURN_STOCK: FormDef = {
  formId: RETURNSTOCK, caption: '销售退货单', kind: 'bill', pk: 'FID', numberKey: 'FBillNo', numberPrefix: 'XSTHD',
  fields: [
    ...billHeader(),
    ref('FBillTypeID', '单据类型', BILL_TYPE, { required: true }),
    date('FDate', '日期', { required: true }),
    ref('FSaleOrgId', '销售组织', ORG, { required: true }),
    ref('FStockOrgId', '库存组织', ORG, { required: true }),
    ref('FRetcustId', '退货客户', CUSTOMER, { required: true }),
    ref('FReceiveCustId', '收货方', CUSTOMER),
    ref('FSettleCustId', '结算方', CUSTOMER),
    ref('FPayCustId', '付款方', CUSTOMER),
    text('FReturnReason', '退货原因'),
    text('FOwnerTypeIdHead', '货主类型'),
    ref('FOwnerIdHead', '货主', ORG),
    text('FHeadNote', '备注'),
    ref('FSettleOrgId', '结算组织', ORG, { group: 'SubHeadEntity' }),
    ref('FSettleCurrId', '结算币别', CURRENCY, { group: 'SubHeadEntity', required: true }),
    ref('FLocalCurrId', '本位币', CURRENCY, { group: 'SubHeadEntity' }),
    ref('FExchangeTypeId', '汇率类型', RATE_TYPE, { group: 'SubHeadEntity' }),
    num('FExchangeRate', '汇率', { group: 'SubHeadEntity' }),
    num('FAllDisCount', '整单折扣额', { group: 'SubHeadEntity' }),
  ],
  entry: {
    key: 'FEntity', caption: '明细信息', required: true,
    fields: [
      text('FRowType', '产品类型'),
      ref('FMaterialId', '物料编码', MATERIAL, { required: true }),
      ref('FUnitID', '库存单位', UNIT),
      num('FRealQty', '实退数量', { required: true, positive: true }),
      num('FMustqty', '应退数量'),
      ref('FSalUnitID', '销售单位', UNIT),
      num('FSalUnitQty', '销售数量'),
      num('FSalBaseQty', '销售基本数量'),
      num('FPriceBaseQty', '计价基本数量'),
      num('FPrice', '单价'),
      num('FTaxPrice', '含税单价'),
      num('FEntryTaxRate', '税率%'),
      bool('FIsFree', '是否赠品'),
      ref('FReturnType', '退货类型', ASSISTANT_DATA),
      ref('FStockId', '仓库', STOCK, { required: true }),
      ref('FStockstatusId', '库存状态', STOCK_STATUS),
      { key: 'FLot', caption: '批号', kind: 'lot' },
      date('FProduceDate', '生产日期'),
      date('FExpiryDate', '有效期至'),
      text('FOwnerTypeId', '货主类型'),
      ref('FOwnerId', '货主', ORG),
      date('FDeliveryDate', '退货日期'),
      num('FSOEntryId', '销售订单分录内码'),
      text('FSrcBillTypeID', '源单类型'),
      text('FSrcBillNo', '源单编号'),
      text('FNote', '备注'),
      text('F_PSEH_TEXT', '网上订单号'),
      num('F_PSEH_AMOUNT1', '管易价税合计'),
      num('FDISCOUNT', '折扣额'),
    ],
  },
  link: { sourceFormId: OUTSTOCK, ruleId: 'OutStock-SalReturnStock', tableName: 'T_SAL_OUTSTOCKENTRY' },
};

const OUT_STOCK: FormDef = {
  formId: OUTSTOCK, caption: '销售出库单', kind: 'bill', pk: 'FID', numberKey: 'FBillNo', numberPrefix: 'XSCKD',
  fields: [
    ...billHeader(),
    ref('FBillTypeID', '单据类型', BILL_TYPE, { required: true }),
    date('FDate', '日期', { required: true }),
    ref('FSaleOrgId', '销售组织', ORG, { required: true }),
    ref('FStockOrgId', '发货组织', ORG, { required: true }),
    ref('FCustomerID', '客户', CUSTOMER, { required: true }),
    text('FHeadNote', '备注'),
    ref('FSettleCurrId', '结算币别', CURRENCY, { group: 'SubHeadEntity' }),
  ],
  entry: {
    key: 'FEntity', caption: '明细信息', required: true,
    fields: [
      ref('FMaterialID', '物料编码', MATERIAL, { required: true }),
      ref('FUnitID', '库存单位', UNIT),
      num('FRealQty', '实发数量', { required: true, positive: true }),
      num('FBaseUnitQty', '基本单位数量'),
      num('FPrice', '单价'),
      num('FTaxPrice', '含税单价'),
      ref('FStockID', '仓库', STOCK, { required: true }),
      { key: 'FLot', caption: '批号', kind: 'lot' },
      text('F_PSEH_TEXT', '网上订单号'),
    ],
  },
};

export const FORMS: readonly FormDef[] = [
  RETURN_STOCK,
  OUT_STOCK,
  baseForm(ORG, '组织机构', 'FORGID'),
  baseForm(CUSTOMER, '客户', 'FCUSTID', [ref('F_PSEH_OrgId', '所属组织', ORG)]),
  baseForm(MATERIAL, '物料', 'FMATERIALID', [bool('FIsBatchManage', '启用批号管理'), text('FSpecification', '规格型号')]),
  baseForm(STOCK, '仓库', 'FSTOCKID'),
  baseForm(CURRENCY, '币别', 'FCURRENCYID'),
  baseForm(UNIT, '计量单位', 'FUNITID'),
  baseForm(BILL_TYPE, '单据类型', 'FBILLTYPEID'),
  baseForm(ASSISTANT_DATA, '辅助资料', 'FENTRYID'),
  baseForm(STOCK_STATUS, '库存状态', 'FSTOCKSTATUSID'),
  baseForm(RATE_TYPE, '汇率类型', 'FRATETYPEID'),
];

const BY_ID = new Map(FORMS.map((f) => [f.formId, f]));

/** FormIds are matched exactly, as on the real server (kingdee-webapi.md §6). */
export function formDef(formId: string): FormDef | undefined {
  return BY_ID.get(formId);
}

export function headerField(def: FormDef, key: string): FieldDef | undefined {
  const lower = key.toLowerCase();
  return def.fields.find((f) => f.key.toLowerCase() === lower);
}

export function entryField(def: FormDef, key: string): FieldDef | undefined {
  const lower = key.toLowerCase();
  return def.entry?.fields.find((f) => f.key.toLowerCase() === lower);
}

/** The query key of the entry primary key, e.g. `FEntity_FEntryID`. */
export function entryPkKey(def: FormDef): string | undefined {
  return def.entry ? `${def.entry.key}_FEntryID` : undefined;
}
