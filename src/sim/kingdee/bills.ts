// Save / Draft / BatchSave (kingdee-webapi.md §9.4–§9.9): model reading with base-data resolution, required
// fields, link rows, number uniqueness, the one-transaction IsAutoSubmitAndAudit, per-bill batch results.
import { formDef, type FieldDef, type FormDef } from './forms';
import { failure, responseStatus, type ResponseStatusBody, type SimEntity, type SimError } from './replies';
import type { BatchBehaviours } from './behaviours';
import { auditCheck } from './status';
import { numberOf, statusOf, type KingdeeStore, type StoredEntry, type StoredLink, type StoredRecord } from './store';
import { getCi, hasCi, isRecord, toBool, toDate, toNumber } from './values';

export interface OpOutcome {
  body: unknown;
  success: boolean;
}

interface SaveFlags {
  verify: boolean;
  autoAudit: boolean;
  deleteEntry: boolean;
  updateFields: Set<string> | undefined;
  returnFields: string[];
}

type Prepared =
  | { ok: true; record: StoredRecord; isNew: boolean; autoNumber: string | undefined }
  | { ok: false; msgCode: number; errors: SimError[] };

function flagsOf(data: Record<string, unknown>): SaveFlags {
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v.trim() !== '' ? v.split(',').map((s) => s.trim()) : []);
  const update = list(getCi(data, 'NeedUpDateFields'));
  const deleteEntry = getCi(data, 'IsDeleteEntry');
  return {
    verify: toBool(getCi(data, 'IsVerifyBaseDataField')),
    autoAudit: toBool(getCi(data, 'IsAutoSubmitAndAudit')),
    deleteEntry: deleteEntry === undefined || deleteEntry === null || deleteEntry === '' ? true : toBool(deleteEntry),
    updateFields: update.length > 0 ? new Set(update.map((k) => k.toLowerCase())) : undefined,
    returnFields: list(getCi(data, 'NeedReturnFields')),
  };
}

/** Converts one model value to its stored form; base-data references become internal ids. */
function convert(store: KingdeeStore, field: FieldDef, raw: unknown, verify: boolean, fail: (message: string) => void): unknown {
  if (raw === null || raw === undefined) return null;
  switch (field.kind) {
    case 'text':
      return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : null;
    case 'number':
      return toNumber(raw) ?? null;
    case 'date':
      return toDate(raw) ?? null;
    case 'bool':
      return toBool(raw);
    case 'status':
      return undefined;
    case 'lot': {
      const v = isRecord(raw) ? getCi(raw, 'FNumber') : raw;
      return v === null || v === undefined || String(v).trim() === '' ? null : String(v);
    }
    case 'ref': {
      // References are objects keyed by the lookup field, `{"FNumber": …}` in any case (§4.2).
      const number = isRecord(raw) ? getCi(raw, 'FNumber') : raw;
      if (number === null || number === undefined || String(number).trim() === '') return null;
      const resolved = isRecord(raw) ? store.resolveNumber(field.refForm!, String(number)) : undefined;
      if (resolved?.enabled) return resolved.record.id;
      if (verify) fail(`字段“${field.caption}”的值“${String(number)}”在系统中不存在或已禁用`);
      return null; // dropped silently without IsVerifyBaseDataField (§9.5)
    }
  }
}

function readLinks(def: FormDef, row: Record<string, unknown>): StoredLink[] | undefined {
  const entryKey = def.entry!.key;
  const raw = getCi(row, `${entryKey}_Link`);
  if (!Array.isArray(raw)) return undefined;
  const k = (name: string): string => `${entryKey}_Link_${name}`;
  return raw.filter(isRecord).map((l) => ({
    ruleId: String(getCi(l, k('FRuleId')) ?? ''),
    tableName: String(getCi(l, k('FSTableName')) ?? ''),
    sourceBillId: toNumber(getCi(l, k('FSBillId'))) ?? -1,
    sourceEntryId: toNumber(getCi(l, k('FSId'))) ?? -1,
    baseQty: toNumber(getCi(l, k('FBaseunitQty'))),
  }));
}

/** The bill the model describes: a new one, or an existing one (FID ≠ 0) with the model merged in. */
function prepare(store: KingdeeStore, def: FormDef, model: Record<string, unknown>, flags: SaveFlags, dIndex: number, draft: boolean): Prepared {
  const errors: SimError[] = [];
  const err = (fieldName: string | null, message: string): void => {
    errors.push({ FieldName: fieldName, Message: message, DIndex: dIndex });
  };
  const fid = toNumber(getCi(model, 'FID')) ?? 0;
  const existing = fid > 0 ? store.get(def.formId, fid) : undefined;
  if (fid > 0 && !existing) return { ok: false, msgCode: 10, errors: [{ FieldName: 'FID', Message: `内码为“${fid}”的${def.caption}不存在`, DIndex: dIndex }] };
  if (existing && ['B', 'C'].includes(statusOf(existing))) {
    const state = statusOf(existing) === 'C' ? '单据已审核' : '单据已提交';
    return { ok: false, msgCode: 11, errors: [{ FieldName: null, Message: `单据编号为“${numberOf(def, existing)}”的${def.caption}，${state}，不允许修改`, DIndex: dIndex }] };
  }
  const allowed = (key: string): boolean => !existing || !flags.updateFields || flags.updateFields.has(key.toLowerCase());

  const record: StoredRecord = existing
    ? { id: existing.id, values: { ...existing.values }, entries: existing.entries.map((e) => ({ ...e, values: { ...e.values } })) }
    : { id: 0, values: Object.fromEntries(def.fields.map((f) => [f.key, null])), entries: [] };

  for (const field of def.fields) {
    const holder = field.group ? getCi(model, field.group) : model;
    if (!isRecord(holder) || !hasCi(holder, field.key) || !allowed(field.key) || field.key === def.numberKey) continue;
    const value = convert(store, field, getCi(holder, field.key), flags.verify, (m) => err(field.key, m));
    if (value !== undefined) record.values[field.key] = value;
  }

  const entryDef = def.entry;
  const rows = entryDef ? getCi(model, entryDef.key) : undefined;
  if (entryDef && Array.isArray(rows) && allowed(entryDef.key)) {
    const kept = new Map(record.entries.map((e) => [e.entryId, e]));
    const inModel: StoredEntry[] = [];
    for (const row of rows.filter(isRecord)) {
      const entryId = toNumber(getCi(row, 'FEntryID')) ?? 0;
      // An existing row (FEntryID > 0) is updated in place; FEntryID 0 adds a row.
      const entry: StoredEntry = (entryId > 0 ? kept.get(entryId) : undefined) ?? { entryId: 0, values: Object.fromEntries(entryDef.fields.map((f) => [f.key, null])), links: [] };
      for (const field of entryDef.fields) {
        if (!hasCi(row, field.key)) continue;
        const value = convert(store, field, getCi(row, field.key), flags.verify, (m) => err(field.key, m));
        if (value !== undefined) entry.values[field.key] = value;
      }
      if (def.link) entry.links = readLinks(def, row) ?? entry.links;
      inModel.push(entry);
    }
    // IsDeleteEntry (default true): existing rows the model omits are deleted; false keeps them.
    record.entries = flags.deleteEntry ? inModel : [...record.entries, ...inModel.filter((e) => e.entryId === 0)];
  }

  // Unresolvable base data (verify mode) is reported alone, not again as a missing required field.
  if (!draft && errors.length === 0) validate(store, def, record, err);

  // Number: the model's FBillNo, else the existing one, else an automatic one (§9.4).
  const given = hasCi(model, def.numberKey) ? String(getCi(model, def.numberKey) ?? '').trim() : '';
  const current = existing ? numberOf(def, existing) : '';
  const number = given || current || store.peekAutoNumber(def.formId);
  const clash = store.findByNumber(def.formId, number);
  if (clash && clash.id !== record.id) err(def.numberKey, `违反字段唯一性要求：编码唯一。[${number}]在当前系统中已经被使用。`);
  record.values[def.numberKey] = number;

  if (errors.length > 0) return { ok: false, msgCode: 11, errors };
  const status = statusOf(record);
  record.values.FDocumentStatus = draft ? status || 'Z' : status === '' || status === 'Z' ? 'A' : status;
  return { ok: true, record, isNew: !existing, autoNumber: given || current ? undefined : number };
}

/** Required header and entry fields (§9.6) and link rows (§9.7). */
function validate(store: KingdeeStore, def: FormDef, record: StoredRecord, err: (fieldName: string | null, message: string) => void): void {
  for (const field of def.fields) {
    if (field.required && (record.values[field.key] === null || record.values[field.key] === undefined)) err(field.key, `字段“${field.caption}”是必填项`);
  }
  const entryDef = def.entry;
  if (!entryDef) return;
  if (entryDef.required && record.entries.length === 0) err(entryDef.key, `单据体【${entryDef.caption}】至少需要一行分录`);
  record.entries.forEach((entry, i) => {
    const where = `单据体实体【${entryDef.caption}】第【${i + 1}】行分录，`;
    for (const field of entryDef.fields) {
      const v = entry.values[field.key];
      if (field.required && (v === null || v === undefined)) err(field.key, `${where}【${field.caption}】字段必录`);
      else if (field.positive && typeof v === 'number' && v <= 0) err(field.key, `${where}【${field.caption}】必须大于0`);
    }
    if (!def.link) return;
    const source = formDef(def.link.sourceFormId)!;
    for (const link of entry.links) {
      if (link.ruleId.toLowerCase() !== def.link.ruleId.toLowerCase() || link.tableName.toLowerCase() !== def.link.tableName.toLowerCase()) {
        err(`${entryDef.key}_Link`, `第${i + 1}行分录的关联关系无效：转换规则应为“${def.link.ruleId}”，源单表应为“${def.link.tableName}”`);
        continue;
      }
      const bill = store.get(source.formId, link.sourceBillId);
      if (!bill || !bill.entries.some((e) => e.entryId === link.sourceEntryId)) {
        err(`${entryDef.key}_Link`, `第${i + 1}行分录关联的源单（${source.caption} FID=${link.sourceBillId}，分录 ${link.sourceEntryId}）不存在`);
      }
    }
  });
}

function commit(store: KingdeeStore, def: FormDef, prepared: Extract<Prepared, { ok: true }>): void {
  const { record } = prepared;
  if (prepared.isNew) record.id = store.newRecordId();
  for (const entry of record.entries) if (!entry.entryId) entry.entryId = store.newEntryId();
  if (prepared.autoNumber) store.commitAutoNumber(def.formId, prepared.autoNumber);
  if (prepared.isNew) store.insert(def.formId, record);
  else store.replace(def.formId, record);
}

/** NeedReturnData: header keys, and entry keys as `FEntity.FEntryID` (§4.1). */
function returnData(def: FormDef, record: StoredRecord, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const [head, sub] = f.split('.', 2) as [string, string | undefined];
    if (sub !== undefined && def.entry && head.toLowerCase() === def.entry.key.toLowerCase()) {
      const rows = record.entries.map((e, i) => {
        const row = (Array.isArray(out[def.entry!.key]) ? (out[def.entry!.key] as Array<Record<string, unknown>>)[i] : undefined) ?? {};
        const field = def.entry!.fields.find((x) => x.key.toLowerCase() === sub.toLowerCase());
        row[field?.key ?? sub] = sub.toLowerCase() === 'fentryid' ? e.entryId : (field ? e.values[field.key] : null) ?? null;
        return row;
      });
      out[def.entry.key] = rows;
    } else if (head.toLowerCase() === def.pk.toLowerCase()) {
      out[def.pk] = record.id;
    } else {
      const field = def.fields.find((x) => x.key.toLowerCase() === head.toLowerCase());
      if (field) out[field.key] = record.values[field.key] ?? null;
    }
  }
  return out;
}

function billFormOrFailure(formId: string): { def: FormDef } | { status: ResponseStatusBody } {
  const def = formDef(formId);
  if (!def) return { status: failure(4, `标识为“${formId}”的业务对象不存在，或者被删除。`) };
  if (def.kind !== 'bill') return { status: failure(12, `模拟器不支持通过WebAPI保存基础资料“${def.caption}”，请使用 /__admin/ 接口维护`) };
  return { def };
}

/** Save or Draft of one bill. */
export function handleSave(store: KingdeeStore, formId: string, data: Record<string, unknown>, draft: boolean, behaviours?: BatchBehaviours): OpOutcome {
  const fail = (status: ResponseStatusBody): OpOutcome => ({ body: { Result: { ResponseStatus: status, Id: '', Number: '', NeedReturnData: [{}] } }, success: false });
  const form = billFormOrFailure(formId);
  if ('status' in form) return fail(form.status);
  const { def } = form;
  const model = getCi(data, 'Model');
  if (!isRecord(model)) return fail(failure(8, 'data数据包中的参数Model的值不能为空。'));
  const flags = flagsOf(data);
  const prepared = prepare(store, def, model, flags, 0, draft);
  if (!prepared.ok) return fail(responseStatus({ errors: prepared.errors, msgCode: prepared.msgCode }));
  if (behaviours?.overReturnAtSave && !draft) {
    const overReturn = auditCheck(store, def, prepared.record, 0);
    if (overReturn.length > 0) return fail(responseStatus({ errors: overReturn, msgCode: 11 }));
  }
  if (flags.autoAudit && !draft) {
    // One transaction (§9.8): submit and audit run on the candidate; on failure nothing is kept, no number consumed.
    const auditErrors = auditCheck(store, def, prepared.record, 0);
    if (auditErrors.length > 0) return fail(responseStatus({ errors: auditErrors, msgCode: 11 }));
    prepared.record.values.FDocumentStatus = 'C';
  }
  commit(store, def, prepared);
  const number = numberOf(def, prepared.record);
  const status = responseStatus({ successes: [{ Id: prepared.record.id, Number: number, DIndex: 0 }] });
  const needReturn = flags.returnFields.length > 0 ? [returnData(def, prepared.record, flags.returnFields)] : [{}];
  return { body: { Result: { ResponseStatus: status, Id: prepared.record.id, Number: number, NeedReturnData: needReturn } }, success: true };
}

/** Undo for a group rollback: what each committed bill replaced (undefined: it was new). */
type Committed = { id: number; before: StoredRecord | undefined };

/**
 * BatchSave: bills validated and saved one by one; `DIndex` = position in Model (or within its server-side
 * group, switch (a)); IsSuccess false if any failed (§9.9). Switch (g) makes the call one transaction.
 */
export function handleBatchSave(store: KingdeeStore, formId: string, data: Record<string, unknown>, behaviours?: BatchBehaviours): OpOutcome {
  const form = billFormOrFailure(formId);
  if ('status' in form) return { body: { Result: { ResponseStatus: form.status } }, success: false };
  const { def } = form;
  const raw = getCi(data, 'Model');
  const models = Array.isArray(raw) ? raw : isRecord(raw) ? [raw] : [];
  if (models.length === 0) return { body: { Result: { ResponseStatus: failure(8, 'data数据包中的参数Model的值不能为空。') } }, success: false };
  const flags = flagsOf(data);
  const batchCount = toNumber(getCi(data, 'BatchCount')) ?? 0;
  const groupSize = behaviours?.dIndexPerGroup && batchCount > 1 ? Math.ceil(models.length / batchCount) : models.length;
  const reported = (dIndex: number): number => dIndex % groupSize;
  const successes: SimEntity[] = [];
  const errors: SimError[] = [];
  const committed: Committed[] = [];
  let msgCode = 0;
  const reject = (found: SimError[], code: number): void => {
    errors.push(...found.map((e) => ({ ...e, DIndex: reported(e.DIndex) })));
    msgCode ||= code;
  };
  models.forEach((model, dIndex) => {
    if (!isRecord(model)) return reject([{ FieldName: null, Message: `第${dIndex + 1}个单据数据包不是对象`, DIndex: dIndex }], 8);
    const prepared = prepare(store, def, model, flags, dIndex, false);
    if (!prepared.ok) return reject(prepared.errors, prepared.msgCode);
    if (flags.autoAudit || behaviours?.overReturnAtSave) {
      const auditErrors = auditCheck(store, def, prepared.record, dIndex);
      if (auditErrors.length > 0) return reject(auditErrors, 11);
      if (flags.autoAudit) prepared.record.values.FDocumentStatus = 'C';
    }
    const before = prepared.isNew ? undefined : store.get(def.formId, prepared.record.id);
    commit(store, def, prepared);
    committed.push({ id: prepared.record.id, before });
    successes.push({ Id: prepared.record.id, Number: numberOf(def, prepared.record), DIndex: reported(dIndex) });
  });
  if (behaviours?.groupRollback && errors.length > 0) {
    // One transaction: every bill this call saved is undone, and one error stands for the group.
    for (const c of committed.reverse()) {
      if (c.before) store.replace(def.formId, c.before);
      else store.delete(def.formId, c.id);
    }
    const first = errors[0]!;
    return { body: { Result: { ResponseStatus: responseStatus({ errors: [{ ...first, DIndex: 0 }], msgCode }) } }, success: false };
  }
  return { body: { Result: { ResponseStatus: responseStatus({ errors, successes, msgCode }) } }, success: errors.length === 0 };
}
