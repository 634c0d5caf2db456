// Builds the activities' dependencies from typed configuration: one Jushuitan client (its token pair in the state
// store when one is given), one Kingdee client (one session, one concurrency limit per worker process) and the
// schemes adapter on top of it.
import type { ActivityDeps } from '../activities';
import { JushuitanClient, type JushuitanConfigInput, type TokenKeeper } from '../connectors/jushuitan';
import { KingdeeClient, type KingdeeConfigInput } from '../connectors/kingdee';
import { meteredBillStore, meteredRefundSource, meteredSchemes, meteredWriteBackend } from '../activities/metered';
import { BatchingConfig, KingdeeBatcher, type BatchingConfigInput } from '../kingdee-batching';
import { createSchemes } from './schemes';
import { checkJushuitanLogin, checkKingdeeLogin, type LoginVerdict } from './login-check';
import type { DecisionsLedger } from '../store/decisions';

export interface ConnectorConfigs {
  jushuitan: JushuitanConfigInput;
  kingdee: KingdeeConfigInput;
  /** Schemes loaded (and validated) at start-up. */
  schemeIds: string[];
  /** Many bills per Kingdee call (KINGDEE_BATCH_SIZE, KINGDEE_BATCH_LINGER_MS); absent: one bill per call. */
  kingdeeBatching?: BatchingConfigInput;
}

export interface RuntimeDeps extends ActivityDeps {
  /**
   * Both systems' credentials (see login-check.ts). Jushuitan's app secret is probed once per secret across all
   * workers (`verifyJushuitan`, through the state store): a probe by every starting worker would spend the app
   * key's per-second budget outside the Jushuitan queue's rate limit.
   */
  checkLogins(): Promise<{ jushuitan: LoginVerdict; kingdee: LoginVerdict }>;
  close(): Promise<void>;
}

export function buildDeps(
  configs: ConnectorConfigs,
  options: {
    jushuitanTokens?: TokenKeeper;
    decisions?: DecisionsLedger;
    /** Runs the Jushuitan probe only when the shared store has not verified this secret yet. */
    verifyJushuitan?: (probe: () => Promise<LoginVerdict>) => Promise<LoginVerdict>;
  } = {},
): RuntimeDeps {
  const refunds = new JushuitanClient(configs.jushuitan, options.jushuitanTokens ? { tokens: options.jushuitanTokens } : {});
  const kingdee = new KingdeeClient(configs.kingdee);
  const schemes = createSchemes({ kingdee, preload: configs.schemeIds });
  // KINGDEE_BATCH_SIZE=1 is the off switch: the plain client, one bill per Save/Submit/Audit call.
  const parsed = configs.kingdeeBatching ? BatchingConfig.parse(configs.kingdeeBatching) : undefined;
  const batching = parsed && parsed.batchSize > 1 ? parsed : undefined;
  // More write throughput = more sessions (kingdee-batching.md §3.2): each extra client logs in on its own.
  const extraSessions = batching ? Array.from({ length: batching.sessions - 1 }, () => new KingdeeClient(configs.kingdee)) : [];
  return {
    // Every request to Jushuitan and Kingdee is counted and timed here, where the connectors are built: with
    // batching, per request a session sends (one call of many bills), not per bill operation of an activity.
    refunds: meteredRefundSource(refunds),
    // Lookups stay on the client; the bill writes and finds of concurrent activities share calls when batching.
    bills: batching ? new KingdeeBatcher([kingdee, ...extraSessions].map(meteredWriteBackend), batching) : meteredBillStore(kingdee),
    schemes: meteredSchemes(schemes),
    ...(options.decisions ? { decisions: options.decisions } : {}),
    checkLogins: async () => ({
      jushuitan: options.verifyJushuitan ? await options.verifyJushuitan(() => checkJushuitanLogin(refunds)) : await checkJushuitanLogin(refunds),
      kingdee: await checkKingdeeLogin(kingdee),
    }),
    close: async () => {
      await Promise.all([kingdee, ...extraSessions].map((c) => c.close()));
    },
  };
}
