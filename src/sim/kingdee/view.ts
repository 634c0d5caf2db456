// View (kingdee-webapi.md §5.4): one record with properties lacking the `F` prefix, base data as
// `{Id, Number, Name}` objects with sibling `<X>_Id` integers, entries under `<FormId>ENTRY`.
// Also the plain export the admin API lists records in (model-like: references as `{"FNumber": …}`).
import { formDef, type FieldDef, type FormDef } from './forms';
import type { OpOutcome } from './bills';
import { failure } from './replies';
import { numberOf, type KingdeeStore, type StoredRecord } from './store';
import { getCi, toNumber } from './values';

const bare = (key: string): string => (/^F[A-Z]/.test(key) ? key.slice(1) : key);

function viewValues(store: KingdeeStore, fields: FieldDef[], values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const name = bare(field.key);
    const v = values[field.key] ?? null;
    if (field.kind === 'ref') {
      const target = typeof v === 'number' ? store.get(field.refForm!, v) : undefined;
      const refDef = formDef(field.refForm!)!;
      out[name] = target
        ? { Id: target.id, Number: numberOf(refDef, target), Name: [{ Key: 2052, Value: String(target.values.FName ?? '') }], MultiLanguageText: [{ PkId: target.id, LocaleId: 2052, Name: String(target.values.FName ?? '') }] }
        : null;
      out[`${name}_Id`] = target?.id ?? 0;
    } else {
      out[name] = v;
    }
  }
  return out;
}

export function viewOf(store: KingdeeStore, def: FormDef, record: StoredRecord): Record<string, unknown> {
  const header = viewValues(store, def.fields, record.values);
  const result: Record<string, unknown> = { Id: record.id, ...header };
  if (def.entry) {
    result[`${def.formId}ENTRY`] = record.entries.map((entry, i) => ({
      Id: entry.entryId,
      Seq: i + 1,
      ...viewValues(store, def.entry!.fields, entry.values),
      [`${def.entry!.key}_Link`]: entry.links.map((l) => ({
        RuleId: l.ruleId, STableName: l.tableName, SBillId: l.sourceBillId, SId: l.sourceEntryId, BaseunitQty: l.baseQty ?? null,
      })),
    }));
  }
  return result;
}

export function handleView(store: KingdeeStore, formId: string, data: Record<string, unknown>): OpOutcome {
  const fail = (msgCode: number, message: string): OpOutcome => ({ body: { Result: { ResponseStatus: failure(msgCode, message) } }, success: false });
  const def = formDef(formId);
  if (!def) return fail(4, `标识为“${formId}”的业务对象不存在，或者被删除。`);
  const number = getCi(data, 'Number');
  const id = toNumber(getCi(data, 'Id'));
  const record = typeof number === 'string' && number !== '' ? store.findByNumber(formId, number) : id !== undefined ? store.get(formId, id) : undefined;
  if (!record) {
    const which = typeof number === 'string' && number !== '' ? `编号为“${number}”` : `内码为“${String(getCi(data, 'Id') ?? '')}”`;
    return fail(10, `${which}的${def.caption}不存在`);
  }
  return { body: { Result: { ResponseStatus: null, Result: viewOf(store, def, record) } }, success: true };
}

/** A stored record as a Save model would describe it (admin listings, demos). */
export function exportRecord(store: KingdeeStore, def: FormDef, record: StoredRecord): Record<string, unknown> {
  const plain = (fields: FieldDef[], values: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const v = values[f.key] ?? null;
      if (f.kind === 'ref') {
        const target = typeof v === 'number' ? store.get(f.refForm!, v) : undefined;
        out[f.key] = target ? { FNumber: numberOf(formDef(f.refForm!)!, target) } : null;
      } else {
        out[f.key] = v;
      }
    }
    return out;
  };
  const result: Record<string, unknown> = { [def.pk]: record.id, ...plain(def.fields, record.values) };
  if (def.entry) {
    result[def.entry.key] = record.entries.map((e) => ({
      FEntryID: e.entryId,
      ...plain(def.entry!.fields, e.values),
      [`${def.entry!.key}_Link`]: e.links.map((l) => ({
        [`${def.entry!.key}_Link_FRuleId`]: l.ruleId,
        [`${def.entry!.key}_Link_FSTableName`]: l.tableName,
        [`${def.entry!.key}_Link_FSBillId`]: l.sourceBillId,
        [`${def.entry!.key}_Link_FSId`]: l.sourceEntryId,
        [`${def.entry!.key}_Link_FBaseunitQty`]: l.baseQty ?? null,
      })),
    }));
  }
  return result;
}
