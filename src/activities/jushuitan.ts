// Paging activity for the poller: one page of the refund query, eligibility applied, records projected to
// the scheme's fields, and the page's lookups resolved in one batch (one query per collection).
// A record that fails validation, or is too large for a workflow payload, never fails its page: it is handed
// over to park in its own workflow with the reason, or, without a usable as_id, counted by reason.
import { log } from '@temporalio/activity';
import { whileHeartbeating } from './heartbeat';
import { formatBeijing, parseBeijing } from '../lib/beijing-time';
import type { DriftedRecord, RefundSummary, SourceRecord, LookupAnswers } from '../workflows/messages';
import { describeDrift } from '../reconcile/drift';
import { contentDigest } from './decisions';
import { toActivityFailure } from './errors';
import type { RefundSource, Schemes } from './ports';
import { findScheme, schemeWorkflowIdPrefix } from '../scheme/load-file';
import type { DecisionsLedger, RefundDecision } from '../store/decisions';

export interface FetchRefundPageInput { schemeId: string; begin: string; end: string; pageIndex: number }

export interface FetchedRefundPage {
  eligible: Array<{ refund: RefundSummary; record: SourceRecord; answers?: LookupAnswers }>;
  skipped: Array<{ asId: string; reason: string }>;
  /** Bad records with a usable as_id: each parks in its own workflow with this reason. */
  invalid: Array<{ refund: RefundSummary; reason: string }>;
  /** Bad records without a usable as_id: no workflow can hold them, so the poll counts them by reason. */
  unidentified: Array<{ reason: string }>;
  hasNext: boolean;
  dataCount?: number;
  /** The page count Jushuitan reported, when it did. */
  pageCount?: number;
  fetched: number;
  /** Eligible records left out because the decisions ledger has them synced or skipped (as_ids). */
  decided?: string[];
  /** Decided records whose new version differs from what was decided on (left out of `eligible` too). */
  drifted?: DriftedRecord[];
  /** Workflow ids of this scheme's records start with this (absent in histories from before it existed). */
  workflowIdPrefix?: string;
}

/**
 * The scheme fields of one record, as JSON, may not exceed this (about 250 lines): the record travels in the
 * page result and the child's input, and a page of 50 such records must stay under Temporal's 2 MB payload limit.
 */
export const MAX_RECORD_BYTES = 32 * 1024;
/** Above this the page result leaves out the prefetched lookups (each refund then looks up its own). */
const PAGE_ANSWERS_BUDGET_BYTES = 1024 * 1024;

export function summarizeRefund(record: SourceRecord): RefundSummary {
  const items = Array.isArray(record.items) ? record.items : [];
  return {
    asId: String(record.as_id),
    shopId: String(record.shop_id ?? ''),
    shopName: String(record.shop_name ?? ''),
    lines: items.length,
    modified: String(record.modified ?? ''),
  };
}

/** A summary of a record that failed validation: only fields that are safe to read, short, and no version it lacks. */
export function summarizeInvalidRecord(raw: unknown, asId: string): RefundSummary {
  const record = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).slice(0, 100) : '');
  // An unreadable `modified` becomes '': any valid version that comes later counts as newer.
  const modified = typeof record.modified === 'string' && parseBeijing(record.modified) ? record.modified : '';
  return { asId, shopId: text(record.shop_id), shopName: text(record.shop_name), lines: Array.isArray(record.items) ? record.items.length : 0, modified };
}

export function tooLargeReason(lines: number, bytes: number): string {
  return `record too large to sync: ${lines} lines, ${Math.ceil(bytes / 1024)} KB of scheme fields (limit ${MAX_RECORD_BYTES / 1024} KB, ` +
    'about 250 lines); split the return in Jushuitan or book it by hand';
}

const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value) ?? '');

type PageDeps = { refunds: RefundSource; schemes: Schemes; decisions?: DecisionsLedger };

export function createJushuitanActivities(deps: PageDeps) {
  return {
    async fetchRefundPage(input: FetchRefundPageInput): Promise<FetchedRefundPage> {
      // A 200 (per-minute limit) answer alone waits a minute: heartbeats keep a dead worker from costing more.
      return whileHeartbeating(() => fetchPage(deps, input));
    },
  };
}

async function fetchPage(deps: PageDeps, input: FetchRefundPageInput): Promise<FetchedRefundPage> {
  const { refunds, schemes } = deps;
  const { pageSize } = schemes.sourceConfig(input.schemeId);
  const page = await refunds
    .queryRefundPage({
      modifiedBegin: formatBeijing(new Date(input.begin)),
      modifiedEnd: formatBeijing(new Date(input.end)),
      pageIndex: input.pageIndex,
      pageSize,
      invalidRecords: 'separate',
    })
    .catch((err: unknown) => {
      throw toActivityFailure(err);
    });
  const where = { begin: input.begin, end: input.end, pageIndex: input.pageIndex };

  const invalid: FetchedRefundPage['invalid'] = [];
  const unidentified: FetchedRefundPage['unidentified'] = [];
  for (const bad of page.invalid ?? []) {
    // Field paths and messages only: a record's values may be personal data.
    log.warn('invalid Jushuitan record', { ...where, position: bad.index, asId: bad.asId, error: bad.error });
    if (bad.asId === undefined) unidentified.push({ reason: `no usable as_id: ${bad.error}` });
    else invalid.push({ refund: summarizeInvalidRecord(bad.raw, bad.asId), reason: `invalid Jushuitan record: ${bad.error}` });
  }

  const skipped: FetchedRefundPage['skipped'] = [];
  const ineligible: Array<{ record: SourceRecord; reason: string }> = [];
  const eligible: Array<{ record: SourceRecord; projected: SourceRecord }> = [];
  for (const record of page.records) {
    let verdict: ReturnType<Schemes['eligibility']>;
    try {
      verdict = schemes.eligibility(input.schemeId, record);
    } catch (err) {
      // A field the filter reads has a shape it cannot compare (a list where text belongs): park, do not fail the page.
      const reason = `cannot decide eligibility: ${err instanceof Error ? err.message : String(err)}`;
      log.warn('Jushuitan record with unreadable filter fields', { ...where, asId: String(record.as_id), reason });
      invalid.push({ refund: summarizeRefund(record), reason });
      continue;
    }
    if (!verdict.eligible) {
      skipped.push({ asId: String(record.as_id), reason: verdict.reason });
      ineligible.push({ record, reason: verdict.reason });
      continue;
    }
    const projected = schemes.project(input.schemeId, record);
    const bytes = jsonBytes(projected);
    if (bytes > MAX_RECORD_BYTES) {
      const refund = summarizeRefund(record);
      log.warn('Jushuitan record too large to sync', { ...where, asId: refund.asId, lines: refund.lines, bytes });
      invalid.push({ refund, reason: tooLargeReason(refund.lines, bytes) });
    } else {
      eligible.push({ record, projected });
    }
  }

  // Records already synced or skipped stay decided after Temporal's retention has removed their executions:
  // the ledger, not the workflow id, is what keeps a skipped refund from being booked and a synced one from
  // being booked twice. A decided record whose new version differs in what the scheme reads has drifted.
  const decided = deps.decisions
    ? await deps.decisions.find(input.schemeId, [...eligible, ...ineligible].map((e) => String(e.record.as_id))).catch((err: unknown) => {
        throw toActivityFailure(err);
      })
    : new Map<string, RefundDecision>();
  const { versionField } = schemes.sourceConfig(input.schemeId);
  const decidedAsIds: string[] = [];
  const drifted: DriftedRecord[] = [];
  const formId = () => targetFormId(input.schemeId);
  const leftOut = new Set<string>();
  for (const e of eligible) {
    const d = decided.get(String(e.record.as_id));
    if (d === undefined || !DRIFT_CHECKED.has(d.decision)) continue;
    leftOut.add(String(e.record.as_id));
    const difference = driftFrom(d, e.projected, versionField);
    if (difference) drifted.push(driftedRecord(d, e.record, e.projected, difference, formId()));
    else decidedAsIds.push(d.asId);
  }
  // A synced record that no longer passes the filter (cancelled after its bill was audited): our bill stays in
  // Kingdee for a return that is no longer one. Unless an operator accepted exactly this version already.
  for (const i of ineligible) {
    const d = decided.get(String(i.record.as_id));
    if (d?.decision !== 'synced' && d?.decision !== 'accepted') continue;
    const projected = schemes.project(input.schemeId, i.record);
    if (d.contentDigest === contentDigest(projected, versionField)) continue;
    const fields = isRecord(d.snapshot) ? describeDrift(d.snapshot, projected, versionField) : [];
    drifted.push({ ...driftedRecord(d, i.record, projected, [`no longer eligible: ${i.reason}`, ...fields], formId()), ineligibleReason: i.reason });
  }
  if (leftOut.size > 0) eligible.splice(0, eligible.length, ...eligible.filter((e) => !leftOut.has(String(e.record.as_id))));

  // Prefetching is an optimisation: if Kingdee is down now, each refund resolves its own lookups later.
  let answers: LookupAnswers[] | undefined;
  try {
    answers = eligible.length > 0 ? await schemes.lookupsForMany(input.schemeId, eligible.map((e) => e.record)) : [];
  } catch (err) {
    log.warn('page lookups failed; refunds will look up on their own', { error: String(err) });
  }
  if (answers && jsonBytes(answers) + jsonBytes(eligible.map((e) => e.projected)) > PAGE_ANSWERS_BUDGET_BYTES) {
    log.warn('page result too large with its lookups; refunds will look up on their own', where);
    answers = undefined;
  }

  return {
    eligible: eligible.map((e, i) => ({ refund: summarizeRefund(e.record), record: e.projected, answers: answers?.[i] })),
    skipped,
    invalid,
    unidentified,
    hasNext: page.hasNext,
    dataCount: page.dataCount,
    ...(page.pageCount !== undefined ? { pageCount: page.pageCount } : {}),
    workflowIdPrefix: schemes.workflowIdPrefix?.(input.schemeId) ?? schemeWorkflowIdPrefix(input.schemeId),
    fetched: page.records.length + (page.invalid?.length ?? 0),
    ...(decidedAsIds.length > 0 ? { decided: decidedAsIds } : {}),
    ...(drifted.length > 0 ? { drifted } : {}),
  };
}

/** Decisions that keep a record from being synced again, and whose later versions are checked for drift. */
const DRIFT_CHECKED = new Set<RefundDecision['decision']>(['synced', 'skipped', 'accepted', 'reversed']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * How the new version differs from what was decided on, or undefined when it does not (in what the scheme reads).
 * Without a snapshot or digest (rows from before the ledger kept them) nothing is known: no drift is claimed.
 */
function driftFrom(d: RefundDecision, projected: SourceRecord, versionField: string): string[] | undefined {
  if (d.recordModified !== undefined && d.recordModified === String(projected[versionField] ?? '')) return undefined;
  if (d.contentDigest !== undefined && d.contentDigest === contentDigest(projected, versionField)) return undefined;
  if (isRecord(d.snapshot)) {
    const difference = describeDrift(d.snapshot, projected, versionField);
    return difference.length > 0 ? difference : undefined;
  }
  return d.contentDigest !== undefined ? ['the fields the scheme reads changed (no snapshot of the synced version)'] : undefined;
}

const formIds = new Map<string, string>();
/** The scheme's Kingdee form (where our bill is), read once per process. The id was checked by sourceConfig. */
function targetFormId(schemeId: string): string {
  let formId = formIds.get(schemeId);
  if (formId === undefined) formIds.set(schemeId, (formId = findScheme(schemeId).target.formId));
  return formId;
}

function driftedRecord(d: RefundDecision, raw: SourceRecord, projected: SourceRecord, difference: string[], formId: string): DriftedRecord {
  return {
    refund: summarizeRefund(raw),
    formId,
    record: projected,
    difference,
    decided: {
      decision: d.decision as DriftedRecord['decided']['decision'],
      ...(d.billNo !== undefined ? { billNo: d.billNo } : {}),
      ...(d.billId !== undefined ? { billId: d.billId } : {}),
      ...(d.recordModified !== undefined ? { modified: d.recordModified } : {}),
    },
  };
}
