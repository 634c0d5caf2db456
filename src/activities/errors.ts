// The one place connector errors become Temporal failures: business errors park the refund (never retried),
// configuration errors are not retried either, everything else is retried by the activity's retry policy.
import { ApplicationFailure } from '@temporalio/common';
import {
  KingdeeBusinessError,
  KingdeeError,
  KingdeeLoginError,
  KingdeeReplyTooLargeError,
  KingdeeUnknownOutcomeError,
  KingdeeValidationError,
} from '../connectors/kingdee/errors';
import { BUSINESS_ERROR, CONFIG_ERROR } from '../temporal/failure-types';

export const isUnknownOutcome = (err: unknown): err is KingdeeUnknownOutcomeError => err instanceof KingdeeUnknownOutcomeError;
export const isValidation = (err: unknown): err is KingdeeValidationError => err instanceof KingdeeValidationError;
export const isDuplicateNumber = (err: unknown): boolean =>
  err instanceof KingdeeValidationError && err.fieldErrors.some((f) => f.fieldName?.toLowerCase() === 'fbillno');

/** Connector errors that carry their own verdict (`retryable`), e.g. Jushuitan's typed errors. */
function hasRetryableFlag(err: unknown): err is Error & { retryable: boolean } {
  return err instanceof Error && typeof (err as { retryable?: unknown }).retryable === 'boolean';
}

export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  if (err instanceof KingdeeLoginError) return ApplicationFailure.nonRetryable(err.message, CONFIG_ERROR);
  if (err instanceof KingdeeReplyTooLargeError) return ApplicationFailure.nonRetryable(err.message, CONFIG_ERROR);
  if (err instanceof KingdeeBusinessError && !err.retryable) {
    return ApplicationFailure.nonRetryable(err.message, BUSINESS_ERROR, { msgCode: err.msgCode, fieldErrors: err.fieldErrors });
  }
  if (err instanceof KingdeeError) return ApplicationFailure.retryable(err.message, err.name);
  if (hasRetryableFlag(err)) {
    return err.retryable ? ApplicationFailure.retryable(err.message, err.name) : ApplicationFailure.nonRetryable(err.message, CONFIG_ERROR);
  }
  return err instanceof Error ? err : new Error(String(err));
}
