// `erp-bridge alerts test`: one message to each configured channel, each reported on its own (delivered, or
// the platform's answer), so an operator can check robots, keywords and signatures before a bad day.
import { createJsonLogger } from '../lib/logger';
import { createAlerter, type AlerterDeps } from './alerter';
import { safeHost, type AlertConfig } from './config';

export interface TestAlertOutcome {
  kind: string;
  host: string;
  delivered: boolean;
  /** Why it was not delivered (secrets scrubbed). */
  problem?: string;
}

export const TEST_ALERT_SCHEME = 'alerts-test';

export async function sendTestAlert(config: AlertConfig, deps: AlerterDeps = {}): Promise<TestAlertOutcome[]> {
  const outcomes: TestAlertOutcome[] = [];
  for (const channel of config.channels) {
    const problems: string[] = [];
    const logger = createJsonLogger({
      level: 'warn',
      write: (line) => {
        const problem = (JSON.parse(line) as { problem?: unknown }).problem;
        if (typeof problem === 'string') problems.push(problem);
      },
    });
    // One channel at a time, sent at once (no grouping window), one attempt: the answer is what matters here.
    const alerter = createAlerter({ ...config, channels: [channel], groupWindowMs: 0, retries: 0 }, logger, deps);
    alerter.schemeFailing({
      schemeId: TEST_ALERT_SCHEME,
      failures: 0,
      lastReason: 'test message sent by `erp-bridge alerts test`: this channel works; nothing is wrong',
    });
    await alerter.close();
    const delivered = alerter.stats().delivered === 1;
    outcomes.push({ kind: channel.kind, host: safeHost(channel.url), delivered, ...(delivered ? {} : { problem: problems.at(-1) ?? 'not delivered' }) });
  }
  return outcomes;
}
