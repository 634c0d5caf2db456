// Public surface of the Kingdee connector.
export { KingdeeClient, type BatchSaveResult, type BillQuery, type FoundBill, type KingdeeClientDeps, type NumbersOperation, type SaveOptions, type SaveResult } from './client';
export { KingdeeConfig, KingdeeConfigError, kingdeeConfigFromEnv, KINGDEE_AUTH_MODES, type KingdeeAuthMode, type KingdeeConfigInput } from './config';
export {
  KingdeeBusinessError,
  KingdeeError,
  KingdeeLockConflictError,
  KingdeeLoginError,
  KingdeeSessionLostError,
  KingdeeTransientError,
  KingdeeUnknownOutcomeError,
  KingdeeValidationError,
  type KingdeeCallContext,
  type KingdeeEntity,
  type KingdeeFieldError,
} from './errors';
export * as filter from './filter-string';
