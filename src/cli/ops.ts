// Operator commands on refunds: reprocess, skip, resync, status, list, backfill, drift.
import type { Command } from 'commander';
import { syncConfigFromEnv } from '../config/sync-config';
import type { Client } from '@temporalio/client';
import { schemeWorkflowIdPrefix } from '../scheme/load-file';
import { parseTimeFlag, TIME_FLAG_HELP } from './time-flag';
import { withClient } from './with-client';
import {
  countRefunds,
  listedStatus,
  listRefunds,
  refundStatus,
  reprocessAllParked,
  reprocessRefund,
  resyncRefund,
  skipRefund,
  type OperatorOutcome,
} from '../temporal/refund-ops';
import { actOnDrift, driftStatus, listOpenDrifts } from '../temporal/drift-ops';
import { pollProgressQuery, type PollRefundsInput, type PollRefundsResult, type SyncStatus } from '../workflows/messages';

const STATUSES: Record<string, SyncStatus> = { running: 'Running', synced: 'Synced', parked: 'Parked', skipped: 'Skipped', cancelled: 'Cancelled', failed: 'Failed' };

/** The workflow id prefix of `--scheme` (undefined: the flagship's). */
function prefixOf(schemeId: string | undefined): string | undefined {
  return schemeId === undefined ? undefined : schemeWorkflowIdPrefix(schemeId);
}

/** One line per refund; a refused one sets a failing exit code, and the batch goes on. */
function report(outcomes: OperatorOutcome[]): void {
  for (const o of outcomes) {
    if (o.accepted) console.log(o.message);
    else {
      console.error(`refused: ${o.message}`);
      process.exitCode = 1;
    }
  }
}

function parseStatus(text: string | undefined): SyncStatus | undefined {
  if (text === undefined) return undefined;
  const s = STATUSES[text.toLowerCase()];
  if (!s) throw new Error(`--status must be one of ${Object.keys(STATUSES).join(', ')} (got ${JSON.stringify(text)})`);
  return s;
}

export function registerOpsCommands(program: Command): void {
  program
    .command('reprocess [asIds...]')
    .description('Retry parked refunds from Kingdee\'s state of their bill, with fresh lookups (a Workflow Update)')
    .option('--all-parked', 'every parked refund')
    .option('--reason <text>', 'recorded in the timeline', 'operator reprocess')
    .option('--scheme <id>', 'the scheme whose refunds these are (default: the flagship)')
    .action(async (asIds: string[], opts: { allParked?: boolean; reason: string; scheme?: string }) => {
      if (!opts.allParked && asIds.length === 0) throw new Error('give one or more as_ids, or --all-parked');
      const prefix = prefixOf(opts.scheme);
      await withClient(async (client) => {
        const outcomes = opts.allParked ? await reprocessAllParked(client, opts.reason, opts.scheme) : [];
        if (opts.allParked && outcomes.length === 0) console.log('nothing parked');
        report(outcomes);
        for (const asId of asIds) report([await reprocessRefund(client, asId, opts.reason, prefix)]);
      });
    });

  program
    .command('skip <asIds...>')
    .description('Close refunds as skipped (booked by hand, say), with the operator reason (a Workflow Update)')
    .requiredOption('--reason <text>', 'why it is skipped (kept in history and search attributes)')
    .option('--scheme <id>', 'the scheme whose refunds these are (default: the flagship)')
    .action(async (asIds: string[], opts: { reason: string; scheme?: string }) => {
      const prefix = prefixOf(opts.scheme);
      await withClient(async (client) => {
        for (const asId of asIds) report([await skipRefund(client, asId, opts.reason, prefix)]);
      });
    });

  program
    .command('resync <asIds...>')
    .description('Run closed refunds again (synced, skipped, cancelled, terminated): reads Kingdee\'s state of the bill first')
    .option('--reason <text>', 'recorded in the timeline', 'operator resync')
    .option('--scheme <id>', 'the scheme whose refunds these are (default: the flagship)')
    .action(async (asIds: string[], opts: { reason: string; scheme?: string }) => {
      const prefix = prefixOf(opts.scheme);
      await withClient(async (client) => {
        for (const asId of asIds) report([await resyncRefund(client, asId, opts.reason, prefix)]);
      });
    });

  const drift = program.command('drift').description('Records changed in Jushuitan after their refund synced or was skipped');
  drift
    .command('list')
    .description('Open drifts, with what differs')
    .action(async () => {
      await withClient(async (client) => {
        const rows = await listOpenDrifts(client);
        if (rows.length === 0) console.log('no open drift');
        for (const r of rows) console.log(`${r.asId.padEnd(10)} ${r.reason ?? ''}`);
      });
    });
  drift
    .command('status <asId>')
    .description('What differs, and what was done so far')
    .option('--scheme <id>', 'the scheme whose refund this is (default: the flagship)')
    .action(async (asId: string, opts: { scheme?: string }) => {
      await withClient(async (client) => console.log(JSON.stringify(await driftStatus(client, asId, prefixOf(opts.scheme)), null, 2)));
    });
  for (const [action, what] of [
    ['accept', 'Keep Kingdee as it is for the new version (recorded with the reason)'],
    ['reverse', 'Un-audit and delete our bill (Kingdee refusing parks the drift with its reason)'],
    ['resync', 'Reverse our bill, then sync the new version'],
  ] as const) {
    drift
      .command(`${action} <asIds...>`)
      .description(`${what} (a Workflow Update)`)
      .requiredOption('--reason <text>', 'why (kept in the ledger and the timeline)')
      .option('--scheme <id>', 'the scheme whose refunds these are (default: the flagship)')
      .action(async (asIds: string[], opts: { reason: string; scheme?: string }) => {
        const prefix = prefixOf(opts.scheme);
        await withClient(async (client) => {
          for (const asId of asIds) report([await actOnDrift(client, action, asId, opts.reason, prefix)]);
        });
      });
  }

  program
    .command('status <asId>')
    .description('Status and timeline of one refund')
    .option('--json', 'print JSON')
    .action(async (asId: string, opts: { json?: boolean }) => {
      await withClient(async (client) => {
        const s = await refundStatus(client, asId);
        if (opts.json) return console.log(JSON.stringify(s, null, 2));
        console.log(`as_id ${s.asId}: ${s.status}${s.failedStep ? ` at ${s.failedStep}` : ''}${s.reason ? ` — ${s.reason}` : ''}`);
        if (s.billNo) console.log(`Kingdee bill ${s.billNo}${s.billId ? ` (FID ${s.billId})` : ''}`);
        if (s.nextRetryAt) console.log(`next automatic retry at ${s.nextRetryAt} (or reprocess / skip now)`);
        for (const t of s.timeline) {
          console.log(`  ${t.at}  ${t.step.padEnd(14)} ${t.outcome.padEnd(6)} ${t.detail ?? ''}${t.kingdeeId ? ` [id ${t.kingdeeId}]` : ''}`);
        }
      });
    });

  program
    .command('list')
    .description('List refund workflows, optionally by status')
    .option('--status <status>', 'running | synced | parked | skipped | cancelled | failed')
    .option('--limit <n>', 'at most this many', '200')
    .option('--json', 'one JSON object per line')
    .action(async (opts: { status?: string; limit: string; json?: boolean }) => {
      const status = parseStatus(opts.status);
      await withClient(async (client) => {
        const rows = await listRefunds(client, { status }, Number(opts.limit));
        for (const r of rows) {
          // A terminated run keeps the SyncStatus it had: show what it is now, and its execution when it ended otherwise.
          const status = listedStatus(r.status, r.execution);
          if (opts.json) console.log(JSON.stringify({ ...r, status, syncStatus: r.status }));
          else {
            const ended = status !== r.status ? ` (${r.execution.toLowerCase()})` : '';
            console.log(`${r.asId.padEnd(10)} ${(status + ended).padEnd(9)} ${(r.billNo ?? '').padEnd(10)} ${r.failedStep ?? ''} ${r.reason ?? ''}`);
          }
        }
        console.error(`${rows.length} refund(s)`);
      });
    });

  program
    .command('backfill')
    .description('Poll an explicit modified-time range now (outside the schedule)')
    .requiredOption('--from <time>', TIME_FLAG_HELP)
    .requiredOption('--to <time>', TIME_FLAG_HELP)
    .option('--scheme <id>', 'scheme id')
    .option('--wait', 'follow progress until every started refund has settled')
    .action(async (opts: { from: string; to: string; scheme?: string; wait?: boolean }) => {
      const config = syncConfigFromEnv();
      const from = parseTimeFlag('--from', opts.from);
      const to = parseTimeFlag('--to', opts.to);
      if (to < from) throw new Error('--to is before --from');
      const schemeId = opts.scheme ?? config.schemeId;
      await withClient(async (client) => {
        const input: PollRefundsInput = { schemeId, window: { from: from.toISOString(), to: to.toISOString() } };
        const handle = await client.workflow.start('pollRefunds', {
          taskQueue: config.taskQueue,
          workflowId: `backfill-${schemeId}-${from.toISOString()}-${to.toISOString()}`.replace(/[:.]/g, ''),
          args: [input],
          staticSummary: `Backfill ${opts.from} → ${opts.to}`,
        });
        console.log(`backfill started: ${handle.workflowId}`);
        if (!opts.wait) return;
        await followBackfill(client, handle.workflowId);
      });
    });
}

/** Draws one progress line until the poll is done and no refund it started is still running (or parked). */
async function followBackfill(client: Client, workflowId: string): Promise<void> {
  const handle = client.workflow.getHandle(workflowId);
  let result: PollRefundsResult | undefined;
  let failure: unknown;
  // A failed poll (e.g. Jushuitan refusing our signature) ends the wait with its cause, not an unhandled rejection.
  handle.result().then(
    (r: PollRefundsResult) => (result = r),
    (err: unknown) => (failure = err),
  );
  for (;;) {
    if (failure !== undefined) {
      process.stdout.write('\n');
      throw failure;
    }
    const progress = result?.counts ?? (await handle.query(pollProgressQuery).catch(() => undefined));
    // Only the refunds this backfill started: the schedule and other backfills run beside it.
    const count = (status: SyncStatus) => countRefunds(client, { status, startedByPoll: workflowId });
    // Running and Parked count open runs only; a terminated (or cancelled) run has settled, whatever its SyncStatus.
    const [synced, parked, skipped, running, ended] = await Promise.all([
      count('Synced'), count('Parked'), count('Skipped'), count('Running'),
      countRefunds(client, { startedByPoll: workflowId, endedOtherwise: true }),
    ]);
    const started = progress?.started ?? 0;
    const settled = synced + parked + skipped + ended;
    const width = 30;
    const filled = started > 0 ? Math.round((Math.min(settled, started) / started) * width) : 0;
    const notEligible = Object.values(progress?.skipped ?? {}).reduce((a, b) => a + b, 0);
    process.stdout.write(
      `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] pages ${progress?.pages ?? 0} · started ${started} · synced ${synced} · parked ${parked} · skipped ${skipped + notEligible}${ended > 0 ? ` · ended otherwise ${ended}` : ''}   `,
    );
    if (result && running === 0 && settled >= started) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stdout.write('\n');
  console.log(JSON.stringify(result));
}
