// createActivities(deps): the one place activities are built, with their dependencies injected,
// so the worker and tests register the same functions and workflows get their types from here.
import { activityInfo } from '@temporalio/activity';

export type ActivityDeps = Record<string, never>;

export function createActivities(_deps: ActivityDeps = {}) {
  return {
    async echo(message: string): Promise<string> {
      return `${message} (from ${activityInfo().activityType} on ${activityInfo().taskQueue})`;
    },
  };
}
