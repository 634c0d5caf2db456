// Alerts to DingTalk, WeCom, Feishu robots or a generic webhook: grouped, paced, signed, never throwing.
export { createAlerter, systemClock, type Alerter, type AlerterDeps, type AlerterStats, type AlertClock } from './alerter';
export { alertConfigFromEnv, describeAlertConfig, AlertConfigError, DEFAULT_ALERT_PACING, type AlertConfig, type ChannelConfig, type ChannelKind } from './config';
export type { AlertDigest, RefundParkedAlert, SchemeFailingAlert } from './digest';
export { undiciSender, type AlertHttpSender, type AlertHttpRequest, type AlertHttpReply } from './http';
