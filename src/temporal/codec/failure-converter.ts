// Loaded by path (DataConverter.failureConverterPath) into the worker, its workflow bundle and the client when
// encryption is on: a failure's message and stack trace then travel as an encoded payload, so the codec
// encrypts them like any other payload instead of leaving them in clear in history.
// Imports only @temporalio/common: the workflow bundle includes this file.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
