// createActivities(deps): the one place activities are built, with their dependencies injected,
// so the worker and tests register the same functions and workflows get their types from here.
import { activityInfo } from '@temporalio/activity';
import { createJushuitanActivities } from './jushuitan';
import { createKingdeeActivities } from './kingdee';
import { createMappingActivities } from './mapping';
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

export function createActivities(deps: ActivityDeps) {
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
