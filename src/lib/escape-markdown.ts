// Record values inside Markdown we render: escaped so they show as text and never as structure (a shop
// name must not become a link, a heading or the end of a code block). Pure (no Node built-ins), so workflow
// code may use it for the Web UI's details.
import { singleLine } from './control-characters';

// Every ASCII punctuation character CommonMark lets a backslash escape that has a meaning somewhere in
// CommonMark or GitHub-flavoured Markdown (links, emphasis, code, headings, lists, tables, HTML, entities).
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&=:"'$%]/g;

/**
 * A value as inline Markdown text (CommonMark/GFM, as the Temporal Web UI renders): one line, control
 * characters removed, every special character backslash-escaped.
 */
export function escapeMarkdown(value: string): string {
  return singleLine(value).replace(MARKDOWN_SPECIAL, (ch) => `\\${ch}`);
}

/**
 * A fenced code block that `content` cannot close early: the fence is one backtick longer than the longest
 * backtick run inside (CommonMark §4.5).
 */
export function fencedCodeBlock(content: string, info = ''): string {
  const longest = Math.max(0, ...(content.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.replace(/\r/g, '')}\n${fence}`;
}

// Chat robots (DingTalk, WeCom) render a Markdown subset with no documented backslash escape, so a backslash
// would show and the structure would still apply. Their special characters become full-width look-alikes
// instead (readable, inert), and `://` is broken so a bare URL is not linked either.
const ROBOT_SPECIAL: Record<string, string> = {
  '\\': '＼', '`': '｀', '*': '＊', '_': '＿', '[': '［', ']': '］', '(': '（', ')': '）', '#': '＃',
  '<': '＜', '>': '＞', '|': '｜', '~': '～', '!': '！',
};

/** A value for DingTalk or WeCom Markdown: one line, control characters removed, no active syntax left. */
export function escapeRobotMarkdown(value: string): string {
  return singleLine(value)
    .replace(/[\\`*_[\]()#<>|~!]/g, (ch) => ROBOT_SPECIAL[ch] ?? ch)
    .replace(/:\/\//g, '：//');
}
