// Alert channels and their pacing, from ERP_BRIDGE_ALERT_* variables, validated once at start-up.
// Webhook URLs carry credentials (DingTalk access_token, WeCom key, Feishu hook token): errors name the
// variable, never its value.
import { msToNumber } from '@temporalio/common';
import { z } from 'zod';

export type ChannelKind = 'dingtalk' | 'wecom' | 'feishu' | 'webhook';

export type ChannelConfig =
  | { kind: 'dingtalk'; url: string; secret?: string }
  | { kind: 'wecom'; url: string }
  | { kind: 'feishu'; url: string; secret?: string }
  | { kind: 'webhook'; url: string };

export interface AlertConfig {
  channels: ChannelConfig[];
  /** Alerts within this window after the first one become one message. */
  groupWindowMs: number;
  /** Per channel: no two messages closer than this; what arrives meanwhile joins the next message. */
  minIntervalMs: number;
  /** How many as_ids a message lists by name (the rest are counted). */
  maxListed: number;
  /** Extra attempts after a failed delivery, then the message is logged and dropped. */
  retries: number;
  /** First retry delay; doubles for each further attempt. */
  retryDelayMs: number;
  /** Per HTTP request. */
  timeoutMs: number;
}

export const DEFAULT_ALERT_PACING = {
  groupWindowMs: 60_000,
  minIntervalMs: 10 * 60_000,
  maxListed: 10,
  retries: 3,
  retryDelayMs: 2_000,
  timeoutMs: 10_000,
} as const;

export class AlertConfigError extends Error {
  override readonly name = 'AlertConfigError';
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const optionalText = z.string().trim().min(1).optional();

const duration = z.string().transform((text, ctx) => {
  try {
    const ms = msToNumber(text as Parameters<typeof msToNumber>[0]);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  } catch {
    /* reported below */
  }
  ctx.addIssue({ code: 'custom', message: 'must be a duration such as 30s, 1m, 10m' });
  return z.NEVER;
});

const count = (max: number) => z.coerce.number().int('must be an integer').min(0, 'must be 0 or more').max(max, `must be at most ${max}`);

const AlertEnvSchema = z.object({
  ERP_BRIDGE_ALERT_DINGTALK_URL: httpUrl.optional(),
  ERP_BRIDGE_ALERT_DINGTALK_SECRET: optionalText,
  ERP_BRIDGE_ALERT_WECOM_URL: httpUrl.optional(),
  ERP_BRIDGE_ALERT_FEISHU_URL: httpUrl.optional(),
  ERP_BRIDGE_ALERT_FEISHU_SECRET: optionalText,
  ERP_BRIDGE_ALERT_WEBHOOK_URL: httpUrl.optional(),
  ERP_BRIDGE_ALERT_GROUP_WINDOW: duration.optional(),
  ERP_BRIDGE_ALERT_MIN_INTERVAL: duration.optional(),
  ERP_BRIDGE_ALERT_MAX_LISTED: count(100).optional(),
  ERP_BRIDGE_ALERT_RETRIES: count(10).optional(),
});

/** Reads ERP_BRIDGE_ALERT_*; no URL configured means no channels (alerts are then no-ops). */
export function alertConfigFromEnv(env: Record<string, string | undefined> = process.env): AlertConfig {
  // Empty variables count as unset, so `ERP_BRIDGE_ALERT_WECOM_URL=` in a .env file disables a channel.
  const present = Object.fromEntries(Object.entries(env).filter(([k, v]) => k.startsWith('ERP_BRIDGE_ALERT_') && v?.trim()));
  const parsed = AlertEnvSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new AlertConfigError(`alert configuration: ${problems.join('; ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.ERP_BRIDGE_ALERT_DINGTALK_SECRET && !e.ERP_BRIDGE_ALERT_DINGTALK_URL) problems.push('ERP_BRIDGE_ALERT_DINGTALK_SECRET is set without ERP_BRIDGE_ALERT_DINGTALK_URL');
  if (e.ERP_BRIDGE_ALERT_FEISHU_SECRET && !e.ERP_BRIDGE_ALERT_FEISHU_URL) problems.push('ERP_BRIDGE_ALERT_FEISHU_SECRET is set without ERP_BRIDGE_ALERT_FEISHU_URL');
  if (problems.length > 0) throw new AlertConfigError(`alert configuration: ${problems.join('; ')}`);

  const channels: ChannelConfig[] = [];
  if (e.ERP_BRIDGE_ALERT_DINGTALK_URL) channels.push({ kind: 'dingtalk', url: e.ERP_BRIDGE_ALERT_DINGTALK_URL, secret: e.ERP_BRIDGE_ALERT_DINGTALK_SECRET });
  if (e.ERP_BRIDGE_ALERT_WECOM_URL) channels.push({ kind: 'wecom', url: e.ERP_BRIDGE_ALERT_WECOM_URL });
  if (e.ERP_BRIDGE_ALERT_FEISHU_URL) channels.push({ kind: 'feishu', url: e.ERP_BRIDGE_ALERT_FEISHU_URL, secret: e.ERP_BRIDGE_ALERT_FEISHU_SECRET });
  if (e.ERP_BRIDGE_ALERT_WEBHOOK_URL) channels.push({ kind: 'webhook', url: e.ERP_BRIDGE_ALERT_WEBHOOK_URL });
  return {
    ...DEFAULT_ALERT_PACING,
    channels,
    groupWindowMs: e.ERP_BRIDGE_ALERT_GROUP_WINDOW ?? DEFAULT_ALERT_PACING.groupWindowMs,
    minIntervalMs: e.ERP_BRIDGE_ALERT_MIN_INTERVAL ?? DEFAULT_ALERT_PACING.minIntervalMs,
    maxListed: e.ERP_BRIDGE_ALERT_MAX_LISTED ?? DEFAULT_ALERT_PACING.maxListed,
    retries: e.ERP_BRIDGE_ALERT_RETRIES ?? DEFAULT_ALERT_PACING.retries,
  };
}

/** What the config says without its secrets, for start-up logs: channel kinds and hosts. */
export function describeAlertConfig(config: AlertConfig): Record<string, unknown> {
  return {
    channels: config.channels.map((c) => ({ kind: c.kind, host: safeHost(c.url), signed: 'secret' in c && Boolean(c.secret) })),
    groupWindowMs: config.groupWindowMs,
    minIntervalMs: config.minIntervalMs,
    maxListed: config.maxListed,
    retries: config.retries,
  };
}

export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid url)';
  }
}
