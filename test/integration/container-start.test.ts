// The image's start-up script (deploy/container/start.sh), run as it is: with ERP_BRIDGE_SETUP_ON_START it sets up,
// the worker serves /healthz, /readyz and /metrics on one port, and SIGTERM stops it cleanly.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { request } from 'undici';
import { workerEnvironment } from '../../src/chaos/processes';
import { startSimulatedSystems, type SimulatedSystems } from '../../src/sim/simulated-systems';
import { freePort } from '../../src/temporal/dev-server';
import { PROJECT_ROOT } from '../../src/temporal/temporal-cli';
import { createTestDatabase } from '../support/postgres';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
let systems: SimulatedSystems;
before(async () => {
  temporal = await connectTestTemporal();
  systems = await startSimulatedSystems({ refunds: 3, seed: 9 });
});
after(async () => {
  await systems?.stop();
  await temporal?.close();
});

async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const res = await request(url);
    return { status: res.statusCode, body: await res.body.text() };
  } catch {
    return { status: 0, body: '' };
  }
}

test('start.sh sets up, serves health and metrics, and stops on SIGTERM', async () => {
  const address = `127.0.0.1:${await freePort()}`;
  const env = {
    ...workerEnvironment({
      jushuitan: systems.configs.jushuitan as never, kingdee: systems.configs.kingdee as never,
      temporal: { address: temporal.address, namespace: temporal.namespace },
      taskQueue: temporal.taskQueue('container'), jstRate: { perSecond: 5, perMinute: 100 }, kingdeeConcurrency: 2,
      databaseUrl: await createTestDatabase('container'),
    }),
    ERP_BRIDGE_SETUP_ON_START: '1',
    ERP_BRIDGE_METRICS_ADDRESS: address,
  };
  const child = spawn('sh', [path.join(PROJECT_ROOT, 'deploy', 'container', 'start.sh')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 120_000;
    let ready = await get(`http://${address}/readyz`);
    while (ready.status !== 200) {
      if (Date.now() > deadline) throw new Error(`never ready: ${ready.status} ${ready.body}\n${output}`);
      await new Promise((r) => setTimeout(r, 250));
      ready = await get(`http://${address}/readyz`);
    }
    assert.match(output, /Setup complete/, 'the setup step ran first');
    assert.equal((await get(`http://${address}/healthz`)).status, 200);
    const metrics = await get(`http://${address}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /temporal_/, 'the SDK\'s metrics are relayed');
  } finally {
    child.kill('SIGTERM');
  }
  assert.equal(await exited, 0, output);
  assert.match(output, /SIGTERM received, finishing in-flight activities/);
});
