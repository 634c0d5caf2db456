// A synced refund counted from the workflow through the SDK's workflow meter: no local activity (and no
// history event) per refund. The SDK drops it on replay, so a refund is counted once. Other outcomes still go
// through the reportOutcome activity, which also alerts and refreshes the parked gauge.
import { metricMeter } from '@temporalio/workflow';
import { METRIC_NAMES, REFUNDS_DESCRIPTION } from '../temporal/metric-names';

export function countSynced(schemeId: string): void {
  metricMeter.createCounter(METRIC_NAMES.refunds, '', REFUNDS_DESCRIPTION).add(1, { scheme: schemeId, outcome: 'synced', reason: 'none' });
}
