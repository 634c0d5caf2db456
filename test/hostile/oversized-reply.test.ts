// A hostile or broken peer answering with hundreds of MB: the client stops at its byte cap and fails with a
// clear, non-retryable error, and the process stays small. Each call runs in a child process with a 96 MB
// heap, where reading the whole 256 MB body (the old behaviour) crashes with an out-of-memory error.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { startJushuitanSimulator } from '../../src/sim/jushuitan';
import { KingdeeClient, KingdeeUnknownOutcomeError } from '../../src/connectors/kingdee';
import { startKingdeeSimulator } from '../../src/sim/kingdee';
import { configFor } from '../jushuitan/support/helpers';

const PROBE = path.join(__dirname, 'support', 'oversized-probe.ts');
const HUGE = 256 * 1024 * 1024;

interface ProbeResult {
  ok: boolean;
  name?: string;
  message?: string;
  retryable?: boolean;
  maxRssMb: number;
}

async function probe(system: 'jushuitan' | 'kingdee', config: object): Promise<ProbeResult> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--max-old-space-size=96', '--import', 'tsx', PROBE, system, JSON.stringify(config)],
    { maxBuffer: 1024 * 1024 },
  );
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeResult;
}

test('a 256 MB Jushuitan reply fails at the 2 MB cap with "reply larger than", not as a network failure', async () => {
  const sim = await startJushuitanSimulator({ seed: 3, refunds: 5 });
  try {
    sim.faults.set({ oversized: { next: 1, bytes: HUGE } });
    const result = await probe('jushuitan', { ...configFor(sim), maxReplyBytes: 2 * 1024 * 1024 });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'JushuitanPermanentError');
    assert.equal(result.retryable, false);
    assert.match(result.message!, /reply larger than 2 MB from Jushuitan \/open\/refund\/single\/query \(the cap is JST_MAX_REPLY_MB\)/);
    assert.doesNotMatch(result.message!, /network/);
    assert.ok(result.maxRssMb < 256, `peak memory ${result.maxRssMb.toFixed(0)} MB stays far below the reply's size`);
  } finally {
    await sim.stop();
  }
});

test('a 256 MB Kingdee reply fails at the default cap with the operation named, not retryable', async () => {
  const sim = await startKingdeeSimulator({ seed: 3, refunds: 5 });
  try {
    sim.faults.add({ fault: 'oversized', op: 'ExecuteBillQuery', bytes: HUGE });
    const c = sim.credentials;
    const result = await probe('kingdee', { baseUrl: sim.baseUrl, acctId: c.acctId, username: c.username, password: c.password });
    assert.equal(result.ok, false);
    assert.equal(result.name, 'KingdeeReplyTooLargeError');
    assert.equal(result.retryable, false);
    assert.match(result.message!, /reply larger than 8 MB from Kingdee ExecuteBillQuery \(the cap is KINGDEE_MAX_REPLY_MB\)/);
    assert.ok(result.maxRssMb < 256, `peak memory ${result.maxRssMb.toFixed(0)} MB stays far below the reply's size`);
  } finally {
    await sim.stop();
  }
});

test('a reply over the cap to a Kingdee write is an unknown outcome, resolved by a lookup rather than a replay', async () => {
  const sim = await startKingdeeSimulator({ seed: 3, refunds: 5 });
  const c = sim.credentials;
  const client = new KingdeeClient({ baseUrl: sim.baseUrl, acctId: c.acctId, username: c.username, password: c.password, maxReplyBytes: 64 * 1024 });
  try {
    sim.faults.add({ fault: 'oversized', op: 'Submit', bytes: 1024 * 1024 });
    await assert.rejects(client.submit('SAL_RETURNSTOCK', ['NO-SUCH-BILL']), (err: unknown) => {
      assert.ok(err instanceof KingdeeUnknownOutcomeError, String(err));
      assert.match(err.message, /reply larger than 0\.06 MB from Kingdee Submit/);
      return true;
    });
  } finally {
    await client.close();
    await sim.stop();
  }
});
