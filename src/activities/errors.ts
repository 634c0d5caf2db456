// The one place connector errors become Temporal failures: business errors park the refund (never retried),
// configuration errors are not retried either, everything else keeps the verdict its connector gave it
// (`retryable`): an error its connector calls final is never retried here.
import { ApplicationFailure } from '@temporalio/common';
import {
  KingdeeBusinessError,
  KingdeeError,
  KingdeeLoginError,
  KingdeeSessionLostError,
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

/** Credentials the server refused: a login refused, or a signed session refused even when fresh. */
function isCredentialsRefused(err: unknown): boolean {
  return err instanceof KingdeeLoginError || (err instanceof KingdeeSessionLostError && !err.retryable);
}

export function toActivityFailure(err: unknown): Error {
  if (err instanceof ApplicationFailure) return err;
  if (isCredentialsRefused(err)) return ApplicationFailure.nonRetryable((err as Error).message, CONFIG_ERROR);
  if (err instanceof KingdeeReplyTooLargeError) return ApplicationFailure.nonRetryable(err.message, CONFIG_ERROR);
  if (err instanceof KingdeeBusinessError && !err.retryable) {
    return ApplicationFailure.nonRetryable(err.message, BUSINESS_ERROR, { msgCode: err.msgCode, fieldErrors: err.fieldErrors });
  }
  if (err instanceof KingdeeError) {
    return err.retryable ? ApplicationFailure.retryable(err.message, err.name) : ApplicationFailure.nonRetryable(err.message, err.name);
  }
  if (hasRetryableFlag(err)) {
    return err.retryable ? ApplicationFailure.retryable(err.message, err.name) : ApplicationFailure.nonRetryable(err.message, CONFIG_ERROR);
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** A status check that failed: the outcome stays unknown, so the activity is retried (never "no bill"). */
export function lookupFailed(what: string, err: unknown): Error {
  const cause = err instanceof Error ? err.message : String(err);
  if (isCredentialsRefused(err)) return toActivityFailure(err);
  return ApplicationFailure.retryable(`${what}: the status check by FBillNo failed, so the outcome is unknown (${cause})`, 'KingdeeLookupFailed');
}
