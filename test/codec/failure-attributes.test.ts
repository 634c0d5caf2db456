// With encryption on, a failure's message and stack trace are encrypted with the payloads (the failure
// converter encodes common attributes); with it off, failures stay as they were.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { decodeOptionalFailureToOptionalError, encodeErrorToFailure } from '@temporalio/common/lib/internal-non-workflow';
import { loadDataConverter } from '@temporalio/common/lib/internal-non-workflow';
import { bundleWorkflowCode } from '@temporalio/worker';
import { dataConverterFromEnv } from '../../src/temporal/codec/data-converter';

const SECRET_MESSAGE = 'no customer for 张三 13800000000';

test('a failure message and stack are encrypted when the codec is on, and decode back for a codec holder', async () => {
  const converter = dataConverterFromEnv({ ERP_BRIDGE_CODEC_KEYS: `fk:${randomBytes(32).toString('base64')}` });
  assert.ok(converter?.failureConverterPath, 'the failure converter is configured by path');
  const loaded = loadDataConverter(converter);
  const failure = await encodeErrorToFailure(loaded, ApplicationFailure.nonRetryable(SECRET_MESSAGE, 'BusinessError'));
  assert.equal(failure.message, 'Encoded failure');
  assert.equal(failure.stackTrace, '');
  const stored = Buffer.from(JSON.stringify(failure.encodedAttributes ?? {}));
  assert.ok(failure.encodedAttributes?.data, 'the attributes travel as a payload');
  assert.equal(Buffer.from(failure.encodedAttributes.data).includes(Buffer.from('13800000000')), false, 'encrypted, not merely moved');
  assert.equal(stored.includes(Buffer.from('13800000000')), false);
  const back = await decodeOptionalFailureToOptionalError(loaded, failure);
  assert.equal(back?.message, SECRET_MESSAGE);
});

test('with the codec off, failures keep their message in the default converter', () => {
  assert.equal(dataConverterFromEnv({}), undefined);
});

test('the workflow bundle builds with the encoding failure converter', async () => {
  const converter = dataConverterFromEnv({ ERP_BRIDGE_CODEC_KEYS: `fk:${randomBytes(32).toString('base64')}` });
  const bundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../src/workflows'),
    failureConverterPath: converter!.failureConverterPath,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  assert.match(bundle.code, /encodeCommonAttributes: true/);
});
