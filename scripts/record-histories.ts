// Records the replay corpus (test/histories/) from the workflow code of this checkout: one scripted run of
// every situation a workflow can be in when a new build is deployed (synced, adopted, parked at each step,
// compensated, skipped, reprocessed, updated while parked, continued as new, a multi-slice poll, a park retried by
// itself, a drift accepted and one reversed).
// It runs its own in-memory dev servers on free ports, the simulators and a worker, then exports each
// history with the stock CLI. Existing files are never overwritten: the corpus only grows.
// Usage: node --import tsx scripts/record-histories.ts [main] [continue-as-new] [drift-and-retry]   (default: all)
//
// Business failures at lookups, save, submit and audit are injected at the activity boundary (a wrapper
// that throws the same BusinessError the Kingdee activities throw): the workflow code that is recorded,
// and later replayed, is the real one; only the activity's answer is chosen.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createActivities } from '../src/activities';
import { parseBeijing } from '../src/lib/beijing-time';
import { buildDeps } from '../src/runtime/deps';
import { startSimulatedSystems, type SimulatedSystems } from '../src/sim/simulated-systems';
import { generateWorld, isEligibleRefund, type World } from '../src/sim/world';
import { startDevServer, type RunningDevServer } from '../src/temporal/dev-server';
import { registerSearchAttributes } from '../src/temporal/namespace-setup';
import { createWorkers } from '../src/worker';
import { buildIdOf } from '../src/temporal/workflow-bundle';
import { BUSINESS_ERROR } from '../src/temporal/failure-types';
import { ensureTemporalCli, PROJECT_ROOT } from '../src/temporal/temporal-cli';
import {
  acceptDriftUpdate,
  driftStatusQuery,
  driftWorkflowId,
  refundWorkflowId,
  reprocessSignal,
  reverseDriftUpdate,
  skipSignal,
  statusQuery,
  type SyncRefundStatus,
  type SyncStep,
} from '../src/workflows/messages';
import { SYNC_REFUND_LEAN } from '../src/workflows/sync-refund';
import { migrate, openStateStore } from '../src/store';
import { decisionsLedger } from '../src/store/decisions';
import { addToCorpus, HISTORIES_DIR, historyFileName, patchesIn, workflowTypeOf } from '../test/support/corpus';
import { waitUntil } from '../test/support/wait';

const SCHEME = 'jst-refund-to-sales-return';
const TO = new Date('2026-01-21T00:00:00Z');
const FROM = new Date(TO.getTime() - 20 * 86_400_000); // 20 days: three ≤ 7-day slices
type Activities = ReturnType<typeof createActivities>;
/**
 * as_id → activity names that answer with a business error while listed, each with the step its failure names
 * (an activity that runs several steps says which one failed, as activities/bill-steps.ts does).
 */
type Injections = Map<string, Map<keyof Activities, SyncStep | undefined>>;

const quiet = { info() {}, warn: console.warn, error: console.error, debug() {}, trace() {}, log() {} };

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') }); // workflows log every park: expected here
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src/workflows'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).trim();
  if (dirty) throw new Error(`src/workflows has uncommitted changes: record from committed workflow code only\n${dirty}`);
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(PROJECT_ROOT, 'src', 'workflows'), logger: quiet });
  // Each recording is labelled with the build id of the workflow code it came from: new code records its own
  // files beside the old ones, and the same code run twice adds nothing.
  const recorder: Recorder = { commit, codeLabel: buildIdOf(bundle.code), added: 0 };

  const wanted = new Set(process.argv.slice(2));
  const runs = (name: string) => wanted.size === 0 || wanted.has(name);
  if (runs('main')) await withStack({ bundleCode: bundle.code, seed: 7, asIdStart: 62_000_000, refunds: 80 }, [], (s) => recordMainScenarios(s, recorder));
  // A server that suggests continue-as-new after a few events: pollers and a reprocessed refund continue as new.
  if (runs('continue-as-new')) {
    await withStack(
      { bundleCode: bundle.code, seed: 11, asIdStart: 63_000_000, refunds: 130, from: new Date(TO.getTime() - 5 * 86_400_000) },
      ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=10'],
      (s) => recordContinueAsNewScenarios(s, recorder),
    );
  }
  // A state store (the ledger drift compares with) and park retries after seconds.
  if (runs('drift-and-retry')) {
    await withStack({ bundleCode: bundle.code, seed: 13, asIdStart: 64_000_000, refunds: 30, ledger: true, parkRetryMs: 2_000 }, [], (s) => recordDriftAndRetryScenarios(s, recorder));
  }
  console.log(`recorded ${recorder.added} new histories into ${HISTORIES_DIR} (workflow code ${commit})`);
}

interface Stack {
  server: RunningDevServer;
  client: Client;
  systems: SimulatedSystems;
  activities: Activities;
  injections: Injections;
  taskQueue: string;
  world: World;
  from: Date;
  missingCustomerShop: string;
}

interface StackOptions {
  bundleCode: string; seed: number; asIdStart: number; refunds: number; from?: Date;
  /** An embedded state store with the decisions ledger (drift needs it). */
  ledger?: boolean;
  /** ERP_BRIDGE_PARK_RETRY as the worker passes it. */
  parkRetryMs?: number;
}

async function withStack(options: StackOptions, serverArgs: string[], run: (stack: Stack) => Promise<void>): Promise<void> {
  const from = options.from ?? FROM;
  const server = await startDevServer({ uiPort: false, extraArgs: serverArgs });
  const world = generateWorld({ refunds: options.refunds, seed: options.seed, asIdStart: options.asIdStart, from, to: TO });
  const overReturn = world.refunds.find((r) => isEligibleRefund(r) && r.batchs.length === 0 && r.shop_name !== world.shops[2]!.name)!;
  overReturn.items.find((i) => Number(i.r_qty) > 0)!.r_qty = 99; // Kingdee refuses its audit: compensation
  const systems = await startSimulatedSystems({ world, jstRateLimits: { perSecond: 1000, perMinute: 60_000 }, jstClientLimits: { perSecond: 1000, perMinute: 60_000 } });
  const store = options.ledger ? await openStateStore({ databaseUrl: undefined, dataDir: mkdtempSync(path.join(tmpdir(), 'erp-bridge-record-store-')) }) : undefined;
  if (store) await migrate(store);
  const deps = buildDeps(systems.configs, store ? { decisions: decisionsLedger(store) } : {});
  const injections: Injections = new Map();
  const activities = withInjectedFailures(createActivities({ ...deps, ...(options.parkRetryMs !== undefined ? { parkRetryMs: options.parkRetryMs } : {}) }), injections);
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const taskQueue = 'erp-bridge';
  // The plain server is set up as any other: the product's search attributes first.
  await registerSearchAttributes(connection, server.namespace);
  const bundlePath = path.join(mkdtempSync(path.join(tmpdir(), 'erp-bridge-record-')), 'workflows.js');
  writeFileSync(bundlePath, options.bundleCode);
  const worker = await createWorkers({ connection: nativeConnection, namespace: server.namespace, taskQueue, workflowBundlePath: bundlePath, activities, options: { shutdownGraceTime: '1s' } });
  const running = worker.run();
  const shop = world.shops[2]!;
  if (!systems.kingdee.store.removeRecord('BD_Customer', shop.customerNumber)) throw new Error(`no Kingdee customer ${shop.customerNumber} to remove`);
  try {
    await run({ server, client: new Client({ connection, namespace: server.namespace }), systems, activities, injections, taskQueue, world, from, missingCustomerShop: shop.name });
  } finally {
    worker.shutdown();
    await running;
    await nativeConnection.close();
    await connection.close();
    await deps.close();
    await store?.close();
    await systems.stop();
    await server.stop();
  }
}

/** Activities that answer with a business error for the as_ids and steps listed in `injections`. */
function withInjectedFailures(activities: Activities, injections: Injections): Activities {
  const wrapped = { ...activities } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(activities) as Array<[keyof Activities, (...args: unknown[]) => Promise<unknown>]>) {
    wrapped[name] = async (...args: unknown[]) => {
      const input = args[0] as { billNo?: string; record?: { as_id?: unknown } } | undefined;
      const asId = input?.billNo ?? (input?.record?.as_id !== undefined ? String(input.record.as_id) : undefined);
      const injected = asId === undefined ? undefined : injections.get(asId);
      if (injected?.has(name)) {
        const step = injected.get(name);
        throw ApplicationFailure.create({
          message: `recorded business failure at ${String(name)}${step ? ` (${step})` : ''} for ${asId}`,
          type: BUSINESS_ERROR,
          nonRetryable: true,
          ...(step ? { details: [{ step }] } : {}),
        });
      }
      return fn(...args);
    };
  }
  return wrapped as Activities;
}

function inject(stack: Stack, asId: string, activity: keyof Activities, step?: SyncStep): void {
  const byActivity = stack.injections.get(asId) ?? new Map();
  byActivity.set(activity, step);
  stack.injections.set(asId, byActivity);
}

interface Recorder { commit: string; codeLabel: string; added: number }

async function record(stack: Stack, recorder: Recorder, workflowId: string, scenarios: string[], options: { label?: string; runId?: string } = {}): Promise<void> {
  const { stdout } = await promisify(execFile)(
    ensureTemporalCli(),
    ['workflow', 'show', '--address', stack.server.address, '--workflow-id', workflowId, ...(options.runId ? ['--run-id', options.runId] : []), '--output', 'json'],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const label = [options.label, recorder.codeLabel].filter(Boolean).join('-');
  // A refund run on the lean pipeline covers the same scenario on that path too (REQUIRED_LEAN_SCENARIOS).
  const covered = patchesIn(stdout).includes(SYNC_REFUND_LEAN) ? [...scenarios, ...scenarios.map((s) => `lean:${s}`)] : scenarios;
  const added = addToCorpus(stdout, workflowId, covered, recorder.commit, label);
  if (!added) return console.log(`kept   ${historyFileName(workflowTypeOf(stdout), workflowId, label)} (already in the corpus; histories are never re-recorded)`);
  recorder.added++;
  console.log(`added  ${added}: ${covered.join(', ')}`);
}

const statusOf = (stack: Stack, asId: string) => stack.client.workflow.getHandle(refundWorkflowId(asId)).query(statusQuery);
function waitForStatus(stack: Stack, asId: string, want: SyncRefundStatus['status'], step?: SyncRefundStatus['failedStep']): Promise<SyncRefundStatus> {
  return waitUntil(`refund ${asId} to be ${want}${step ? ` at ${step}` : ''}`, async () => {
    const s = await statusOf(stack, asId);
    return s.status === want && (step === undefined || s.failedStep === step) ? s : undefined;
  }, 120_000);
}
async function finish(stack: Stack, asId: string, want: 'Synced' | 'Skipped'): Promise<void> {
  const result = await stack.client.workflow.getHandle(refundWorkflowId(asId)).result();
  if (result.status !== want) throw new Error(`refund ${asId} finished ${result.status}, expected ${want}`);
}

/** Saves (and optionally submits) a refund's bill in Kingdee before its workflow runs: the workflow finds and adopts it. */
async function preexistingBill(stack: Stack, asId: string, submitted: boolean): Promise<void> {
  const refund = stack.world.refunds.find((r) => String(r.as_id) === asId)!;
  const modified = parseBeijing(String(refund.modified))!;
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const page: Awaited<ReturnType<Activities['fetchRefundPage']>> = await env.run(stack.activities.fetchRefundPage, {
    schemeId: SCHEME, begin: new Date(modified.getTime() - 1000).toISOString(), end: new Date(modified.getTime() + 1000).toISOString(), pageIndex: 1,
  });
  const item = page.eligible.find((e) => e.refund.asId === asId);
  if (!item) throw new Error(`refund ${asId} is not on the page around its modified time`);
  const answers = item.answers ?? (await env.run(stack.activities.resolveLookups, { schemeId: SCHEME, record: item.record }));
  const prepared: Awaited<ReturnType<Activities['mapRefund']>> = await env.run(stack.activities.mapRefund, { schemeId: SCHEME, record: item.record, answers });
  if (prepared.kind !== 'ready') throw new Error(`refund ${asId} does not map to a bill: ${JSON.stringify(prepared)}`);
  const ref = { formId: prepared.formId, billNo: prepared.billNo };
  await env.run(stack.activities.saveBill, { ...ref, body: prepared.body });
  if (submitted) await env.run(stack.activities.submitBill, ref);
}

async function backfill(stack: Stack, workflowId: string, window: { from: Date; to: Date }): Promise<void> {
  await stack.client.workflow.execute('pollRefunds', {
    taskQueue: stack.taskQueue, workflowId,
    args: [{ schemeId: SCHEME, window: { from: window.from.toISOString(), to: window.to.toISOString() } }],
  });
}

async function recordMainScenarios(stack: Stack, recorder: Recorder): Promise<void> {
  const eligible = stack.world.refunds.filter(isEligibleRefund);
  const overReturn = eligible.find((r) => r.items.some((i) => Number(i.r_qty) === 99))!;
  const normal = eligible.filter((r) => r.shop_name !== stack.missingCustomerShop && r !== overReturn).map((r) => String(r.as_id));
  const stranded = eligible.filter((r) => r.shop_name === stack.missingCustomerShop).map((r) => String(r.as_id));
  if (normal.length < 6 || stranded.length < 3) throw new Error(`seed gives ${normal.length} normal and ${stranded.length} stranded refunds; need 6 and 3`);
  const [synced, adopted, atSave, atSubmit, atAudit] = normal as [string, string, string, string, string];
  const [atMapping, atLookups, updated] = stranded as [string, string, string];
  const compensated = String(overReturn.as_id);

  await preexistingBill(stack, adopted, false);
  await preexistingBill(stack, atAudit, true);
  // The lean pipeline's two Kingdee steps (sync-refund-lean-v1): save in one, submit and audit in the other.
  inject(stack, atSave, 'ensureBillSaved', 'save');
  inject(stack, atSubmit, 'advanceBill', 'submit');
  inject(stack, atAudit, 'advanceBill', 'audit');
  await backfill(stack, 'corpus-backfill', { from: stack.from, to: TO });

  await finish(stack, synced, 'Synced');
  await finish(stack, adopted, 'Synced');
  for (const [asId, step] of [[atMapping, 'mapping'], [atLookups, 'mapping'], [updated, 'mapping'], [atSave, 'save'], [atSubmit, 'submit'], [atAudit, 'audit'], [compensated, 'audit']] as const) {
    await waitForStatus(stack, asId, 'Parked', step);
  }
  // Lookups are prefetched per page by the poller, so a refund reaches its own lookups step on a reprocess.
  inject(stack, atLookups, 'resolveLookups');
  await stack.client.workflow.getHandle(refundWorkflowId(atLookups)).signal(reprocessSignal, { reason: 'recording: lookups fail' });
  await waitForStatus(stack, atLookups, 'Parked', 'lookups');

  await record(stack, recorder, 'corpus-backfill', ['multi-slice-poll-refunds']);
  await record(stack, recorder, 'corpus-backfill-slice-1', ['poll-window']);
  await record(stack, recorder, 'corpus-backfill-slice-3', ['poll-window']);
  await record(stack, recorder, refundWorkflowId(synced), ['synced']);
  await record(stack, recorder, refundWorkflowId(adopted), ['adopted-existing-bill']);
  // Parked histories are what is in flight during a deploy: recorded while parked, and again once finished.
  await record(stack, recorder, refundWorkflowId(atMapping), ['parked-at-mapping'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(atLookups), ['parked-at-lookups', 'parked-at-mapping', 'reprocessed'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(updated), ['parked-at-mapping'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(atSave), ['parked-at-save'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(atSubmit), ['parked-at-submit'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(atAudit), ['parked-at-audit', 'adopted-existing-bill'], { label: 'parked' });
  await record(stack, recorder, refundWorkflowId(compensated), ['parked-at-audit', 'compensated-after-audit-failure'], { label: 'parked' });

  // Fix everything and let each finish.
  stack.injections.clear();
  const shop = stack.world.shops[2]!;
  if (!stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber)) throw new Error(`could not restore customer ${shop.customerNumber}`);
  for (const asId of [atMapping, atLookups, atSave, atSubmit, atAudit]) {
    await stack.client.workflow.getHandle(refundWorkflowId(asId)).signal(reprocessSignal, { reason: 'recording: fixed' });
  }
  await stack.client.workflow.getHandle(refundWorkflowId(compensated)).signal(skipSignal, { reason: 'recording: booked by hand' });
  // A newer version of the parked record arrives through the poller: it unparks the refund.
  stack.systems.jushuitan.store.touch([Number(updated)]);
  const now = Date.now();
  await backfill(stack, 'corpus-record-update', { from: new Date(now - 10 * 60_000), to: new Date(now + 10 * 60_000) });
  for (const asId of [atMapping, atLookups, updated, atSave, atSubmit, atAudit]) await finish(stack, asId, 'Synced');
  await finish(stack, compensated, 'Skipped');

  await record(stack, recorder, refundWorkflowId(atMapping), ['parked-at-mapping', 'reprocessed', 'synced']);
  await record(stack, recorder, refundWorkflowId(atLookups), ['parked-at-lookups', 'reprocessed', 'synced']);
  await record(stack, recorder, refundWorkflowId(updated), ['record-updated-while-parked', 'synced']);
  await record(stack, recorder, 'corpus-record-update-slice-1', ['poll-window', 'record-updated-while-parked']);
  // A poller under the poll-watermark-in-store patch (reads, then moves, the watermark through activities).
  await record(stack, recorder, 'corpus-record-update', ['poll-watermark-in-store']);
  await record(stack, recorder, refundWorkflowId(atSave), ['parked-at-save', 'reprocessed', 'synced']);
  await record(stack, recorder, refundWorkflowId(atSubmit), ['parked-at-submit', 'reprocessed', 'adopted-existing-bill']);
  await record(stack, recorder, refundWorkflowId(atAudit), ['parked-at-audit', 'reprocessed', 'synced']);
  await record(stack, recorder, refundWorkflowId(compensated), ['compensated-after-audit-failure', 'skipped']);
}

async function recordContinueAsNewScenarios(stack: Stack, recorder: Recorder): Promise<void> {
  // 130 records in one slice, 50 a page: the slice continues as new after its first page.
  await backfill(stack, 'corpus-can-backfill', { from: stack.from, to: TO });
  const runs = await listRuns(stack, 'corpus-can-backfill-slice-1');
  if (runs.length < 2) throw new Error(`pollWindow corpus-can-backfill-slice-1 ran ${runs.length} time(s); expected a continue-as-new`);
  await record(stack, recorder, 'corpus-can-backfill-slice-1', ['poller-continued-as-new'], { label: 'run-1', runId: runs[0] });
  await record(stack, recorder, 'corpus-can-backfill-slice-1', ['poller-continued-as-new'], { label: 'run-2', runId: runs[1] });

  const parked = stack.world.refunds.filter((r) => isEligibleRefund(r) && r.shop_name === stack.missingCustomerShop).map((r) => String(r.as_id))[0];
  if (!parked) throw new Error('no refund of the shop without a customer in this world');
  await waitForStatus(stack, parked, 'Parked', 'mapping');
  const handle = stack.client.workflow.getHandle(refundWorkflowId(parked));
  const firstRun = (await handle.describe()).runId;
  const shop = stack.world.shops[2]!;
  stack.systems.kingdee.store.restoreRecord('BD_Customer', shop.customerNumber);
  await handle.signal(reprocessSignal, { reason: 'recording: continue as new' });
  await finish(stack, parked, 'Synced');
  const secondRun = (await handle.describe()).runId;
  if (secondRun === firstRun) throw new Error(`refund ${parked} did not continue as new on reprocess`);
  await record(stack, recorder, refundWorkflowId(parked), ['refund-continued-as-new', 'parked-at-mapping', 'reprocessed'], { label: 'run-1', runId: firstRun });
  await record(stack, recorder, refundWorkflowId(parked), ['refund-continued-as-new', 'synced'], { label: 'run-2', runId: secondRun });
}

async function recordDriftAndRetryScenarios(stack: Stack, recorder: Recorder): Promise<void> {
  const eligible = stack.world.refunds.filter(isEligibleRefund);
  const stranded = eligible.filter((r) => r.shop_name === stack.missingCustomerShop).map((r) => String(r.as_id));
  // withStack made one refund over-return (it parks at audit): not one of these.
  const normal = eligible.filter((r) => r.shop_name !== stack.missingCustomerShop && r.batchs.length === 0 && !r.items.some((i) => Number(i.r_qty) === 99));
  const [retried] = stranded;
  const [accepted, reversed] = normal;
  if (!retried || !accepted || !reversed) throw new Error('seed 13 must give a refund of the shop without a customer and two others');
  await backfill(stack, 'corpus-drift-backfill', { from: stack.from, to: TO });
  await finish(stack, String(accepted.as_id), 'Synced');
  await finish(stack, String(reversed.as_id), 'Synced');

  // Parked on the missing customer: it retries by itself (every 2 s here, doubling); recorded in flight, then done.
  await waitUntil(`refund ${retried} to retry by itself`, async () => ((await statusOf(stack, retried)).timeline.filter((t) => t.step === 'auto-retry').length >= 2 ? true : undefined), 120_000);
  await waitForStatus(stack, retried, 'Parked', 'mapping');
  await record(stack, recorder, refundWorkflowId(retried), ['parked-at-mapping', 'park-auto-retried'], { label: 'parked' });
  stack.systems.kingdee.store.restoreRecord('BD_Customer', stack.world.shops[2]!.customerNumber);
  await finish(stack, retried, 'Synced');
  await record(stack, recorder, refundWorkflowId(retried), ['park-auto-retried', 'synced']);

  // Two synced refunds change in Jushuitan: a corrected price (accepted) and a cancellation (reversed).
  const item = accepted.items[0]!;
  stack.systems.jushuitan.store.touch([accepted.as_id], { items: [{ ...item, price: Number(item.price) + 1 }, ...accepted.items.slice(1)] });
  stack.systems.jushuitan.store.touch([reversed.as_id], { status: 'Cancelled' });
  const now = Date.now();
  await backfill(stack, 'corpus-drift', { from: new Date(now - 10 * 60_000), to: new Date(now + 10 * 60_000) });
  for (const r of [accepted, reversed]) {
    await waitUntil(`drift of ${r.as_id}`, async () => stack.client.workflow.getHandle(driftWorkflowId(String(r.as_id))).query(driftStatusQuery).catch(() => undefined), 60_000);
  }
  await record(stack, recorder, 'corpus-drift-slice-1', ['poll-window', 'poll-window-drift']);
  await record(stack, recorder, driftWorkflowId(String(accepted.as_id)), ['drifted'], { label: 'drifted' });
  const acceptHandle = stack.client.workflow.getHandle(driftWorkflowId(String(accepted.as_id)));
  await acceptHandle.executeUpdate(acceptDriftUpdate, { args: [{ reason: 'recording: price settled outside Kingdee' }] });
  await acceptHandle.result();
  await record(stack, recorder, driftWorkflowId(String(accepted.as_id)), ['drifted', 'drifted-accepted']);
  const reverseHandle = stack.client.workflow.getHandle(driftWorkflowId(String(reversed.as_id)));
  await reverseHandle.executeUpdate(reverseDriftUpdate, { args: [{ reason: 'recording: cancelled after audit' }] });
  await reverseHandle.result();
  await record(stack, recorder, driftWorkflowId(String(reversed.as_id)), ['drifted', 'drift-reversed']);
}

/** Run ids of a workflow id, oldest first. */
async function listRuns(stack: Stack, workflowId: string): Promise<string[]> {
  const runs: Array<{ runId: string; start: number }> = [];
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId='${workflowId}'` })) runs.push({ runId: wf.runId, start: wf.startTime.getTime() });
  return runs.sort((a, b) => a.start - b.start).map((r) => r.runId);
}

main().catch((err: unknown) => {
  console.error(`record-histories failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
