// Through the real dev server: a codec-enabled Client and Worker run healthCheck, and the server only ever
// stores ciphertext — checked by reading the history with a Client that has no codec.
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY, type Payload } from '@temporalio/common';
import { temporal as proto } from '@temporalio/proto';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';
import { ENCRYPTED_ENCODING, METADATA_ENCRYPTION_KEY_ID } from '../../src/temporal/codec/encryption-codec';
import { createWorkers, type WorkerSetup } from '../../src/worker';
import { healthCheck } from '../../src/workflows';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
before(async () => {
  temporal = await connectTestTemporal();
});
after(async () => {
  await temporal?.close();
});

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

function assertEncrypted(where: string, payloads: Payload[] | null | undefined, secret: string): void {
  assert.ok(payloads && payloads.length > 0, `${where}: no payloads recorded`);
  for (const payload of payloads) {
    assert.equal(text(payload.metadata?.[METADATA_ENCODING_KEY]), ENCRYPTED_ENCODING, `${where}: encoding`);
    assert.equal(text(payload.metadata?.[METADATA_ENCRYPTION_KEY_ID]), 'it-key', `${where}: key id`);
    assert.equal(Buffer.from(payload.data ?? new Uint8Array()).includes(secret), false, `${where}: plaintext visible`);
  }
}

test('with the codec on Client and Worker, the server stores only encrypted inputs and results', async () => {
  const dataConverter = dataConverterFromEnv({ ERP_BRIDGE_CODEC_KEYS: `it-key:${randomBytes(32).toString('base64')}` });
  assert.ok(dataConverter, 'keys configured, so a data converter is expected');
  const codecClient = new Client({ connection: temporal.client.connection, namespace: temporal.namespace, dataConverter });

  const taskQueue = temporal.taskQueue('codec');
  const workflowId = `codec-${taskQueue}`;
  const secret = `secret-${randomUUID()}`;
  const activities = { echo: async (message: string) => `${message} echoed` };
  const worker = await createWorkers({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    workflowBundlePath: temporal.workflowBundlePath,
    // healthCheck only calls echo; the full activity set needs ERP dependencies this test does not exercise.
    activities: activities as unknown as WorkerSetup['activities'],
    options: { dataConverter },
  });
  const result = await worker.runUntil(codecClient.workflow.execute(healthCheck, { taskQueue, workflowId, args: [secret] }));
  assert.equal(result, `${secret} echoed`);

  // temporal.client has no codec: it sees exactly what the server stored.
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const started = events.find((e) => e.workflowExecutionStartedEventAttributes)?.workflowExecutionStartedEventAttributes;
  const completed = events.find((e) => e.workflowExecutionCompletedEventAttributes)?.workflowExecutionCompletedEventAttributes;
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes)?.activityTaskScheduledEventAttributes;
  const activityDone = events.find((e) => e.activityTaskCompletedEventAttributes)?.activityTaskCompletedEventAttributes;
  assertEncrypted('workflow input', started?.input?.payloads, secret);
  assertEncrypted('workflow result', completed?.result?.payloads, secret);
  assertEncrypted('activity input', scheduled?.input?.payloads, secret);
  assertEncrypted('activity result', activityDone?.result?.payloads, secret);

  const rawHistory = Buffer.from(proto.api.history.v1.History.encode(history).finish());
  assert.ok(rawHistory.length > 0);
  assert.equal(rawHistory.includes(secret), false, 'the plaintext appears nowhere in the stored history');

  // And a client without the codec cannot read the result.
  await assert.rejects(temporal.client.workflow.getHandle(workflowId).result(), /binary\/encrypted/);
});
