// createActivities(deps): the one place activities are built, with their dependencies injected,
// so the worker and tests register the same functions and workflows get their types from here.
import { activityInfo } from '@temporalio/activity';
import { createJushuitanActivities } from './jushuitan';
import { createKingdeeActivities } from './kingdee';
import { createMappingActivities } from './mapping';
import { meteredBillStore, meteredRefundSource, meteredSchemes } from './metered';
import { createOutcomeActivities } from './outcomes';
import type { Alerter } from '../alerts';
import type { BillStore, RefundSource, Schemes } from './ports';

export interface ActivityDeps {
  refunds: RefundSource;
  bills: BillStore;
  schemes: Schemes;
  /** Where parked refunds are announced (DingTalk, WeCom, Feishu, webhook); none configured is fine. */
  alerter?: Alerter;
}

export function createActivities(given: ActivityDeps) {
  // Every Jushuitan and Kingdee call made from an activity is counted and timed.
  const deps: ActivityDeps = { ...given, refunds: meteredRefundSource(given.refunds), bills: meteredBillStore(given.bills), schemes: meteredSchemes(given.schemes) };
  return {
    ...createJushuitanActivities(deps),
    ...createMappingActivities(deps),
    ...createKingdeeActivities(deps),
    ...createOutcomeActivities(deps),
    async echo(message: string): Promise<string> {
      return `${message} (from ${activityInfo().activityType} on ${activityInfo().taskQueue})`;
    },
  };
}
