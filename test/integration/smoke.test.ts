import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createActivities, type ActivityDeps } from '../../src/activities';
import { healthCheck } from '../../src/workflows';
import { createWorkers } from '../../src/worker';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

let temporal: TestTemporal;
before(async () => {
  temporal = await connectTestTemporal();
});
after(async () => {
  await temporal?.close();
});

test('a workflow runs an activity through the real dev server and a real worker', async () => {
  const taskQueue = temporal.taskQueue('smoke');
  const worker = await createWorkers({
    connection: temporal.nativeConnection,
    namespace: temporal.namespace,
    taskQueue,
    activities: createActivities(unreachableSystems()),
    workflowBundlePath: temporal.workflowBundlePath,
  });
  const result = await worker.runUntil(
    temporal.client.workflow.execute(healthCheck, { taskQueue, workflowId: `smoke-${taskQueue}`, args: ['ping'] }),
  );
  assert.equal(result, `ping (from echo on ${taskQueue})`);

  const history = await temporal.client.workflow.getHandle(`smoke-${taskQueue}`).fetchHistory();
  const kinds = history.events?.map((e) => e.eventType) ?? [];
  assert.ok(kinds.length > 0, 'history was recorded by the server');
});

/** The health check reaches neither ERP: any use of these is a bug in the test. */
function unreachableSystems(): ActivityDeps {
  const refuse = (): never => {
    throw new Error('the smoke test must not reach an ERP');
  };
  // Each port is an object whose every member refuses (the activities are built from the ports' members).
  const refusing = <T>() => new Proxy({}, { get: () => refuse }) as T;
  return { refunds: refusing(), bills: refusing(), schemes: refusing() };
}
