// The status screen drawn without blessed: what the console shows from start-up until someone
// presses a key. Loading blessed, parsing terminfo and building its screen took about half of the
// start-up; an idle console never needs any of it. Only plain ECMA-48 sequences are written (cursor
// position, erase, bold, reverse video), which the Linux VT, vt100/vt220 and every emulator share.
// It draws only where its output is the same as blessed's (see sameAsBlessed); consoleTerm.ts
// writes what this renders and hands the terminal to blessed when the console is idle or on a key.
import { effectiveSize } from '../console/env.js';
import { ASCII_BORDER, type Composed } from './frame.js';
import type { Line, Style } from './text.js';
import { FALLBACK_SIZE, type TermOptions, type TtyOutput, borderFor, fixSize, unicodeOutput } from './termCaps.js';
import type { Size } from './view.js';

const CSI = '\x1b[';
const SGR: Record<Style, string> = { plain: '', bold: `${CSI}1m`, inverse: `${CSI}7m`, focus: `${CSI}1;7m` };

/** Terminals whose terminfo has an alternate screen (blessed switches to it; so does this). */
const ALT_SCREEN = /^(xterm|screen|tmux|rxvt)/;

/**
 * Whether this paint shows what blessed would: box characters go out as UTF-8 only where blessed
 * also sends them as UTF-8 (termCaps.ts unicodeOutput); ASCII borders are the same everywhere.
 * Elsewhere (lines through the DEC alternate character set: screen or tmux without a UTF-8 locale)
 * blessed draws the first screen.
 */
export function sameAsBlessed(opts: Pick<TermOptions, 'ascii' | 'terminal'>, env: NodeJS.ProcessEnv = process.env): boolean {
  return borderFor(opts) === ASCII_BORDER || unicodeOutput(opts.terminal, env);
}

export function renderLine(l: Line): string {
  let out = '';
  for (const s of l) out += s.style === 'plain' ? s.text : `${SGR[s.style]}${s.text}${CSI}m`;
  return out;
}

/** The size a stream reports, 0x0 (serial) taken as 80x24, as blessed is told (termCaps fixSize). */
export function terminalSize(out: TtyOutput): Size {
  fixSize(out);
  return { width: Number(out.columns) || FALLBACK_SIZE.width, height: Number(out.rows) || FALLBACK_SIZE.height };
}

/** The same for a size read from the file descriptor. */
export function reportedSize(columns: number, rows: number): Size {
  const s = effectiveSize(columns, rows);
  return { width: s.columns, height: s.rows };
}

/** Turns screens into the bytes that draw them, sending only the rows that changed. */
export class FirstPaint {
  /** What each row shows now (rendered), or null: draw everything on the next frame. */
  private shown: string[] | null = null;
  private width = 0;
  private cursorShown = false;
  private readonly altScreen: boolean;

  constructor(terminal: string) {
    this.altScreen = ALT_SCREEN.test(terminal);
  }

  /** The bytes that bring the terminal from what it shows to c. */
  frame(c: Composed, size: Size): string {
    const rows = c.segs.map(renderLine);
    const { width } = size;
    let out = '';
    if (!this.shown || this.shown.length !== rows.length || this.width !== width) {
      out += `${this.altScreen ? `${CSI}?1049h` : ''}${CSI}?25l${CSI}m${CSI}H${CSI}2J`;
      this.shown = null;
      this.cursorShown = false;
    }
    rows.forEach((r, i) => {
      if (this.shown?.[i] === r) return;
      const cols = c.segs[i]!.reduce((n, s) => n + s.text.length, 0);
      // A full row ends in the last column: erasing there would take its last character with it.
      out += `${CSI}${i + 1};1H${r}${cols < width ? `${CSI}K` : ''}`;
    });
    if (c.cursor) {
      out += `${CSI}${c.cursor.row + 1};${c.cursor.col + 1}H${this.cursorShown ? '' : `${CSI}?25h`}`;
      this.cursorShown = true;
    } else {
      // The hidden cursor goes back to the top left, as blessed leaves it: a terminal that shrinks
      // keeps the rows around the cursor, and the top rows are the screen.
      out += `${CSI}H${this.cursorShown ? `${CSI}?25l` : ''}`;
      this.cursorShown = false;
    }
    this.shown = rows;
    this.width = width;
    return out;
  }

  invalidate(): void {
    this.shown = null;
  }

  /** The bytes that leave a clear normal screen with the cursor on, as blessed leaves it. */
  restore(): string {
    this.shown = null;
    return `${CSI}m${CSI}H${CSI}2J${CSI}?25h${this.altScreen ? `${CSI}?1049l` : ''}`;
  }
}
