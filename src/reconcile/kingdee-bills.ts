// The Kingdee side of `reconcile`: the bills whose FBillNo, or our external key field, is one of the range's
// as_ids, read in batches (`FBillNo in (…)`, every value escaped by the FilterString builder), one row per entry.
import { z } from 'zod';
import type { BillQuery } from '../connectors/kingdee/bill-query';
import { condition, isIn } from '../connectors/kingdee/filter-string';
import { billLine } from './bill-lines';
import type { KingdeeBillView } from './types';

/** What the reader needs of a Kingdee client (KingdeeClient.queryAll, or a fake). */
export interface BillRowReader {
  queryAll(q: Omit<BillQuery, 'StartRow' | 'Limit' | 'TopRowCount'>): Promise<unknown[][]>;
}

/** Numbers per query: keeps the FilterString far below any request size limit. */
export const BILL_NUMBERS_PER_QUERY = 200;
const FIELD_KEYS = ['FID', 'FBillNo', 'FDocumentStatus', 'FMaterialId.FNumber', 'FRealQty', 'FPrice'] as const;

const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const BillRow = z.tuple([cell, cell, cell, cell, cell, cell]).rest(z.unknown());

/** `FBillNo in (…)`, or either field in (…) when there is an external key field. */
function numbersFilter(numbers: readonly string[], keyField: string | undefined): string {
  const byNumber = condition(isIn('FBillNo', numbers));
  return keyField ? `(${byNumber}) or (${condition(isIn(keyField, numbers))})` : byNumber;
}

export async function readBills(
  reader: BillRowReader,
  options: {
    formId: string;
    billNos: readonly string[];
    /** A header field where our bills also carry the as_id (the flagship: FHeadNote). */
    keyField?: string;
    onBatch?: (done: number, total: number) => void;
  },
): Promise<KingdeeBillView[]> {
  const numbers = [...new Set(options.billNos.filter((n) => n !== ''))];
  const bills = new Map<string, KingdeeBillView>();
  for (let i = 0; i < numbers.length; i += BILL_NUMBERS_PER_QUERY) {
    const chunk = numbers.slice(i, i + BILL_NUMBERS_PER_QUERY);
    const keys = options.keyField ? [...FIELD_KEYS, options.keyField] : [...FIELD_KEYS];
    const rows = await reader.queryAll({ FormId: options.formId, FieldKeys: keys.join(','), FilterString: numbersFilter(chunk, options.keyField), OrderString: 'FID' });
    rows.forEach((raw, index) => {
      const parsed = BillRow.safeParse(raw);
      if (!parsed.success) {
        throw new Error(`Kingdee ${options.formId} query row ${index} (FieldKeys ${keys.join(',')}) is not what was asked for: ${parsed.error.issues[0]?.message ?? 'bad row'}`);
      }
      const [id, billNo, status, material, qty, price] = parsed.data;
      const externalKey = options.keyField ? parsed.data[FIELD_KEYS.length] : undefined;
      const key = String(id);
      let bill = bills.get(key);
      if (!bill) {
        bill = { id: key, billNo: String(billNo ?? ''), status: String(status ?? ''), lines: [] };
        if (typeof externalKey === 'string' && externalKey !== '') bill.externalKey = externalKey;
        bills.set(key, bill);
      }
      // A bill without entries still comes back as one row with empty entry fields.
      if (material !== null && material !== '') bill.lines.push(billLine(material, qty, price));
    });
    options.onBatch?.(Math.min(i + BILL_NUMBERS_PER_QUERY, numbers.length), numbers.length);
  }
  return [...bills.values()];
}
