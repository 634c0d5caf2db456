// Response schemas (jushuitan-refund-api.md §4, §7.5). The wire is loosely typed in practice, so these
// accept ids as numbers or numeric strings, money as numbers or strings, times with milliseconds and
// batches nested in items; unknown fields pass through. Output: the normalised JstRefund.
import { z } from 'zod';
import { parseBeijing } from '../../lib/beijing-time';

/** A type error's message; a missing field says so. Values are never echoed: they may be personal data. */
const expecting = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? `missing (expected ${what})` : `expected ${what}`);

/** An integer id or rowversion as a decimal string (rowversions are 8 bytes: never trust a JS number). */
const idText = z
  .union([z.int(), z.string().trim().regex(/^-?\d+$/, 'expected an integer or a numeric string')], {
    error: expecting('an integer or a numeric string'),
  })
  .transform((value) => String(value));

/** as_id names the refund's workflow: a positive integer only. */
const asIdText = idText.refine((id) => /^0*[1-9]\d*$/.test(id), 'expected a positive integer');

const decimalText = z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'expected a number or a numeric string');
/** Money and quantities: numbers on the wire, or numeric strings; an empty string means absent. */
const numeric = z.union([z.number(), decimalText.transform(Number), z.literal('').transform(() => null)], {
  error: expecting('a number or a numeric string'),
});

/** Largest amount accepted: Kingdee keeps 13 integer digits (decimal(23,10)); beyond is garbage, not money. */
export const MAX_MONEY = 999_999_999_999;
/** Digits a JSON number (a double) carries exactly: numeric text with more would be rounded on the way. */
const EXACT_DIGITS = 15;
const significantDigits = (text: string): number => text.replace(/^[-+]?0*/, '').replace('.', '').replace(/^0+/, '').length;
/** Money: numeric as above, exactly representable, and within ±MAX_MONEY (a 400-digit price is rejected, not Infinity). */
const money = z
  .union([z.number(), decimalText, z.literal('')], { error: expecting('a number or a numeric string') })
  .transform((value, ctx) => {
    if (value === '') return null;
    if (typeof value === 'string' && significantDigits(value) > EXACT_DIGITS) {
      ctx.addIssue({ code: 'custom', message: `an amount with more than ${EXACT_DIGITS} significant digits cannot be carried exactly (${value.length} characters)` });
      return z.NEVER;
    }
    const n = Number(value);
    if (!(Math.abs(n) <= MAX_MONEY)) {
      ctx.addIssue({ code: 'custom', message: `an amount must be within ±${MAX_MONEY}` });
      return z.NEVER;
    }
    return n;
  });

/** No after-sales line moves more than this many units: anything larger is garbage, not a return. */
export const MAX_LINE_QUANTITY = 1_000_000;
/** A quantity: numeric as above, and within [0, MAX_LINE_QUANTITY]. */
const quantity = numeric.refine((value) => value === null || (Number.isFinite(value) && value >= 0 && value <= MAX_LINE_QUANTITY), {
  message: `a quantity must be between 0 and ${MAX_LINE_QUANTITY}`,
});

const intish = z.union([z.int(), z.string().trim().regex(/^-?\d+$/).transform(Number)]);
const boolish = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False']).transform((value) => value.toLowerCase() === 'true'),
  z.number().transform((value) => value !== 0),
]);

/** `yyyy-MM-dd HH:mm:ss`, optionally with milliseconds, in Beijing time. */
export const beijingTimeText = z
  .string({ error: expecting('a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]"') })
  .refine((text) => parseBeijing(text) !== undefined, { message: 'expected a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]"' });

const skuText = z.union([z.string(), z.number()]).transform((value) => String(value));

// ---- Normalised shapes (what the rest of the project consumes) ----

export const jstBatchSchema = z.looseObject({
  sku_id: z.string().nullish(),
  batch_no: z.string().nullish(),
  qty: z.number().nullish(),
});
export type JstBatch = z.infer<typeof jstBatchSchema>;

export const jstRefundItemSchema = z.looseObject({
  sku_id: z.string().nullish(),
  qty: z.number().nullish(),
  r_qty: z.number().nullish(),
  defective_qty: z.number().nullish(),
  price: z.number().nullish(),
  amount: z.number().nullish(),
  shop_amount: z.number().nullish(),
});
export type JstRefundItem = z.infer<typeof jstRefundItemSchema>;

export const RECORD_ID_FIELDS = ['as_id', 'o_id', 'shop_id', 'wh_id', 'ts'] as const;
export const RECORD_MONEY_FIELDS = [
  'refund', 'payment', 'freight', 'free_amount', 'shop_freight', 'buyer_apply_refund', 'receive_refund', 'buyer_receive_refund',
] as const;

/** A normalised after-sales record: ids and `ts` as strings, money as numbers, batches at record level. */
export const jstRefundSchema = z.looseObject({
  as_id: z.string(),
  o_id: z.string().nullish(),
  shop_id: z.string().nullish(),
  wh_id: z.string().nullish(),
  ts: z.string().nullish(),
  modified: beijingTimeText,
  ...Object.fromEntries(RECORD_MONEY_FIELDS.map((field) => [field, z.number().nullish()])) as Record<
    (typeof RECORD_MONEY_FIELDS)[number],
    z.ZodOptional<z.ZodNullable<z.ZodNumber>>
  >,
  items: z.array(jstRefundItemSchema),
  batchs: z.array(jstBatchSchema),
});
export type JstRefund = z.infer<typeof jstRefundSchema>;

// ---- Wire shapes ----

const wireBatchSchema = z.looseObject({
  sku_id: skuText.nullish(),
  batch_no: skuText.nullish(),
  qty: quantity.nullish(),
});

/** The date the line came back (it becomes the bill date): a Beijing time, or absent. */
const receiveDate = z.union([beijingTimeText, z.literal('').transform(() => null)], {
  error: expecting('a Beijing time "yyyy-MM-dd HH:mm:ss[.SSS]"'),
});

const wireItemSchema = z.looseObject({
  sku_id: skuText.nullish(),
  qty: quantity.nullish(),
  r_qty: quantity.nullish(),
  defective_qty: quantity.nullish(),
  price: money.nullish(),
  amount: money.nullish(),
  shop_amount: money.nullish(),
  receive_date: receiveDate.nullish(),
  batchs: z.array(wireBatchSchema).nullish(),
});

type WireItem = z.infer<typeof wireItemSchema>;
type WireBatch = z.infer<typeof wireBatchSchema>;

/** Record-level `batchs` when present and non-empty, else every `items[].batchs[]` with sku_id from its item (§4.4). */
function flattenBatches(recordLevel: WireBatch[] | null | undefined, items: WireItem[]): JstBatch[] {
  if (recordLevel && recordLevel.length > 0) return recordLevel;
  return items.flatMap((item) =>
    (item.batchs ?? []).map((batch) => ({ ...batch, sku_id: batch.sku_id || item.sku_id })),
  );
}

export const jstRefundWireSchema = z
  .looseObject({
    as_id: asIdText,
    o_id: idText.nullish(),
    shop_id: idText.nullish(),
    wh_id: idText.nullish(),
    ts: idText.nullish(),
    modified: beijingTimeText,
    ...Object.fromEntries(RECORD_MONEY_FIELDS.map((field) => [field, money.nullish()])),
    items: z.array(wireItemSchema).nullish(),
    batchs: z.array(wireBatchSchema).nullish(),
  })
  .transform((record): JstRefund => {
    const items = record.items ?? [];
    const batchs = flattenBatches(record.batchs, items);
    // Batches live at record level only, so there is one place to read them from.
    const flatItems = items.map(({ batchs: _nested, ...item }) => item);
    return { ...(record as JstRefund), items: flatItems, batchs };
  });

export const refundPageDataSchema = z.looseObject({
  page_index: intish.nullish(),
  page_size: intish.nullish(),
  data_count: intish.nullish(),
  page_count: intish.nullish(),
  has_next: boolish.nullish(),
  /** Records are validated one by one (parseRefundRecords): one bad record must not fail its page. */
  datas: z.array(z.unknown()).nullish(),
});
export type RefundPageData = z.infer<typeof refundPageDataSchema>;

/** A record of a page that failed validation: where it was, its as_id when that much is usable, and why. */
export interface InvalidRefundRecord {
  /** 0-based position on its page. */
  index: number;
  /** The as_id, when the record has a usable one (then it can get a workflow and park). */
  asId?: string;
  /** What is wrong, by field path inside the record, e.g. `items.0.qty: a quantity must be …`; never a value. */
  error: string;
  /** The same, with the path from the page's data (`datas.3.items.0.qty: …`). */
  pageError: string;
  /** The record as received, for a summary (shop, line count); not to be stored or logged whole. */
  raw: unknown;
}

/** Validates a page's records one by one: the good ones normalised, each bad one with its reason. */
export function parseRefundRecords(datas: readonly unknown[]): { records: JstRefund[]; invalid: InvalidRefundRecord[] } {
  const records: JstRefund[] = [];
  const invalid: InvalidRefundRecord[] = [];
  datas.forEach((raw, index) => {
    const parsed = jstRefundWireSchema.safeParse(raw);
    if (parsed.success) {
      records.push(parsed.data);
      return;
    }
    invalid.push({ index, asId: usableAsId(raw), error: describeZodError(parsed.error), pageError: describeZodError(parsed.error, ['datas', index]), raw });
  });
  return { records, invalid };
}

/** A positive integer as_id (number or numeric string) as text, else undefined: only such an id can name a workflow. */
export function usableAsId(raw: unknown): string | undefined {
  const value = typeof raw === 'object' && raw !== null ? (raw as { as_id?: unknown }).as_id : undefined;
  const id = asIdText.safeParse(value);
  return id.success ? id.data : undefined;
}

/** Every answer: `{code, msg, data}`; `data` is absent or null on errors. */
export const envelopeSchema = z.looseObject({
  code: intish,
  msg: z.string().nullish(),
  data: z.unknown().optional(),
});

export const tokenDataSchema = z.looseObject({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1),
  expires_in: intish.nullish(),
  scope: z.string().nullish(),
});
export type TokenData = z.infer<typeof tokenDataSchema>;

const LARGE_ID = /(?<!\\)"(as_id|o_id|shop_id|wh_id|ts|asi_id)"(\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g;

/**
 * JSON.parse that keeps ids and rowversions beyond 2^53 exact: such integers are quoted before parsing
 * (only as values of the id keys, where an unescaped `"key":` cannot occur inside a string).
 */
export function parseJsonKeepingLargeIds(text: string): unknown {
  return JSON.parse(text.replace(LARGE_ID, '"$1"$2"$3"'));
}

/** A zod error as one readable line: `data.datas.3.modified: expected …`. */
export function describeZodError(error: z.ZodError, pathPrefix: readonly PropertyKey[] = []): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${[...pathPrefix, ...issue.path].map(String).join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
