// Screen text as data: a line is a list of styled segments. Views build lines; the frame turns them
// into blessed tag strings. Every character that reaches the screen is printable ASCII, so the
// length of a string is its width and nothing from a config file can smuggle in escape sequences.

/** Monochrome styles only: color is never the sole carrier of meaning (vt220, monochrome consoles). */
export type Style = 'plain' | 'bold' | 'inverse' | 'focus';

export interface Seg {
  readonly text: string;
  readonly style: Style;
}

export type Line = readonly Seg[];

/** Printable ASCII; anything else (control characters, UTF-8) becomes '?'. */
export function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}

/** TABs as spaces to the next 8-column stop, counted from `col` (where the text starts on screen). */
export function expandTabs(text: string, col = 0): string {
  if (!text.includes('\t')) return text;
  let out = '';
  for (const ch of text) {
    if (ch === '\n') {
      out += ch;
      col = 0;
    } else if (ch === '\t') {
      const n = 8 - ((col + out.length - out.lastIndexOf('\n') - 1) % 8);
      out += ' '.repeat(n);
    } else out += ch;
  }
  return out;
}

export function seg(text: string, style: Style = 'plain'): Seg {
  return { text: ascii(text), style };
}

export function line(...parts: readonly (string | Seg)[]): Line {
  return parts.map((p) => (typeof p === 'string' ? seg(p) : p));
}

export const bold = (text: string): Seg => seg(text, 'bold');
export const inverse = (text: string): Seg => seg(text, 'inverse');
export const focus = (text: string): Seg => seg(text, 'focus');

export function plain(l: Line): string {
  return l.map((s) => s.text).join('');
}

/** Cuts or pads a line to exactly `w` columns. */
export function fit(l: Line, w: number, padStyle: Style = 'plain'): Line {
  const out: Seg[] = [];
  let left = w;
  for (const s of l) {
    if (left <= 0) break;
    const t = s.text.length > left ? s.text.slice(0, left) : s.text;
    if (t) out.push({ text: t, style: s.style });
    left -= t.length;
  }
  if (left > 0) out.push({ text: ' '.repeat(left), style: padStyle });
  return out;
}

export function padRight(text: string, w: number): string {
  return text.length >= w ? text.slice(0, w) : text + ' '.repeat(w - text.length);
}

/** Word-wraps plain text; words longer than the width are split. */
export function wrap(text: string, w: number): string[] {
  const width = Math.max(1, w);
  const out: string[] = [];
  for (const para of ascii(expandTabs(text)).split('\n')) {
    let cur = '';
    for (const word of para.split(' ')) {
      let rest = word;
      while (rest.length > width) {
        if (cur) {
          out.push(cur);
          cur = '';
        }
        out.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
      if (!cur) cur = rest;
      else if (cur.length + 1 + rest.length <= width) cur += ' ' + rest;
      else {
        out.push(cur);
        cur = rest;
      }
    }
    out.push(cur);
  }
  return out;
}

const escapeTags = (t: string): string => t.replace(/[{}]/g, (c) => (c === '{' ? '{open}' : '{close}'));

const OPEN: Record<Style, string> = { plain: '', bold: '{bold}', inverse: '{inverse}', focus: '{bold}{inverse}' };
const CLOSE: Record<Style, string> = { plain: '', bold: '{/bold}', inverse: '{/inverse}', focus: '{/inverse}{/bold}' };

/** A line as blessed tag markup. */
export function tagged(l: Line): string {
  return l.map((s) => OPEN[s.style] + escapeTags(s.text) + CLOSE[s.style]).join('');
}

/** Key help: pairs of keys and what they do, e.g. [['Enter', 'Select'], ['Esc', 'Back']]. */
export type KeyHelp = readonly (readonly [keys: string, action: string])[];

export function helpLine(help: KeyHelp): Line {
  const out: Seg[] = [];
  help.forEach(([k, a], i) => {
    out.push(seg(i === 0 ? ' ' : '  '), bold(k), seg(' ' + a));
  });
  return out;
}
