// createActivities(deps): the one place activities are built, with their dependencies injected,
// so the worker and tests register the same functions and workflows get their types from here.
import { activityInfo } from '@temporalio/activity';
import { createJushuitanActivities } from './jushuitan';
import { createKingdeeActivities, kingdeeBillCalls } from './kingdee';
import { createBillStepActivities } from './bill-steps';
import { heartbeatingAll } from './heartbeat';
import { createMappingActivities } from './mapping';
import { createOutcomeActivities } from './outcomes';
import { createDecisionActivities } from './decisions';
import { createParkRetryActivities } from './park-retry';
import { createDriftActivities, createDriftReportActivities } from './drift';
import type { DecisionsLedger } from '../store/decisions';
import type { PollHealth } from '../store/poll-health';
import type { PollWatermarks } from '../store/watermarks';
import { createPollRunActivities, type PollHealthSettings } from './poll-runs';
import type { Alerter } from '../alerts';
import { assertSchemeId } from '../scheme/scheme-ids';
import { toActivityFailure } from './errors';
import type { BillStore, RefundSource, Schemes } from './ports';

export interface ActivityDeps {
  refunds: RefundSource;
  bills: BillStore;
  schemes: Schemes;
  /** Where parked refunds are announced (DingTalk, WeCom, Feishu, webhook); none configured is fine. */
  alerter?: Alerter;
  /** The state store's decisions ledger (every worker has one; in-process tools without a store may not). */
  decisions?: DecisionsLedger;
  /** The state store's poll watermarks and poll health (every worker has them; in-process tools may not). */
  watermarks?: PollWatermarks;
  health?: PollHealth;
  /** When a lagging watermark or a scheme whose refunds all park is alerted (default 1 h each). */
  pollHealth?: PollHealthSettings;
  /**
   * The scheme ids loaded at start-up: a workflow naming any other is refused before the scheme engine sees
   * it. Without the list, ids are still refused when they look like a path or file name.
   */
  schemeIds?: readonly string[];
  /** The first wait before a parked refund that time can fix retries by itself (ERP_BRIDGE_PARK_RETRY). */
  parkRetryMs?: number;
}

/** Every scheme id from workflow input is checked before the scheme engine can act on it (e.g. load a file). */
export function guardSchemeIds(schemes: Schemes, loaded?: readonly string[]): Schemes {
  const check = (id: string): string => {
    try {
      assertSchemeId(id, loaded);
    } catch (err) {
      throw toActivityFailure(err); // not retryable: the same input names the same scheme
    }
    return id;
  };
  return {
    sourceConfig: (id) => schemes.sourceConfig(check(id)),
    eligibility: (id, record) => schemes.eligibility(check(id), record),
    project: (id, record) => schemes.project(check(id), record),
    lookups: async (id, record) => schemes.lookups(check(id), record),
    lookupsForMany: async (id, records) => schemes.lookupsForMany(check(id), records),
    prepare: (id, record, answers) => schemes.prepare(check(id), record, answers),
    ...(schemes.workflowIdPrefix ? { workflowIdPrefix: (id: string) => schemes.workflowIdPrefix!(check(id)) } : {}),
  };
}


/** The activities that run on the Jushuitan task queue (they call Jushuitan's rate-limited API). */
export const JUSHUITAN_ACTIVITIES = ['fetchRefundPage'] as const;
/** The activities that run on the Kingdee task queue (one Kingdee call or a few at a time). */
export const KINGDEE_ACTIVITIES = ['resolveLookups', 'ensureBillSaved', 'advanceBill', 'findBill', 'saveBill', 'completeDraft', 'submitBill', 'auditBill', 'cancelSubmit', 'deleteBill', 'removeOwnBill', 'reverseBill'] as const;

type Activities = ReturnType<typeof createActivities>;

export function pickActivities(all: Activities, names: readonly (keyof Activities)[]): Partial<Activities> {
  return Object.fromEntries(names.filter((name) => all[name] !== undefined).map((name) => [name, all[name]]));
}

export function createActivities(given: ActivityDeps) {
  // Every scheme id from workflow input is checked first. (The calls themselves are metered by runtime/deps.ts.)
  const deps: ActivityDeps = { ...given, schemes: guardSchemeIds(given.schemes, given.schemeIds) };
  const mapping = createMappingActivities(deps);
  const decisions = createDecisionActivities(deps);
  const billSteps = createBillStepActivities({
    kingdee: kingdeeBillCalls(deps),
    mapRefund: mapping.mapRefund,
    recordDecision: decisions.recordDecision,
    requestTimeoutMs: deps.bills.requestTimeoutMs,
  });
  return {
    ...createJushuitanActivities(deps),
    ...mapping,
    ...createKingdeeActivities(deps),
    ...heartbeatingAll(billSteps),
    ...createOutcomeActivities(deps),
    ...decisions,
    ...createPollRunActivities(deps),
    ...createParkRetryActivities(deps),
    ...createDriftActivities(deps),
    ...createDriftReportActivities(deps),
    async echo(message: string): Promise<string> {
      return `${message} (from ${activityInfo().activityType} on ${activityInfo().taskQueue})`;
    },
  };
}
