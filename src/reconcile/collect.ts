// Gathers the three lists for a range and reconciles them: Jushuitan first (it decides which as_ids
// matter), then Temporal visibility and Kingdee for exactly those as_ids.
import type { Client } from '@temporalio/client';
import type { Schemes } from '../activities/ports';
import type { RefundPageSource } from '../connectors/jushuitan';
import { reconcile } from './compare';
import { readJstRecords } from './jst-records';
import { readBills, type BillRowReader } from './kingdee-bills';
import { silentProgress, type Progress } from './progress';
import type { LedgerDecision, ReconcileReport } from './types';
import { readWorkflows } from './workflows';

export interface ReconcileSources {
  jushuitan: RefundPageSource;
  kingdee: BillRowReader;
  temporal: Client;
  schemes: Schemes;
  /** The decisions ledger for these as_ids, once the state store keeps one. */
  ledger?: (asIds: readonly string[]) => Promise<LedgerDecision[]>;
}

export interface ReconcileRange {
  schemeId: string;
  /** Kingdee form of the scheme's target (SAL_RETURNSTOCK for the flagship). */
  formId: string;
  /** The header field where our bills also carry the as_id, if the scheme has one. */
  keyField?: string;
  from: Date;
  to: Date;
  shopId?: string;
}

export async function collectAndReconcile(sources: ReconcileSources, range: ReconcileRange, progress: Progress = silentProgress): Promise<ReconcileReport> {
  try {
    const jst = await readJstRecords(sources.jushuitan, sources.schemes, {
      ...range,
      onRecord: (n) => progress.count('Jushuitan records', n),
      onMapped: (done, total) => progress.step('mapping records', done, total),
    });
    const asIds = jst.records.map((r) => r.asId);
    const workflows = await readWorkflows(sources.temporal, { asIds, onBatch: (d, t) => progress.step('Temporal workflows', d, t) });
    const bills = await readBills(sources.kingdee, { formId: range.formId, billNos: asIds, keyField: range.keyField, onBatch: (d, t) => progress.step('Kingdee bills', d, t) });
    const ledger = sources.ledger ? await sources.ledger(asIds) : undefined;
    const report = reconcile({ records: jst.records, workflows, bills, ledger });
    for (const error of jst.unidentified) {
      report.summary.missing++;
      report.items.push({ asId: '', problem: 'missing', detail: `a record without a usable as_id cannot be synced: ${error}`, billNo: '' });
    }
    return report;
  } finally {
    progress.done();
  }
}
