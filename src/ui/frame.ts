// The whole screen as text: a header bar, a framed body holding the current view, and the key help
// line. Pure: the terminal shows the result, written directly on the first paint (firstPaint.ts),
// then through one blessed box, which sends only what changed (term.ts).
import { type KeyHelp, type Line, bold, fit, helpLine, inverse, plain, seg, tagged } from './text.js';
import type { Frame, Size } from './view.js';

export interface BorderChars {
  readonly tl: string;
  readonly tr: string;
  readonly bl: string;
  readonly br: string;
  readonly h: string;
  readonly v: string;
}

/** Box drawing; blessed turns it into ACS, Unicode or +-| to suit the terminal. */
export const LINE_BORDER: BorderChars = { tl: '\u250c', tr: '\u2510', bl: '\u2514', br: '\u2518', h: '\u2500', v: '\u2502' };
export const ASCII_BORDER: BorderChars = { tl: '+', tr: '+', bl: '+', br: '+', h: '-', v: '|' };

export interface Chrome {
  /** Left and right parts of the header bar. */
  readonly headerLeft: string;
  readonly headerRight: string;
  readonly title: string;
  readonly help: KeyHelp;
  /** A notice shown in the bottom border (errors, hints). */
  readonly notice: string | null;
  readonly border: BorderChars;
}

export interface Composed {
  /** Exactly `height` lines of blessed tag markup. */
  readonly lines: readonly string[];
  /** The same lines as styled segments (the first paint draws these without blessed). */
  readonly segs: readonly Line[];
  readonly cursor: { readonly row: number; readonly col: number } | null;
  /** The first body row shown (the app keeps it per view). */
  readonly scroll: number;
  /** The lines as plain text, for logs and tests. */
  readonly text: readonly string[];
}

export const MIN_WIDTH = 30;
export const MIN_HEIGHT = 8;

/** Rows and columns left for a view inside the frame. */
export function bodySize(size: Size): Size {
  return { width: Math.max(1, size.width - 4), height: Math.max(1, size.height - 4) };
}

// Raw (untagged) box characters must not pass through seg(), which would turn them into '?'.
const raw = (text: string): Line => [{ text, style: 'plain' }];

function borderLine(b: BorderChars, left: string, right: string, w: number, label: string | null, labelBold: boolean, tail: string | null): Line {
  const inner = w - 2;
  const out: Line[] = [raw(left)];
  let used = 0;
  if (label && inner > 6) {
    const text = ` ${label.slice(0, inner - 4)} `;
    out.push(raw(b.h), [labelBold ? bold(text) : seg(text)]);
    used += 1 + text.length;
  }
  let tailText = tail ? ` ${tail} ` : '';
  if (used + tailText.length + 1 > inner) tailText = '';
  const fill = inner - used - tailText.length - (tailText ? 1 : 0);
  out.push(raw(b.h.repeat(Math.max(0, fill))));
  if (tailText) out.push([seg(tailText)], raw(b.h));
  out.push(raw(right));
  return out.flat();
}

export function compose(size: Size, chrome: Chrome, frame: Frame, prevScroll: number): Composed {
  const w = size.width;
  const h = size.height;
  if (w < MIN_WIDTH || h < MIN_HEIGHT) {
    const msg = fit([seg(`Terminal too small (${w}x${h})`)], Math.max(1, w - 1));
    const segs: Line[] = [msg, ...Array.from({ length: Math.max(0, h - 1) }, (): Line => [])];
    return composed(segs, null, 0);
  }
  const body = bodySize(size);
  const b = chrome.border;
  const total = frame.lines.length;
  let scroll = Math.max(0, Math.min(frame.scroll ?? prevScroll, total - body.height));
  const anchor = frame.cursor?.row ?? frame.focusRow;
  if (anchor !== undefined) {
    if (anchor < scroll) scroll = anchor;
    else if (anchor >= scroll + body.height) scroll = anchor - body.height + 1;
  }
  scroll = Math.max(0, Math.min(scroll, Math.max(0, total - body.height)));

  const out: Line[] = [];
  const right = chrome.headerRight ? `${chrome.headerRight} ` : '';
  // The clock stays: a left part too long for the bar is cut, and says so with '...'.
  const room = w - right.length - 1;
  const left = ` ${chrome.headerLeft}`.length > room ? ` ${chrome.headerLeft}`.slice(0, Math.max(0, room - 3)) + '...' : ` ${chrome.headerLeft}`;
  const gap = Math.max(1, w - left.length - right.length);
  out.push(fit([inverse(left + ' '.repeat(gap) + right)], w, 'inverse'));
  out.push(borderLine(b, b.tl, b.tr, w, chrome.title, true, scroll > 0 ? '^ more' : null));
  for (let i = 0; i < body.height; i++) {
    const l = frame.lines[scroll + i] ?? [];
    out.push([...raw(b.v), seg(' '), ...fit(l, body.width), seg(' '), ...raw(b.v)]);
  }
  const more = scroll + body.height < total ? 'v more' : null;
  out.push(borderLine(b, b.bl, b.br, w, chrome.notice, true, more));
  // The last column of the last row stays empty: writing there scrolls some terminals.
  out.push(fit(helpLine(chrome.help), w - 1));

  let cursor: Composed['cursor'] = null;
  if (frame.cursor) {
    const r = frame.cursor.row - scroll;
    if (r >= 0 && r < body.height && frame.cursor.col < body.width) cursor = { row: 2 + r, col: 2 + frame.cursor.col };
  }
  return composed(out, cursor, scroll);
}

/**
 * The markup for blessed and the plain text are made when read: the first paint writes the segments
 * and needs neither (making them was half the work of drawing the first status screen).
 */
function composed(segs: readonly Line[], cursor: Composed['cursor'], scroll: number): Composed {
  return {
    segs,
    cursor,
    scroll,
    get lines() {
      return segs.map(tagged);
    },
    get text() {
      return segs.map(plain);
    },
  };
}
