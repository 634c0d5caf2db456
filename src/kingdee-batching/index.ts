// Public surface of the Kingdee batcher.
export { KingdeeBatcher, type BatcherBackend, type BatcherStats } from './batcher';
export { BatchingConfig, BatchingConfigError, batchingConfigFromEnv, MAX_LINGER_MS, type BatchingConfigInput } from './config';
export { readReply, runWriteBatch, type WriteBackend, type WriteItem, type WriteKind, type SaveOutcome } from './write-batch';
