// A channel turns a digest into one signed HTTP request and judges the platform's reply.
import type { ChannelConfig } from './config';
import type { AlertDigest } from './digest';
import { dingtalkPayload, feishuPayload, webhookPayload, wecomPayload } from './formats';
import { dingtalkSignedUrl, feishuSign } from './signing';

export interface OutgoingRequest {
  url: string;
  body: string;
}

/** Builds the request at `nowMs` (signatures are time-bound, so every attempt is signed afresh). */
export function buildRequest(channel: ChannelConfig, digest: AlertDigest, nowMs: number): OutgoingRequest {
  switch (channel.kind) {
    case 'dingtalk': {
      const url = channel.secret ? dingtalkSignedUrl(channel.url, channel.secret, nowMs) : channel.url;
      return { url, body: JSON.stringify(dingtalkPayload(digest)) };
    }
    case 'wecom':
      return { url: channel.url, body: JSON.stringify(wecomPayload(digest)) };
    case 'feishu': {
      const payload = feishuPayload(digest);
      if (!channel.secret) return { url: channel.url, body: JSON.stringify(payload) };
      const timestamp = Math.floor(nowMs / 1000);
      return { url: channel.url, body: JSON.stringify({ timestamp: String(timestamp), sign: feishuSign(channel.secret, timestamp), ...payload }) };
    }
    case 'webhook':
      return { url: channel.url, body: JSON.stringify(webhookPayload(digest)) };
  }
}

/**
 * Undefined when the platform accepted the message, else why not. The robots answer HTTP 200 with an error
 * code in the body: DingTalk and WeCom `errcode` (0 = ok), Feishu `code` (0 = ok; older replies `StatusCode`).
 */
export function replyProblem(kind: ChannelConfig['kind'], status: number, body: string): string | undefined {
  if (status < 200 || status >= 300) return `HTTP ${status}${body ? `: ${body.slice(0, 200)}` : ''}`;
  if (kind === 'webhook') return undefined;
  let reply: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed === null || typeof parsed !== 'object') return `unexpected reply ${body.slice(0, 200)}`;
    reply = parsed as Record<string, unknown>;
  } catch {
    return `reply is not JSON: ${body.slice(0, 200)}`;
  }
  const code = kind === 'feishu' ? reply.code ?? reply.StatusCode : reply.errcode;
  if (code === 0) return undefined;
  const message = kind === 'feishu' ? reply.msg ?? reply.StatusMessage : reply.errmsg;
  return `platform error ${String(code)}${message !== undefined ? `: ${String(message)}` : ''}`;
}
