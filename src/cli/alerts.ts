// `erp-bridge alerts test`: sends one test message to each channel configured by ERP_BRIDGE_ALERT_*.
import type { Command } from 'commander';
import { alertConfigFromEnv } from '../alerts';
import { sendTestAlert } from '../alerts/test-alert';

export function registerAlertsCommand(program: Command): void {
  const alerts = program.command('alerts').description('Alert channels (ERP_BRIDGE_ALERT_*)');
  alerts
    .command('test')
    .description('Send one test message to each configured channel and say, per channel, whether it arrived')
    .action(async () => {
      const config = alertConfigFromEnv();
      if (config.channels.length === 0) {
        throw new Error('no alert channel is configured: set ERP_BRIDGE_ALERT_DINGTALK_URL, _WECOM_URL, _FEISHU_URL or _WEBHOOK_URL (see .env.example)');
      }
      const outcomes = await sendTestAlert(config);
      for (const o of outcomes) console.log(`${o.delivered ? 'SENT' : 'FAIL'}  ${o.kind.padEnd(8)} ${o.host}${o.problem ? `  ${o.problem}` : ''}`);
      if (outcomes.some((o) => !o.delivered)) process.exitCode = 1;
    });
}
