// The terminal: one blessed screen holding one box that shows the composed text. Everything about
// real consoles lives here: 0x0 serial sizes, line drawing that garbles on serial clients, Ctrl-L.
import type { Widgets } from 'blessed';
import * as blessed from './blessed.js';
import { type BorderChars, type Composed } from './frame.js';
import { type Key, toKey } from './keys.js';
import { FALLBACK_SIZE, type TermOptions, type Terminal, borderFor, fixSize, unicodeOutput } from './termCaps.js';
import type { Size } from './view.js';

export class Term implements Terminal {
  readonly border: BorderChars;
  private readonly screen: Widgets.Screen;
  private readonly box: Widgets.BoxElement;
  private cursorShown = false;

  constructor(opts: TermOptions) {
    fixSize(opts.output);
    // blessed runs `tmux -V` (a child process, synchronously) when it sees $TMUX; nothing here needs it.
    const tmux = process.env.TMUX;
    delete process.env.TMUX;
    try {
      this.screen = new blessed.Screen({
        input: opts.input,
        output: opts.output,
        terminal: opts.terminal,
        warnings: false,
        fullUnicode: false,
        autoPadding: false,
        sendFocus: false,
        useBCE: false,
        // Box characters as UTF-8 on the Linux VT even without a UTF-8 locale (termCaps.ts).
        ...(unicodeOutput(opts.terminal) ? { forceUnicode: true } : {}),
      });
    } finally {
      if (tmux !== undefined) process.env.TMUX = tmux;
    }
    // Keep our size fix ahead of blessed's own resize listener.
    opts.output.prependListener('resize', () => fixSize(opts.output));
    const { tput } = this.screen.program as unknown as { tput: { unicode: boolean; brokenACS: boolean } };
    // With a UTF-8 locale, draw lines as Unicode box characters, never through the DEC alternate
    // character set: blessed's fallback xterm entry (used for Debian's xterm-256color and for
    // tmux-256color) switches to it in a way tmux and some emulators show as `lqqk`.
    if (tput.unicode) tput.brokenACS = true;
    // The same choice the first paint made without blessed (termCaps.ts).
    this.border = borderFor(opts);
    this.box = new blessed.Box({ parent: this.screen, top: 0, left: 0, width: '100%', height: '100%', tags: true, wrap: false });
  }

  size(): Size {
    return { width: Number(this.screen.width) || FALLBACK_SIZE.width, height: Number(this.screen.height) || FALLBACK_SIZE.height };
  }

  paint(c: Composed): void {
    this.box.setContent(c.lines.join('\n'));
    this.screen.render();
    const p = this.screen.program;
    if (c.cursor) {
      p.cup(c.cursor.row, c.cursor.col);
      if (!this.cursorShown) p.showCursor();
      this.cursorShown = true;
    } else if (this.cursorShown) {
      p.hideCursor();
      this.cursorShown = false;
    }
  }

  /** Ctrl-L: forget what blessed believes is on the screen (kernel messages scribble over tty1). */
  invalidate(): void {
    this.screen.realloc();
    this.cursorShown = false;
  }

  /** Puts the UI away for a program on the same terminal: a clear normal screen, cooked mode, cursor on. */
  suspend(): void {
    const p = this.screen.program as Widgets.Screen['program'] & { flush(): void };
    p.clear();
    p.showCursor();
    // blessed buffers its output until the next tick, and pause() silences it: send it now.
    p.flush();
    p.pause();
  }

  /** Back from suspend(): raw mode, the UI's screen, everything drawn again (as Ctrl-L). */
  resume(): void {
    this.screen.program.resume();
    this.invalidate();
    this.screen.program.clear();
  }

  onKey(fn: (k: Key) => void): void {
    this.screen.on('keypress', (ch: string | undefined, raw: Parameters<typeof toKey>[1]) => {
      const k = toKey(ch, raw);
      if (k) fn(k);
    });
  }

  onResize(fn: () => void): void {
    this.screen.on('resize', fn);
  }

  destroy(): void {
    this.screen.destroy();
  }
}
