// The park-retry policy as a (local) activity: workflow code never reads the environment, so the worker's
// ERP_BRIDGE_PARK_RETRY reaches a parked refund here, and the answer is recorded in its history.
import { DEFAULT_PARK_RETRY_MS, MAX_PARK_RETRY_MS, PARK_RETRY_GIVE_UP_MS, type ParkRetryPolicy } from '../workflows/park-retry';

export function createParkRetryActivities(deps: { parkRetryMs?: number }) {
  return {
    async parkRetryPolicy(): Promise<ParkRetryPolicy> {
      const firstMs = deps.parkRetryMs ?? DEFAULT_PARK_RETRY_MS;
      return { firstMs, maxMs: Math.max(firstMs, MAX_PARK_RETRY_MS), giveUpAfterMs: PARK_RETRY_GIVE_UP_MS };
    },
  };
}
