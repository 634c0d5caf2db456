// A schemeId in workflow input is a name, never a path: the activities refuse a path or a file name (and any
// id not loaded at start-up) before the scheme engine could open a file, and do not retry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import type { Schemes } from '../../src/activities/ports';
import { assertSchemeId, isSchemeId } from '../../src/scheme/scheme-ids';

function recordingSchemes(seen: string[]): Schemes {
  const note = (id: string) => void seen.push(id);
  return {
    sourceConfig: (id) => (note(id), { keyField: 'as_id', versionField: 'modified', pageSize: 50 }),
    eligibility: (id) => (note(id), { eligible: true }),
    project: (id, r) => (note(id), r),
    lookups: async (id) => (note(id), {}),
    lookupsForMany: async (id, rs) => (note(id), rs.map(() => ({}))),
    prepare: (id) => (note(id), { ok: false, errors: ['not used'] }),
  };
}

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const unused = new Proxy({}, { get: () => () => assert.fail('not reached') });

for (const hostile of ['../../etc/passwd', '/etc/passwd', 'schemes/jst-refund-to-sales-return.yaml', 'evil.yaml', 'x.json', 'C:\\x\\y', '..', '']) {
  test(`schemeId ${JSON.stringify(hostile)} is refused, not retried, and never reaches the scheme engine`, async () => {
    const seen: string[] = [];
    const activities = createActivities({ refunds: unused as never, bills: unused as never, schemes: recordingSchemes(seen) });
    const env = new MockActivityEnvironment({}, { logger: quiet });
    await assert.rejects(env.run(activities.resolveLookups, { schemeId: hostile, record: { as_id: '1' } }), (err: unknown) => {
      assert.ok(err instanceof ApplicationFailure, String(err));
      assert.equal(err.nonRetryable, true);
      assert.match(err.message, /is not a scheme id .*never a path or file name/);
      return true;
    });
    await assert.rejects(env.run(activities.mapRefund, { schemeId: hostile, record: { as_id: '1' }, answers: {} }), /never a path/);
    assert.deepEqual(seen, [], 'the scheme engine was not asked');
  });
}

test('with the start-up list, only loaded ids pass; the error names what is loaded', async () => {
  const seen: string[] = [];
  const activities = createActivities({ refunds: unused as never, bills: unused as never, schemes: recordingSchemes(seen), schemeIds: ['jst-refund-to-sales-return'] });
  const env = new MockActivityEnvironment({}, { logger: quiet });
  await env.run(activities.resolveLookups, { schemeId: 'jst-refund-to-sales-return', record: { as_id: '1' } });
  await assert.rejects(env.run(activities.resolveLookups, { schemeId: 'other-scheme', record: { as_id: '1' } }), /not a scheme loaded at start-up \(loaded: jst-refund-to-sales-return/);
  assert.deepEqual(seen, ['jst-refund-to-sales-return']);
});

test('isSchemeId accepts the ids scheme files declare', () => {
  for (const id of ['jst-refund-to-sales-return', 's1', 'v2.scheme_b']) assert.equal(isSchemeId(id), true, id);
  assert.throws(() => assertSchemeId('a/b'), /never a path/);
});
