// The scheme engine's public API. Everything exported here is pure (no Node built-ins, no I/O, no clock),
// so workflow code may import it; reading scheme files lives in ./load-file.
export { parseScheme } from './parse-scheme';
export { evaluateFilter, type FilterResult } from './filter';
export { requiredLookups, type LookupRequest } from './required-lookups';
export {
  resolveLookups,
  resolveLookupsForMany,
  createLookupCache,
  LookupCache,
  type BillQuery,
  type BillQueryClient,
  type CollectionRows,
  type CollectionSources,
} from './resolve-lookups';
export { mapRecord, type KingdeeSaveBody, type MappingError, type MappingResult } from './map-record';
export { schemeFields, projectRecord } from './fields';
export { whereKey, type CollectionRow, type LookupAnswer, type LookupAnswers, type Where } from './lookup-answers';
export {
  SchemeLoadError,
  EvaluationError,
  FilterEvaluationError,
  LookupAnswersMissingError,
  LookupSourceError,
  formatIssue,
  type SchemeIssue,
} from './errors';
export type { Scheme, Collection, MappingRow, FilterRule, EndState, RowType, JsonValue, JsonScalar } from './types';
