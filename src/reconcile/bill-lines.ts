// Return-bill lines in one comparable shape, whether they come from a mapped model or from Kingdee rows:
// material number, quantity and price as canonical decimals, in a stable order.
import { formatDec, toDec } from '../scheme/decimal';
import type { BillLine } from './types';

/** `2.000` and `2` are the same quantity; text that is no number stays as written, so it still compares. */
function canonicalNumber(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'string') {
    const dec = toDec(value);
    if (dec) return formatDec(dec);
    return String(value).trim();
  }
  return value === null || value === undefined ? '0' : JSON.stringify(value);
}

/** A base-data reference as the model holds it (`{"FNumber": "SKU-1"}`) or as a query returns it (`SKU-1`). */
function referenceNumber(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'FNumber' in value) return String((value as { FNumber: unknown }).FNumber ?? '').trim();
  return value === null || value === undefined ? '' : String(value).trim();
}

export function billLine(material: unknown, qty: unknown, price: unknown): BillLine {
  return { material: referenceNumber(material), qty: canonicalNumber(qty), price: canonicalNumber(price) };
}

/** The lines of a mapped SAL_RETURNSTOCK model (`FEntity` rows). */
export function linesOfModel(model: Record<string, unknown>): BillLine[] {
  const entries = Array.isArray(model.FEntity) ? (model.FEntity as Array<Record<string, unknown>>) : [];
  return entries.map((e) => billLine(e.FMaterialId, e.FRealQty, e.FPrice));
}

const key = (l: BillLine): string => `${l.material}\u0000${l.qty}\u0000${l.price}`;
const describe = (l: BillLine): string => `${l.material || '(no material)'} ×${l.qty} @ ${l.price}`;

/** Undefined when both hold the same lines (in any order); else what differs, in words. */
export function lineDifference(bill: readonly BillLine[], expected: readonly BillLine[]): string | undefined {
  const remaining = new Map<string, number>();
  for (const l of expected) remaining.set(key(l), (remaining.get(key(l)) ?? 0) + 1);
  const extra: BillLine[] = [];
  for (const l of bill) {
    const n = remaining.get(key(l)) ?? 0;
    if (n > 0) remaining.set(key(l), n - 1);
    else extra.push(l);
  }
  const lacking = expected.filter((l) => {
    const n = remaining.get(key(l)) ?? 0;
    if (n <= 0) return false;
    remaining.set(key(l), n - 1);
    return true;
  });
  if (extra.length === 0 && lacking.length === 0) return undefined;
  const parts: string[] = [];
  if (extra.length > 0) parts.push(`bill has ${extra.map(describe).join(', ')}`);
  if (lacking.length > 0) parts.push(`record maps to ${lacking.map(describe).join(', ')}`);
  return `lines differ: ${parts.join('; ')}`;
}
