// The robot platforms' optional request signing ("加签" / 签名校验). Pure functions of (secret, time).
import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot 加签 (open.dingtalk.com/document/robots/customize-robot-security-settings, as quoted
 * in the robot docs): string to sign = `${timestamp}\n${secret}` with timestamp in milliseconds; HmacSHA256
 * keyed with the secret; Base64; URL-encoded; sent as `&timestamp=…&sign=…` on the webhook URL.
 * Returns the Base64 sign (not yet URL-encoded).
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function dingtalkSignedUrl(url: string, secret: string, timestampMs: number): string {
  const sign = encodeURIComponent(dingtalkSign(secret, timestampMs));
  return `${url}${url.includes('?') ? '&' : '?'}timestamp=${timestampMs}&sign=${sign}`;
}

/**
 * Feishu/Lark custom bot 签名校验 (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot): timestamp in
 * seconds; HmacSHA256 whose KEY is `${timestamp}\n${secret}` over an EMPTY message; Base64. Both go in the
 * request body as strings: `{ "timestamp": "…", "sign": "…", "msg_type": … }`.
 */
export function feishuSign(secret: string, timestampSec: number): string {
  return createHmac('sha256', `${timestampSec}\n${secret}`).update('').digest('base64');
}
