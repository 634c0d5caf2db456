// The visibility queries behind list, count and backfill --wait: what each filter adds, values escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refundListQuery } from '../../src/temporal/refund-ops';

test('a backfill counts only the refunds its own slices started', () => {
  assert.equal(
    refundListQuery({ status: 'Synced', startedByPoll: "backfill-x-2026'01" }),
    "WorkflowType='syncRefund' AND SyncStatus='Synced' AND ParentWorkflowId STARTS_WITH 'backfill-x-2026\\'01-slice-'",
  );
});

test('running and parked count open runs only; a scheme and a start time narrow the set', () => {
  assert.equal(
    refundListQuery({ status: 'Parked', schemeId: 'jst', since: new Date('2026-01-01T00:00:00Z') }),
    "WorkflowType='syncRefund' AND SyncStatus='Parked' AND ExecutionStatus='Running' AND SchemeId='jst' AND StartTime>='2026-01-01T00:00:00.000Z'",
  );
});
