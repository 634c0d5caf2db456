import { proxyActivities, setWorkflowOptions } from '@temporalio/workflow';
import type { createActivities } from '../activities';
import { versioningBehavior } from './versioning-behavior';

const { echo } = proxyActivities<ReturnType<typeof createActivities>>({
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3 },
});

// PINNED: a few seconds long, it answers for the build that started it.
setWorkflowOptions(versioningBehavior('PINNED'), healthCheck);
/** Proves a worker is polling and can run activities: `erp-bridge check` and the smoke test use it. */
export async function healthCheck(message: string): Promise<string> {
  return await echo(message);
}
