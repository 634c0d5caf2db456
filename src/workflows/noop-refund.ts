import { setWorkflowOptions } from '@temporalio/workflow';
import type { SyncRefundInput, SyncRefundResult } from './messages';
import { versioningBehavior } from './versioning-behavior';

// PINNED: it finishes in its first task.
setWorkflowOptions(versioningBehavior('PINNED'), noopRefund);
/** A child that does nothing: the benchmark's ceiling for the fan-out path (same ids, options and starts). */
export async function noopRefund(input: SyncRefundInput): Promise<SyncRefundResult> {
  return { status: 'Synced', asId: input.refund.asId };
}
