// The stored poll watermark of a scheme and how far it is behind now, for `erp-bridge schedule describe`.
import { openStateStore, storeConfigFromEnv, type StoreConfig } from '../store';
import { describeDuration } from '../activities/poll-runs';
import { pollWatermarks } from '../store/watermarks';

export interface WatermarkStatus {
  /** ISO-8601, or null before the scheme's first complete run. */
  watermark: string | null;
  lagSeconds: number | null;
  lag: string | null;
  /** Why the watermark could not be read, when it could not. */
  note?: string;
}

export async function watermarkStatus(schemeId: string, store: StoreConfig = storeConfigFromEnv(), now = Date.now()): Promise<WatermarkStatus> {
  // The embedded store belongs to the one worker process that opened it: only a shared PostgreSQL is read here.
  if (!store.databaseUrl) return { watermark: null, lagSeconds: null, lag: null, note: 'embedded state store: set ERP_BRIDGE_DATABASE_URL to read it from here' };
  const db = await openStateStore(store);
  try {
    const watermark = await pollWatermarks(db).get(schemeId);
    if (!watermark) return { watermark: null, lagSeconds: null, lag: null, note: 'no complete poll run yet: the first run looks back ERP_BRIDGE_LOOKBACK' };
    const lagMs = Math.max(0, now - watermark.getTime());
    return { watermark: watermark.toISOString(), lagSeconds: Math.round(lagMs / 1000), lag: describeDuration(lagMs) };
  } finally {
    await db.close();
  }
}
