// The Jushuitan connector's public surface.
export { systemClock, type Clock } from './clock';
export {
  jushuitanConfigFromEnv,
  jushuitanConfigSchema,
  parseJushuitanConfig,
  rateLimitsSchema,
  retryPolicySchema,
  type JushuitanConfig,
  type JushuitanConfigInput,
  type RateLimits,
  type RetryPolicy,
} from './config';
export {
  JushuitanClient,
  JST_PATHS,
  MAX_PAGE_SIZE,
  type JstTokens,
  type JushuitanClientDeps,
  type RefundPage,
  type RefundPageQuery,
} from './client';
export {
  classifyJstCode,
  JST_CODE,
  JushuitanAuthError,
  JushuitanError,
  JushuitanPermanentError,
  JushuitanRetryableError,
  type JstCodeClass,
  type JstErrorCode,
} from './errors';
export { memoryTokenKeeper, readOnlyTokenKeeper, type TokenExchange, type TokenKeeper } from './token-keeper';
export { iterateRefunds, type IterateRefundsOptions, type RefundPageSource } from './iterate';
export { RateLimiter, sharedRateLimiter } from './rate-limiter';
export {
  jstBatchSchema,
  jstRefundItemSchema,
  jstRefundSchema,
  jstRefundWireSchema,
  type JstBatch,
  type JstRefund,
  type JstRefundItem,
} from './schemas';
export { jstSign, signedFormBody } from './sign';
export { MAX_WINDOW_MS, splitWindow, type WindowSlice } from './window';
