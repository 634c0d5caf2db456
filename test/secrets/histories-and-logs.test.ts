// Secrets and PII: two full runs (Kingdee by password, and by app secret; a Jushuitan token refresh; Kingdee
// session drops and failed writes; bad records among good ones). Then every workflow history of those runs is
// exported (list + fetchHistory, JSON, payloads decoded) and every worker log line (the JSON logger's write
// hook) is kept: no configured or refreshed secret appears anywhere, and no buyer name, phone or account
// appears in any history (nor in the logs).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { NativeConnection } from '@temporalio/worker';
import { createActivities } from '../../src/activities';
import { waitUntilSettled } from '../../src/chaos/outcomes';
import { KINGDEE_TEST_REQUEST_TIMEOUT_MS } from '../support/sync-stack';
import { JushuitanClient } from '../../src/connectors/jushuitan';
import { KingdeeClient, type KingdeeConfigInput } from '../../src/connectors/kingdee';
import { installRuntime } from '../../src/runtime/worker-process';
import { createSchemes } from '../../src/runtime/schemes';
import { startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { HOSTILE_KINDS, isEligibleRefund } from '../../src/sim/world';
import { createWorkers, type WorkerGroup } from '../../src/worker';

// Before any connection: the worker runtime's JSON logs, at debug level, come here.
const logLines: string[] = [];
installRuntime({ logLevel: 'debug', write: (line) => logLines.push(line) });

const SCHEME_ID = 'jst-refund-to-sales-return';
const FROM = new Date('2026-01-01T00:00:00Z');
const TO = new Date('2026-01-21T00:00:00Z');

interface Run {
  taskQueue: string;
  systems: SimulatedSystems;
  /** Every credential this run was configured with or was given (refreshed tokens). */
  secrets: string[];
}

let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
const runs: Run[] = [];
const historyTexts: Array<{ workflowId: string; text: string }> = [];

/** One full backfill on its own simulators, task queue and worker; Kingdee logs in by `mode`. */
async function fullRun(mode: 'validate-user' | 'app-secret', block: number): Promise<Run> {
  const systems = await startSimulatedSystems({
    refunds: 50, seed: 21 + block, from: FROM, to: TO, hostile: HOSTILE_KINDS,
    asIdStart: 30_000_000 + (process.pid % 5000) * 100_000 + block * 10_000,
    jstRateLimits: { perSecond: 1000, perMinute: 60_000 },
    jstClientLimits: { perSecond: 1000, perMinute: 60_000 },
  });
  const k = systems.kingdee.credentials;
  const j = systems.configs.jushuitan;
  const secrets = [j.appSecret, j.accessToken, j.refreshToken!, k.password, k.appSecret];
  // A retried write waits out one Kingdee request timeout: short here, so the injected lost replies cost seconds.
  const base = { ...systems.configs.kingdee, requestTimeoutMs: KINGDEE_TEST_REQUEST_TIMEOUT_MS };
  const kingdeeConfig: KingdeeConfigInput =
    mode === 'validate-user' ? base : { ...base, authMode: 'app-secret', appId: k.appId, appSecret: k.appSecret };
  const refunds = new JushuitanClient(j, { onTokensRefreshed: (t) => secrets.push(t.accessToken, t.refreshToken) });
  const kingdee = new KingdeeClient(kingdeeConfig);
  const activities = createActivities({ refunds, bills: kingdee, schemes: createSchemes({ kingdee, preload: [SCHEME_ID] }) });

  // Weather that puts error messages into histories and logs: an expired token, dropped sessions, failed writes.
  systems.jushuitan.tokens.expire();
  systems.kingdee.faults.add({ fault: 'sessionDrop', op: 'ExecuteBillQuery', nth: 2 });
  systems.kingdee.faults.add({ fault: 'sessionDrop', op: 'Submit', nth: 3 });
  systems.kingdee.faults.add({ fault: 'http5xx', op: 'Save', nth: 2 });
  systems.kingdee.faults.add({ fault: 'commitThenDrop', op: 'Audit', nth: 4 });
  systems.kingdee.faults.add({ fault: 'networkLock', op: 'Save', nth: 5 });

  const taskQueue = `secrets-${mode}-${process.pid}-${Date.now()}`;
  const worker: WorkerGroup = await createWorkers({
    connection: nativeConnection, namespace: 'default', taskQueue, activities,
    workflowBundlePath: process.env.ERP_BRIDGE_TEST_BUNDLE!, options: { shutdownGraceTime: '1s' },
  });
  const running = worker.run();
  try {
    await client.workflow.execute('pollRefunds', {
      taskQueue, workflowId: `secrets-backfill-${taskQueue}`,
      args: [{ schemeId: SCHEME_ID, window: { from: FROM.toISOString(), to: TO.toISOString() } }],
    });
    const world = systems.world;
    const handedOver = [...world.refunds.filter(isEligibleRefund).map((r) => String(r.as_id)), ...world.hostile!.map((h) => String(h.asId))];
    const outcomes = await waitUntilSettled(client, [...new Set(handedOver)], { timeoutMs: 300_000, pollMs: 300 });
    const synced = [...outcomes.values()].filter((o) => o?.status === 'Synced').length;
    assert.ok(synced >= 10, `${mode}: the run synced refunds: ${JSON.stringify([...outcomes.values()].map((o) => [o?.status, o?.reason]))}`);
  } catch (err) {
    await systems.stop();
    throw err;
  } finally {
    worker.shutdown();
    await running;
    await kingdee.close();
  }
  assert.ok(secrets.length > 5, `${mode}: the expired Jushuitan token was refreshed (new tokens are secrets too)`);
  return { taskQueue, systems, secrets };
}

/** A history as exported JSON, plus every payload's data decoded (JSON text), so plaintext cannot hide in base64. */
function searchableHistory(json: string): string {
  const decoded: string[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== 'object') return;
    const obj = value as Record<string, unknown>;
    if (typeof obj.data === 'string' && typeof obj.metadata === 'object') decoded.push(Buffer.from(obj.data, 'base64').toString('utf8'));
    Object.values(obj).forEach(walk);
  };
  walk(JSON.parse(json));
  return `${json}\n${decoded.join('\n')}`;
}

before(async () => {
  const address = process.env.TEMPORAL_ADDRESS;
  if (!address || !process.env.ERP_BRIDGE_TEST_BUNDLE) throw new Error('needs the harness: node --import tsx scripts/run-tests.ts secrets');
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  runs.push(await fullRun('validate-user', 1), await fullRun('app-secret', 2));

  const query = runs.map((r) => `TaskQueue='${r.taskQueue}'`).join(' OR ');
  for await (const info of client.workflow.list({ query })) {
    const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
    historyTexts.push({ workflowId: info.workflowId, text: searchableHistory(historyToJSON(history)) });
  }
});
after(async () => {
  for (const r of runs) await r.systems.stop();
  await nativeConnection?.close();
  await connection?.close();
});

test('the export holds every workflow of both runs, readable (the search below can find plaintext)', () => {
  const expected = runs.reduce((n, r) => n + r.systems.world.refunds.filter(isEligibleRefund).length, 0);
  assert.ok(historyTexts.length >= expected, `${historyTexts.length} histories for ${expected} eligible refunds, pollers included`);
  const all = historyTexts.map((h) => h.text).join('\n');
  // Positive controls: decoded payloads carry shop names (non-ASCII) and parked reasons.
  assert.ok(all.includes('天猫旗舰店') || all.includes('京东自营店'), 'shop names are found in decoded payloads');
  assert.ok(all.includes('invalid Jushuitan record: items.0.qty'), 'parked reasons are found');
  assert.ok(logLines.length > 50 && logLines.some((l) => l.includes('refund parked')), 'worker logs were captured');
});

test('no configured or refreshed secret appears in any history or log line', () => {
  for (const run of runs) {
    for (const secret of run.secrets) {
      assert.ok(secret.length >= 8, 'a secret long enough to search for');
      for (const h of historyTexts) assert.ok(!h.text.includes(secret), `a ${run.taskQueue} secret appears in the history of ${h.workflowId}`);
      const line = logLines.find((l) => l.includes(secret));
      assert.equal(line, undefined, `a secret appears in a log line: ${line?.slice(0, 200)}`);
    }
  }
});

test('no buyer name, phone or account appears in any history, nor in the logs', () => {
  for (const run of runs) {
    for (const refund of run.systems.world.refunds) {
      for (const field of ['receiver_name', 'receiver_mobile', 'shop_buyer_id'] as const) {
        const value = String(refund[field]);
        for (const h of historyTexts) assert.ok(!h.text.includes(value), `${field} of ${refund.as_id} appears in the history of ${h.workflowId}`);
        assert.equal(logLines.find((l) => l.includes(value)), undefined, `${field} of ${refund.as_id} appears in the logs`);
      }
    }
  }
});
