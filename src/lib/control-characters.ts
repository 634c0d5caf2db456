// Text from records and peers goes to terminals, logs and chat robots: strip what could act instead of
// show. Pure (no Node built-ins), so workflow code may use it too.

// Terminal escape sequences: CSI (ESC [ … final byte) and OSC (ESC ] … BEL or ESC \), removed whole so no
// "[31m" debris is left behind.
const ANSI_SEQUENCE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
// C0 controls except tab and newline, DEL, C1 controls, and the bidi overrides/isolates that reorder what a
// reader sees (the "Trojan Source" characters).
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Removes terminal escape sequences and control characters; keeps tabs and newlines. */
export function stripControlCharacters(text: string): string {
  return text.replace(ANSI_SEQUENCE, '').replace(CONTROL, '');
}

/** One line: control characters removed and line breaks (and tabs) turned into spaces. */
export function singleLine(text: string): string {
  return stripControlCharacters(text).replace(/[\t\n\u2028\u2029]+/g, ' ');
}
