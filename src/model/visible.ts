// Text from files and the command line on its way to a terminal: every byte that would act on the
// terminal instead of showing (ESC starting a title or clipboard write, a carriage return
// overwriting the line, C1 controls, bidirectional overrides) is shown as an escape instead.

// eslint-disable-next-line no-control-regex
const HIDDEN = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Human-readable output as it may reach a terminal: control characters become `\x1b`-style escapes
 * (bidirectional controls `\u202e`). A line break stays one, and a TAB stays a TAB: it only moves to
 * the next 8-column stop, and a diff keeps the file's bytes (what `patch` needs).
 */
export function visible(text: string): string {
  return text.replace(HIDDEN, escape);
}

/** JSON for output: JSON.stringify leaves DEL, C1 and bidirectional controls raw; these become \u escapes. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(HIDDEN, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
