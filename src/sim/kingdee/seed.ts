// Fills the store from the shared world: the base data the flagship scheme references and the audited
// SAL_OUTSTOCK bills whose entries carry the online order line id in F_PSEH_TEXT.
import type { World } from '../world';
import { ASSISTANT_DATA, BILL_TYPE, CURRENCY, CUSTOMER, MATERIAL, ORG, OUTSTOCK, RATE_TYPE, STOCK, STOCK_STATUS, UNIT } from './forms';
import type { KingdeeStore, StoredRecord } from './store';

export function seedStore(store: KingdeeStore, world: World): void {
  store.reset();
  const add = (formId: string, fields: Record<string, unknown>): StoredRecord => store.upsertBaseData(formId, fields);

  for (const org of world.orgs) add(ORG, { FNumber: org.number, FName: org.name });
  for (const shop of world.shops) add(CUSTOMER, { FNumber: shop.customerNumber, FName: shop.name, F_PSEH_OrgId: shop.orgNumber });
  for (const sku of world.skus) add(MATERIAL, { FNumber: sku.skuId, FName: sku.name, FIsBatchManage: sku.batchManaged });
  for (const wh of world.warehouses) add(STOCK, { FNumber: wh.name, FName: wh.name });
  add(CURRENCY, { FNumber: 'PRE001', FName: '人民币' });
  add(UNIT, { FNumber: 'Pcs', FName: '个' });
  add(BILL_TYPE, { FNumber: 'XSTHD01_SYS', FName: '标准销售退货单' });
  add(BILL_TYPE, { FNumber: 'XSTHD06_SYS', FName: '现销退货单' });
  add(BILL_TYPE, { FNumber: 'XSCKD01_SYS', FName: '标准销售出库单' });
  add(ASSISTANT_DATA, { FNumber: 'THLX01_SYS', FName: '退货' });
  add(ASSISTANT_DATA, { FNumber: 'THLX02_SYS', FName: '补货' });
  add(STOCK_STATUS, { FNumber: 'KCZT01_SYS', FName: '可用' });
  add(RATE_TYPE, { FNumber: 'HLTX01_SYS', FName: '固定汇率' });

  const idOf = (formId: string, number: string): number | null => store.findByNumber(formId, number)?.id ?? null;
  const billType = idOf(BILL_TYPE, 'XSCKD01_SYS');
  const currency = idOf(CURRENCY, 'PRE001');
  const unit = idOf(UNIT, 'Pcs');
  let maxFid = 0;
  let maxEntryId = 0;
  for (const bill of world.outboundBills) {
    const org = idOf(ORG, bill.orgNumber);
    store.insert(OUTSTOCK, {
      id: bill.fid,
      values: {
        FBillNo: bill.billNo, FDocumentStatus: 'C', FBillTypeID: billType, FDate: `${bill.date}T00:00:00`,
        FSaleOrgId: org, FStockOrgId: org, FCustomerID: idOf(CUSTOMER, bill.customerNumber), FHeadNote: bill.soId, FSettleCurrId: currency,
      },
      entries: bill.entries.map((e) => ({
        entryId: e.entryId,
        values: {
          FMaterialID: idOf(MATERIAL, e.skuId), FUnitID: unit, FRealQty: e.qty, FBaseUnitQty: e.qty, FPrice: e.price, FTaxPrice: e.price,
          FStockID: idOf(STOCK, e.stock), FLot: null, F_PSEH_TEXT: e.onlineLineId,
        },
        links: [],
      })),
    });
    maxFid = Math.max(maxFid, bill.fid);
    for (const e of bill.entries) maxEntryId = Math.max(maxEntryId, e.entryId);
  }
  store.reserveIds(maxFid, maxEntryId);
}
