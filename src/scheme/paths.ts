// Placeholder paths: `field` (header field, or the current row's field inside an entry array) and
// `SOURCE.field` (a row source: the current row inside an array over it, else its first row).
import { ValueSyntaxError } from './errors';

export const ROW_SOURCES = ['reftables', 'items', 'batchs'] as const;
export type RowSourceName = (typeof ROW_SOURCES)[number];

export function isRowSource(name: string): name is RowSourceName {
  return (ROW_SOURCES as readonly string[]).includes(name);
}

export interface PathRef {
  raw: string;
  source?: RowSourceName;
  field: string;
}

const NAME = /^[A-Za-z_\u0080-\uffff][\w\u0080-\uffff]*$/;

export function parsePath(raw: string, offset = 0): PathRef {
  const text = raw.trim();
  if (text === '') throw new ValueSyntaxError('empty placeholder {{}}', offset);
  const parts = text.split('.');
  if (parts.length > 2) throw new ValueSyntaxError(`placeholder {{${text}}} has more than one dot`, offset);
  for (const part of parts) {
    if (!NAME.test(part)) throw new ValueSyntaxError(`placeholder {{${text}}} is not a field name`, offset);
  }
  if (parts.length === 1) return { raw: text, field: text };
  const [source, field] = parts as [string, string];
  if (!isRowSource(source)) {
    throw new ValueSyntaxError(`unknown row source "${source}" in {{${text}}} (expected ${ROW_SOURCES.join(', ')})`, offset);
  }
  return { raw: text, source, field };
}

export type TemplatePart = { text: string } | { path: PathRef };

/** Splits text into literal pieces and `{{path}}` placeholders; `base` shifts reported offsets. */
export function parseTemplate(text: string, base = 0): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push({ text: text.slice(i) });
      break;
    }
    if (open > i) parts.push({ text: text.slice(i, open) });
    const close = text.indexOf('}}', open + 2);
    if (close < 0) throw new ValueSyntaxError('unclosed {{ (missing }})', base + open);
    parts.push({ path: parsePath(text.slice(open + 2, close), base + open) });
    i = close + 2;
  }
  return parts;
}
