// Hostile record values reach every alert format as inert text: no link, no heading, no broken code block,
// no control characters; and the pure escapers behave as documented.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AlertBatch } from '../../src/alerts/digest';
import { dingtalkPayload, feishuPayload, webhookPayload, wecomPayload } from '../../src/alerts/formats';
import { stripControlCharacters } from '../../src/lib/control-characters';
import { escapeMarkdown, escapeRobotMarkdown, fencedCodeBlock } from '../../src/lib/escape-markdown';

const LINK = '[点此重新登录](https://evil.example/login)';
const HOSTILE_REASON = `no customer for shop ${LINK}\n# Heading\n\`\`\`\n<font color="red">x</font> *bold* \u0000\u001b[31mred\u001b[0m\u202e`;
const T0 = Date.UTC(2026, 0, 21, 2);

function digest() {
  const batch = new AlertBatch(T0, 10);
  batch.addParked({ asId: '5000001', schemeId: 'jst-refund-to-sales-return', step: 'lookups', reason: HOSTILE_REASON, workflowId: 'jst-refund-5000001' });
  batch.addSchemeFailing({ schemeId: 'scheme_[x](http://e.example)', failures: 2, lastReason: '**boom**' });
  return batch.digest(T0 + 60_000);
}

const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

for (const [name, text] of [
  ['DingTalk', () => dingtalkPayload(digest()).markdown.text],
  ['WeCom', () => wecomPayload(digest()).markdown.content],
] as const) {
  test(`${name} markdown shows the hostile values without link, heading, tag or control characters`, () => {
    const body = text();
    assert.doesNotMatch(body, /\]\(/, 'no [text](url) link');
    assert.doesNotMatch(body, /https?:\/\//, 'no bare URL to auto-link');
    assert.doesNotMatch(body, /\n#\s*Heading/, 'the value cannot start a heading line');
    assert.doesNotMatch(body, /<font/, 'no HTML-like tag');
    assert.doesNotMatch(body, /```/, 'no code fence');
    assert.doesNotMatch(body, CONTROL);
    assert.match(body, /［点此重新登录］（https：\/\/evil\.example\/login）/, 'the text stays readable');
    assert.match(body, /^### erp-bridge: 1 refund parked, 1 scheme failing$/m, 'the template itself is still Markdown');
  });
}

test('Feishu post text is plain: each value stays on its paragraph, without control characters', () => {
  const paragraphs = feishuPayload(digest()).content.post.zh_cn.content.map((p) => p[0]!.text);
  const line = paragraphs.find((p) => p.includes('as_id 5000001'));
  assert.ok(line, paragraphs.join('\n'));
  assert.ok(line.includes(LINK), 'plain text shows the value as it is');
  assert.ok(!paragraphs.some((p) => p.startsWith('# Heading')), 'the value did not open a paragraph of its own');
  assert.doesNotMatch(JSON.stringify(paragraphs), /\\u0000|\\u001b/);
});

test('the generic webhook text escapes values for CommonMark', () => {
  const text = webhookPayload(digest()).text;
  assert.ok(text.includes('\\[点此重新登录\\]\\(https\\://evil\\.example/login\\)'), text);
  assert.doesNotMatch(text, CONTROL);
});

test('escapeMarkdown: one line, every special character escaped, plain text unchanged', () => {
  assert.equal(escapeMarkdown('京东自营店 A1'), '京东自营店 A1');
  assert.equal(escapeMarkdown('[a](b)'), '\\[a\\]\\(b\\)');
  assert.equal(escapeMarkdown('x\n# y'), 'x \\# y');
  assert.equal(escapeMarkdown('`code` *em* _u_ <b> | ~ \\'), '\\`code\\` \\*em\\* \\_u\\_ \\<b\\> \\| \\~ \\\\');
  assert.equal(escapeMarkdown('a\u0000b\u001b[2Jc'), 'ab' + 'c');
});

test('fencedCodeBlock: a value holding a fence cannot close the block', () => {
  const block = fencedCodeBlock('name: ```\n}\n````x');
  const fence = block.split('\n')[0]!;
  assert.equal(fence, '`````');
  assert.equal(block.split('\n').filter((l) => l.startsWith(fence)).length, 2, 'only the opening and closing lines are fences');
});

test('escapeRobotMarkdown and stripControlCharacters', () => {
  assert.equal(escapeRobotMarkdown('[x](https://e.example)'), '［x］（https：//e.example）');
  assert.equal(stripControlCharacters('ok\u0000\u0007\u001b]0;title\u0007\u001b[1mbold\u001b[0m\u009b\u202etxt\n\tend'), 'okbold' + 'txt\n\tend');
});
