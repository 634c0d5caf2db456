// The document status machine (kingdee-webapi.md §9.3) for Submit / CancelAssign / Audit / UnAudit / Delete,
// handled per bill, and the audit-time returnable-quantity check (§9.7).
import { formDef, type FormDef } from './forms';
import type { OpOutcome } from './bills';
import { failure, responseStatus, type SimEntity, type SimError } from './replies';
import { linkedQuantities, numberOf, statusOf, type KingdeeStore, type StoredRecord } from './store';
import { getCi, toNumber } from './values';

export type StatusOperation = 'Submit' | 'CancelAssign' | 'Audit' | 'UnAudit' | 'Delete';

const VERB: Record<StatusOperation, string> = { Submit: '提交', CancelAssign: '撤销', Audit: '审核', UnAudit: '反审核', Delete: '删除' };

/** The violation message for a bill in `status`, or undefined when the operation is allowed (table of §9.3). */
function violation(op: StatusOperation, status: string): string | undefined {
  switch (op) {
    case 'Submit':
      return status === 'A' || status === 'D' ? undefined : status === 'B' ? '单据已经提交！' : status === 'C' ? '单据已经审核！' : '暂存单据不能提交！';
    case 'CancelAssign':
      return status === 'B' ? undefined : '单据不是审核中状态，不能撤销！';
    case 'Audit':
      return status === 'B' ? undefined : status === 'C' ? '单据已经审核！' : '单据未提交，不能审核！';
    case 'UnAudit':
      return status === 'C' ? undefined : '单据未审核，不能反审核！';
    case 'Delete':
      return ['Z', 'A', 'D'].includes(status) ? undefined : '单据已提交或已审核，不能删除！';
  }
}

const NEXT: Record<Exclude<StatusOperation, 'Delete'>, string> = { Submit: 'B', CancelAssign: 'A', Audit: 'C', UnAudit: 'D' };

/**
 * Audit refuses a return whose linked quantity, plus what audited returns already took, exceeds the
 * outbound entry's FRealQty. `record` is not counted among the audited ones (it is not in status C yet).
 */
export function auditCheck(store: KingdeeStore, def: FormDef, record: StoredRecord, dIndex: number): SimError[] {
  if (!def.link) return [];
  const source = formDef(def.link.sourceFormId)!;
  const errors: SimError[] = [];
  for (const { sourceBillId, sourceEntryId, qty } of linkedQuantities(record).values()) {
    const bill = store.get(source.formId, sourceBillId);
    const line = bill ? bill.entries.findIndex((e) => e.entryId === sourceEntryId) : -1;
    if (!bill || line < 0) {
      errors.push({ FieldName: `${def.entry?.key ?? 'FEntity'}_Link`, Message: `关联的源单（${source.caption} FID=${sourceBillId}，分录 ${sourceEntryId}）不存在`, DIndex: dIndex });
      continue;
    }
    const outQty = toNumber(bill.entries[line]!.values.FRealQty) ?? 0;
    const already = store.returnedQty(sourceBillId, sourceEntryId);
    if (already + qty > outQty + 1e-9) {
      const left = Math.max(0, outQty - already);
      errors.push({
        FieldName: null,
        Message: `${source.caption}“${numberOf(source, bill)}”第${line + 1}行：退货数量超出可退数量（可退 ${left}，本次 ${qty}）`,
        DIndex: dIndex,
      });
    }
  }
  return errors;
}

function targetsOf(data: Record<string, unknown>): Array<{ by: 'number' | 'id'; key: string }> {
  const split = (v: unknown): string[] =>
    (Array.isArray(v) ? v.map(String) : typeof v === 'string' || typeof v === 'number' ? String(v).split(',') : []).map((s) => s.trim()).filter((s) => s !== '');
  const numbers = split(getCi(data, 'Numbers'));
  if (numbers.length > 0) return numbers.map((key) => ({ by: 'number', key }));
  return split(getCi(data, 'Ids')).map((key) => ({ by: 'id', key }));
}

/** `skipUnknownNumbers` (switch (c)): a number that does not exist is passed over silently, as some servers do. */
export function handleStatusOperation(store: KingdeeStore, op: StatusOperation, formId: string, data: Record<string, unknown>, skipUnknownNumbers = false): OpOutcome {
  const reply = (status: ReturnType<typeof responseStatus>): OpOutcome => ({ body: { Result: { ResponseStatus: status } }, success: status.IsSuccess });
  const def = formDef(formId);
  if (!def) return reply(failure(4, `标识为“${formId}”的业务对象不存在，或者被删除。`));
  if (def.kind !== 'bill') return reply(failure(12, `模拟器不支持对基础资料“${def.caption}”执行${VERB[op]}`));
  const targets = targetsOf(data);
  if (targets.length === 0) return reply(failure(8, 'data数据包中的参数Numbers或Ids的值不能为空。'));

  const successes: SimEntity[] = [];
  const messages: SimError[] = [];
  const errors: SimError[] = [];
  let msgCode = 0;
  targets.forEach((target, dIndex) => {
    const record = target.by === 'number' ? store.findByNumber(formId, target.key) : store.get(formId, toNumber(target.key) ?? -1);
    if (!record) {
      if (skipUnknownNumbers) return;
      errors.push({ FieldName: null, Message: `${target.by === 'number' ? '单据编号' : '内码'}为“${target.key}”的${def.caption}不存在`, DIndex: dIndex });
      msgCode ||= 10;
      return;
    }
    const number = numberOf(def, record);
    const prefix = `单据编号为“${number}”的${def.caption}，`;
    const problem =
      (op === 'UnAudit' || op === 'Delete') && store.hasDownstream(formId, record.id)
        ? `已经生成下游单据，不允许${VERB[op]}！请先删除下游单据。`
        : violation(op, statusOf(record));
    const problems = problem ? [{ FieldName: null, Message: prefix + problem, DIndex: dIndex }] : op === 'Audit' ? auditCheck(store, def, record, dIndex).map((e) => ({ ...e, Message: prefix + e.Message })) : [];
    if (problems.length > 0) {
      errors.push(...problems);
      msgCode ||= 11;
      return;
    }
    if (op === 'Delete') store.delete(formId, record.id);
    else store.setStatus(formId, record, NEXT[op]);
    successes.push({ Id: record.id, Number: number, DIndex: dIndex });
    messages.push({ FieldName: null, Message: `${prefix}${VERB[op]}成功！`, DIndex: dIndex });
  });
  return reply(responseStatus({ errors, successes, messages, msgCode }));
}
