// What the UI needs to know about its terminal without loading blessed: the size, whether lines
// can be drawn, and the interface both terminals (the first paint and blessed) offer the app.
import { FALLBACK_COLUMNS, FALLBACK_ROWS, effectiveSize } from '../console/env.js';
import { ASCII_BORDER, type BorderChars, type Composed, LINE_BORDER } from './frame.js';
import type { Key } from './keys.js';
import type { Size } from './view.js';

export interface TtyInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?: (raw: boolean) => unknown;
}

export interface TtyOutput extends NodeJS.WritableStream {
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface TermOptions {
  readonly input: TtyInput;
  readonly output: TtyOutput;
  /** TERM. */
  readonly terminal: string;
  /** --ascii: never draw lines. */
  readonly ascii: boolean;
}

/** What the app draws on. */
export interface Terminal {
  readonly border: BorderChars;
  size(): Size;
  paint(c: Composed): void;
  /** Ctrl-L: draw everything again on the next paint. */
  invalidate(): void;
  suspend(): void;
  resume(): void;
  onKey(fn: (k: Key) => void): void;
  onResize(fn: () => void): void;
  destroy(): void;
}

export const FALLBACK_SIZE: Size = { width: FALLBACK_COLUMNS, height: FALLBACK_ROWS };

/** A serial tty usually reports 0x0; blessed would draw one cell. Treat it as 80x24. */
export function fixSize(out: TtyOutput): void {
  const s = effectiveSize(out.columns, out.rows);
  if (!s.reported) {
    out.columns = s.columns;
    out.rows = s.rows;
  }
}

/** A UTF-8 locale, decided exactly as blessed decides it (tput.js detectUnicode). */
export function unicodeLocale(env: NodeJS.ProcessEnv): boolean {
  return /utf-?8/i.test(`${env.LANG}:${env.LANGUAGE}:${env.LC_ALL}:${env.LC_CTYPE}`);
}

/**
 * Whether box characters go out as UTF-8: with a UTF-8 locale, and on the Linux VT when no locale is
 * set at all (a console service often has none; the VT is in UTF-8 mode by default). A locale that
 * says otherwise (LANG=C, ISO-8859-1) is followed: systemd-vconsole-setup turns the VT's UTF-8 mode
 * off for it. term.ts tells blessed the same (forceUnicode), so the first paint and blessed agree.
 */
export function unicodeOutput(terminal: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const noLocale = !env.LANG && !env.LC_ALL && !env.LC_CTYPE;
  return unicodeLocale(env) || (terminal === 'linux' && noLocale);
}

/**
 * Line drawing is unsafe on serial terminals (vt100/vt220: many clients show DEC graphics as
 * `lqqk`) and on dumb ones. With a UTF-8 locale lines are Unicode box characters, which every modern
 * emulator shows. Without one they go through the DEC alternate character set, which only the Linux
 * VT and screen/tmux were seen to show right: xterm-family entries (blessed's own copy, used when it
 * cannot parse the system's) came out as `lqqk` under tmux, so they get ASCII borders.
 */
export function lineDrawingSafe(terminal: string, _terminfoMissing: boolean, utf8: boolean): boolean {
  const t = terminal.toLowerCase();
  if (/^(vt\d|dumb|ansi|unknown|$)/.test(t)) return false;
  if (utf8) return true;
  return t === 'linux' || t.startsWith('screen');
}

export function borderFor(opts: Pick<TermOptions, 'ascii' | 'terminal'>): BorderChars {
  return !opts.ascii && lineDrawingSafe(opts.terminal, false, unicodeOutput(opts.terminal)) ? LINE_BORDER : ASCII_BORDER;
}
