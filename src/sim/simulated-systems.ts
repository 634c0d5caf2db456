// Both simulators on one generated world, plus the connector configurations that reach them: what the
// demo, the integration tests, the benchmark and the chaos run stand on.
import type { ConnectorConfigs } from '../runtime/deps';
import { startJushuitanSimulator, type JushuitanSimulator, type SimRateLimits } from './jushuitan';
import { startKingdeeSimulator, type KingdeeSimulator } from './kingdee';
import { generateWorld, type World, type WorldOptions } from './world';

export interface SimulatedSystemsOptions extends WorldOptions {
  world?: World;
  jstPort?: number;
  kingdeePort?: number;
  /** Simulator-side rate limits for Jushuitan (the contract's defaults when absent). */
  jstRateLimits?: Partial<SimRateLimits>;
  /** Client-side Jushuitan limits; default the contract's 5/s and 100/min. */
  jstClientLimits?: { perSecond: number; perMinute: number };
  kingdeeConcurrency?: number;
  schemeIds?: string[];
}

export interface SimulatedSystems {
  world: World;
  jushuitan: JushuitanSimulator;
  kingdee: KingdeeSimulator;
  configs: ConnectorConfigs;
  stop(): Promise<void>;
}

/** The environment `erp-bridge worker`, `check` and the other commands read to reach these connectors. */
export function connectorEnv(configs: Pick<ConnectorConfigs, 'jushuitan' | 'kingdee'>): Record<string, string> {
  const { jushuitan: j, kingdee: k } = configs;
  return {
    JST_BASE_URL: j.baseUrl,
    JST_APP_KEY: j.appKey,
    JST_APP_SECRET: j.appSecret,
    JST_ACCESS_TOKEN: j.accessToken,
    ...(j.refreshToken ? { JST_REFRESH_TOKEN: j.refreshToken } : {}),
    KINGDEE_BASE_URL: k.baseUrl,
    KINGDEE_ACCT_ID: k.acctId,
    KINGDEE_USERNAME: k.username,
    KINGDEE_PASSWORD: k.password ?? '',
    KINGDEE_LCID: String(k.lcid ?? 2052),
  };
}

export async function startSimulatedSystems(options: SimulatedSystemsOptions = {}): Promise<SimulatedSystems> {
  const world = options.world ?? generateWorld(options);
  const jushuitan = await startJushuitanSimulator({ port: options.jstPort, world, rateLimits: options.jstRateLimits });
  const kingdee = await startKingdeeSimulator({ port: options.kingdeePort, world }).catch(async (err: unknown) => {
    await jushuitan.stop();
    throw err;
  });
  const configs: ConnectorConfigs = {
    jushuitan: {
      baseUrl: jushuitan.baseUrl,
      appKey: jushuitan.credentials.appKey,
      appSecret: jushuitan.credentials.appSecret,
      accessToken: jushuitan.credentials.accessToken,
      refreshToken: jushuitan.credentials.refreshToken,
      ...(options.jstClientLimits ? { limits: options.jstClientLimits } : {}),
    },
    kingdee: {
      baseUrl: kingdee.baseUrl,
      acctId: kingdee.credentials.acctId,
      username: kingdee.credentials.username,
      password: kingdee.credentials.password,
      lcid: kingdee.credentials.lcid,
      ...(options.kingdeeConcurrency ? { maxConcurrency: options.kingdeeConcurrency } : {}),
    },
    schemeIds: options.schemeIds ?? ['jst-refund-to-sales-return'],
  };
  return {
    world,
    jushuitan,
    kingdee,
    configs,
    async stop() {
      await Promise.allSettled([jushuitan.stop(), kingdee.stop()]);
    },
  };
}
