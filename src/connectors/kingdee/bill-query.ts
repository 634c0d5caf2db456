/** Kingdee ExecuteBillQuery parameters (kingdee-webapi.md §6). Pure: the scheme engine shares it. */
export interface BillQuery {
  FormId: string;
  FieldKeys: string;
  FilterString?: string;
  OrderString?: string;
  StartRow?: number;
  Limit?: number;
  TopRowCount?: number;
}
