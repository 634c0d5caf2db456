// The fields a source API declares, so a scheme's `{{field}}` can be checked before any record arrives: a
// misspelt field would otherwise read as empty and park every refund. Pure.
// Jushuitan refund query: jushuitan-refund-api.md §4.2 (record), §4.3 (items[]), §4.4 (batchs[], also
// accepted nested as items[].batchs[]); see also src/connectors/jushuitan/schemas.ts.

export interface SourceFields {
  header: readonly string[];
  items: readonly string[];
  batchs: readonly string[];
  /** Fields the row sources compute (row-sources.ts), by their reftables name. */
  derived: readonly string[];
}

const JST_REFUND_QUERY: SourceFields = {
  header: [
    'as_id', 'outer_as_id', 'o_id', 'so_id', 'as_date', 'created', 'modified', 'confirm_date', 'type', 'status', 'good_status',
    'shop_status', 'order_status', 'order_type', 'order_labels', 'refund', 'payment', 'free_amount', 'freight', 'shop_freight',
    'buyer_apply_refund', 'receive_refund', 'buyer_receive_refund', 'currency', 'shop_id', 'shop_name', 'shop_type', 'shop_site',
    'shop_buyer_id', 'receiver_name', 'receiver_mobile', 'warehouse', 'wh_id', 'wms_co_id', 'logistics_company', 'l_id',
    'drp_co_id_from', 'drp_co_id_to', 'remark', 'node', 'question_type', 'labels', 'result', 'refund_phase', 'refund_version',
    'creator_name', 'modifier_name', 'io_id', 'is_split', 'is_merge', 'ts', 'images', 'sns',
  ],
  items: [
    'asi_id', 'as_id', 'sku_id', 'i_id', 'shop_sku_id', 'combine_sku_id', 'outer_oi_id', 'name', 'pic', 'properties_value', 'qty',
    'r_qty', 'defective_qty', 'price', 'amount', 'shop_amount', 'is_gift', 'type', 'sku_type', 'receive_date', 'remark',
  ],
  batchs: ['batch_no', 'sku_id', 'qty', 'product_date', 'supplier_id', 'supplier_name', 'expiration_date'],
  derived: ['batchs_qty', 'batchs_amount'],
};

const BY_SOURCE: Record<string, SourceFields> = {
  'jushuitan /open/refund/single/query': JST_REFUND_QUERY,
};

/** The declared fields of a scheme's source, or undefined for a source this project does not describe. */
export function sourceFieldsOf(source: { system: string; api: string }): SourceFields | undefined {
  return BY_SOURCE[`${source.system.toLowerCase()} ${source.api}`];
}

/** Record field paths in the form fields.ts speaks: `shop_name`, `items[].sku_id`, `batchs[].batch_no`, `items[].batchs[].batch_no`. */
export function knownFieldPaths(fields: SourceFields): Set<string> {
  return new Set([
    ...fields.header,
    ...fields.items.map((f) => `items[].${f}`),
    ...fields.batchs.flatMap((f) => [`batchs[].${f}`, `items[].batchs[].${f}`]),
  ]);
}

/** Every name a placeholder may use in a context (header names, line and lot fields, their prefixed forms). */
export function spellings(fields: SourceFields): string[] {
  return [
    ...new Set([
      ...fields.header,
      ...fields.items,
      ...fields.batchs,
      ...fields.items.map((f) => `items_${f}`),
      ...[...fields.batchs, ...fields.items].map((f) => `batchs_${f}`),
      ...fields.derived,
    ]),
  ];
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest name within a third of the word's length (at least 2 edits), or undefined. */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (!best || d < best.d || (d === best.d && c < best.name)) best = { name: c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}
