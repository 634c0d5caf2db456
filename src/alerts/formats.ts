// One digest, rendered in each platform's documented message format. Pure: no HTTP, no clock, no secrets.
import { formatBeijing } from '../lib/beijing-time';
import { singleLine } from '../lib/control-characters';
import { escapeMarkdown, escapeRobotMarkdown } from '../lib/escape-markdown';
import type { AlertDigest } from './digest';

export function digestTitle(d: AlertDigest): string {
  const parts: string[] = [];
  if (d.parked.total > 0) parts.push(`${d.parked.total} refund${d.parked.total === 1 ? '' : 's'} parked`);
  if (d.failingSchemes.length > 0) parts.push(`${d.failingSchemes.length} scheme${d.failingSchemes.length === 1 ? '' : 's'} failing`);
  return `erp-bridge: ${parts.join(', ') || 'no alerts'}`;
}

const NEXT_STEPS = 'Next: `erp-bridge list --status parked`, fix the cause, then `erp-bridge reprocess <as_id>` (or `--all-parked`).';

/** How record values (reasons, ids, scheme names) are made safe for one format; the template's own syntax is not. */
export type ValueEscaper = (value: string) => string;

/** The message as lines of Markdown, listing at most `listed` refunds by name; every record value goes through `v`. */
function markdownLines(d: AlertDigest, listed: number, v: ValueEscaper): string[] {
  const from = formatBeijing(new Date(d.from));
  const to = formatBeijing(new Date(d.to));
  const lines = [`### ${digestTitle(d)}`, '', `${from} → ${to.slice(0, 10) === from.slice(0, 10) ? to.slice(11) : to} (Beijing time)`];
  if (d.parked.total > 0) {
    lines.push('', '**By reason**', '');
    for (const r of d.parked.byReason) lines.push(`- ${r.count} × ${v(r.reason)}`);
    const schemes = Object.entries(d.parked.byScheme);
    if (schemes.length > 1) {
      lines.push('', '**By scheme**', '');
      for (const [scheme, n] of schemes) lines.push(`- ${n} × ${v(scheme)}`);
    } else if (schemes.length === 1) {
      lines.push('', `Scheme: ${v(schemes[0]![0])}`);
    }
    const shown = d.parked.listed.slice(0, listed);
    if (shown.length > 0) {
      lines.push('', shown.length < d.parked.total ? `**First ${shown.length} of ${d.parked.total}**` : '**Refunds**', '');
      for (const p of shown) lines.push(`- as_id ${v(p.asId)} · ${v(p.step)} · ${v(p.reason)}`);
      if (shown.length < d.parked.total) lines.push(`- … and ${d.parked.total - shown.length} more`);
    }
  }
  if (d.failingSchemes.length > 0) {
    lines.push('', '**Schemes failing**', '');
    for (const s of d.failingSchemes) lines.push(`- ${v(s.schemeId)}: ${s.failures} failure${s.failures === 1 ? '' : 's'} in a row · ${v(s.lastReason)}`);
  }
  lines.push('', NEXT_STEPS);
  return lines;
}

/**
 * Markdown within `maxBytes` (UTF-8): fewer refunds are named until it fits, then it is cut.
 * DingTalk's markdown renders a single "\n" as a line break inside lists; blank lines separate blocks.
 */
export function digestMarkdown(d: AlertDigest, maxBytes = 16_000, escapeValue: ValueEscaper = escapeMarkdown): string {
  for (let listed = d.parked.listed.length; ; listed--) {
    const text = markdownLines(d, listed, escapeValue).join('\n');
    if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
    if (listed === 0) return truncateUtf8(text, maxBytes);
  }
}

function truncateUtf8(text: string, maxBytes: number): string {
  const ellipsis = '…';
  const budget = maxBytes - Buffer.byteLength(ellipsis, 'utf8');
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > budget) break;
    out += ch;
    bytes += n;
  }
  return out + ellipsis;
}

// ---- platform payloads -------------------------------------------------------------------------------

/**
 * DingTalk custom robot, msgtype markdown (open.dingtalk.com/document/robots/custom-robot-access, "消息类型及数据格式"):
 * `{ msgtype: "markdown", markdown: { title, text } }`; `title` shows in the conversation list. The robot takes
 * at most 20 messages a minute, which our grouping stays far below.
 */
export interface DingTalkMarkdown {
  msgtype: 'markdown';
  markdown: { title: string; text: string };
}

export function dingtalkPayload(d: AlertDigest): DingTalkMarkdown {
  return { msgtype: 'markdown', markdown: { title: digestTitle(d), text: digestMarkdown(d, 16_000, escapeRobotMarkdown) } };
}

/**
 * WeCom group robot, msgtype markdown (developer.work.weixin.qq.com/document/path/91770 "群机器人配置说明"):
 * `{ msgtype: "markdown", markdown: { content } }`, content at most 4096 bytes of UTF-8.
 */
export interface WeComMarkdown {
  msgtype: 'markdown';
  markdown: { content: string };
}

export const WECOM_MARKDOWN_MAX_BYTES = 4096;

export function wecomPayload(d: AlertDigest): WeComMarkdown {
  return { msgtype: 'markdown', markdown: { content: digestMarkdown(d, WECOM_MARKDOWN_MAX_BYTES, escapeRobotMarkdown) } };
}

/**
 * Feishu/Lark custom bot, msg_type post (rich text; open.feishu.cn/document/client-docs/bot-v3/add-custom-bot):
 * `{ msg_type: "post", content: { post: { zh_cn: { title, content: [[{ tag: "text", text }], …] } } } }` —
 * one inner array per paragraph. Signing adds `timestamp` and `sign` beside `msg_type` (see signing.ts).
 * The request body may not exceed 20 KB.
 */
export interface FeishuPost {
  msg_type: 'post';
  content: { post: { zh_cn: { title: string; content: Array<Array<{ tag: 'text'; text: string }>> } } };
}

export function feishuPayload(d: AlertDigest): FeishuPost {
  // Feishu post text is plain (values need no escaping, only one line each): drop the Markdown heading and
  // emphasis markers.
  const lines = digestMarkdown(d, 12_000, singleLine).split('\n').slice(1).map((l) => l.replace(/\*\*/g, '').replace(/`/g, ''));
  const paragraphs = lines.filter((l, i) => l !== '' || (i > 0 && lines[i - 1] !== ''));
  return {
    msg_type: 'post',
    content: { post: { zh_cn: { title: digestTitle(d), content: paragraphs.map((text) => [{ tag: 'text', text }]) } } },
  };
}

/** Our own generic webhook: the digest as data plus the same text the robots get. */
export interface GenericWebhookPayload {
  source: 'erp-bridge';
  type: 'alert.digest';
  title: string;
  text: string;
  window: { from: string; to: string };
  parked: AlertDigest['parked'] & { unlisted: number };
  failingSchemes: AlertDigest['failingSchemes'];
}

export function webhookPayload(d: AlertDigest): GenericWebhookPayload {
  return {
    source: 'erp-bridge',
    type: 'alert.digest',
    title: digestTitle(d),
    text: digestMarkdown(d),
    window: { from: new Date(d.from).toISOString(), to: new Date(d.to).toISOString() },
    parked: { ...d.parked, unlisted: d.parked.total - d.parked.listed.length },
    failingSchemes: d.failingSchemes,
  };
}
