/**
 * Reads a single-quoted SQL-style literal starting at `text[start] === "'"`, where `''` stands for one quote
 * (the escaping Kingdee FilterString and MySQL expressions share). Returns the value and the index after the
 * closing quote, or undefined when the literal is not closed.
 */
export function readQuotedLiteral(text: string, start: number): { value: string; end: number } | undefined {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    if (text[i] === "'") {
      if (text[i + 1] !== "'") return { value, end: i + 1 };
      value += "'";
      i += 2;
    } else {
      value += text[i];
      i++;
    }
  }
  return undefined;
}
