// createActivities(deps): the one place activities are built, with their dependencies injected,
// so the worker and tests register the same functions and workflows get their types from here.
import { activityInfo } from '@temporalio/activity';
import { createJushuitanActivities } from './jushuitan';
import { createKingdeeActivities } from './kingdee';
import { createMappingActivities } from './mapping';
import type { BillStore, RefundSource, Schemes } from './ports';

export interface ActivityDeps {
  refunds: RefundSource;
  bills: BillStore;
  schemes: Schemes;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createJushuitanActivities(deps),
    ...createMappingActivities(deps),
    ...createKingdeeActivities(deps),
    async echo(message: string): Promise<string> {
      return `${message} (from ${activityInfo().activityType} on ${activityInfo().taskQueue})`;
    },
  };
}
