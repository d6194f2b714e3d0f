// The app's terminal: the first paint (firstPaint.ts) until blessed (term.ts) takes over, on the first
// key or, with preloadIdleMs, once the first screen has been quiet that long, so that the first key
// finds blessed ready (loading it takes 20-40 ms, every later key about 3 ms). Keys typed while
// blessed loads are kept and given to it in order, so none is lost.
// Where the first paint would not look like blessed (firstPaint.ts sameAsBlessed), blessed loads at
// once and the first screen waits for it, as before.
// With an early terminal (ttyFd.ts) the first screen goes straight to the file descriptor, and the
// tty streams (raw input, resizes) are made right after it is on screen.
import type { BorderChars, Composed } from './frame.js';
import { FirstPaint, reportedSize, sameAsBlessed, terminalSize } from './firstPaint.js';
import type { Key } from './keys.js';
import { type TermOptions, type Terminal, borderFor } from './termCaps.js';
import type { EarlyTty } from './ttyFd.js';
import type { Size } from './view.js';

export type LoadBlessedTerm = () => Promise<{ Term: new (opts: TermOptions) => Terminal }>;

export interface ConsoleTermOptions extends TermOptions {
  /** fd 1 before the streams exist (main.ts); absent: the streams from the start. */
  readonly early?: EarlyTty;
  /**
   * Load blessed and hand it the terminal when the first paint has drawn nothing for this many ms
   * (the console is idle: the work after the first screen is done). Absent: on the first key only.
   */
  readonly preloadIdleMs?: number;
}

export class ConsoleTerm implements Terminal {
  readonly border: BorderChars;
  private first: FirstPaint | null = null;
  private early: EarlyTty | null = null;
  private attached = false;
  private attachScheduled = false;
  private full: Terminal | null = null;
  private upgrading: Promise<void> | null = null;
  /** Input that arrived before blessed listened, in order. */
  private readonly pending: unknown[] = [];
  /** The last screen asked for before blessed was ready (no first paint). */
  private deferred: Composed | null = null;
  private readonly keyFns: ((k: Key) => void)[] = [];
  private readonly resizeFns: (() => void)[] = [];
  private destroyed = false;
  private paintedByFull = false;
  private idleTimer: NodeJS.Timeout | null = null;

  private readonly onFirstInput = (chunk: unknown): void => {
    this.pending.push(chunk);
    void this.upgrade();
  };

  private readonly onFirstResize = (): void => {
    for (const fn of this.resizeFns) fn();
  };

  /**
   * opts.input and opts.output are read only when needed: they may be getters that make the streams.
   * onFatal: blessed could not be loaded or started. The console cannot take keys without it, so the
   * app ends (systemd starts a fresh one) instead of showing a screen that ignores the keyboard.
   */
  constructor(
    private readonly opts: ConsoleTermOptions,
    private readonly onFatal: (e: unknown) => void,
    private readonly loadBlessed: LoadBlessedTerm = () => import('./term.js'),
  ) {
    this.border = borderFor(opts);
    if (sameAsBlessed(opts)) {
      this.first = new FirstPaint(opts.terminal);
      this.early = opts.early ?? null;
      if (!this.early) this.attach();
    } else {
      void this.upgrade();
    }
  }

  /** True once blessed has the terminal. */
  get upgraded(): boolean {
    return this.full !== null;
  }

  /** The tty streams: raw input (the first key), resizes. */
  private attach(): void {
    if (this.attached || this.destroyed || !this.first) return;
    this.attached = true;
    this.early = null;
    const { input, output } = this.opts;
    input.setRawMode?.(true);
    input.on('data', this.onFirstInput);
    output.on('resize', this.onFirstResize);
  }

  private write(s: string): void {
    if (!s) return;
    const rest = this.early ? this.early.write(s) : s;
    if (rest.length) this.opts.output.write(rest);
  }

  /** Hands the terminal to blessed (idle, first key, or at once where the first paint cannot draw). */
  upgrade(): Promise<void> {
    this.stopIdleTimer();
    this.upgrading ??= this.loadBlessed()
      .then(({ Term }) => this.takeOver(Term))
      .catch((e: unknown) => {
        if (!this.destroyed) this.onFatal(e);
      });
    return this.upgrading;
  }

  private takeOver(Term: new (opts: TermOptions) => Terminal): void {
    if (this.destroyed) return;
    // Made first: if blessed cannot start, the first paint still owns the terminal and can restore it.
    const full = new Term(this.opts);
    const { input, output } = this.opts;
    if (this.attached) {
      input.removeListener('data', this.onFirstInput);
      output.removeListener('resize', this.onFirstResize);
      this.attached = false;
    }
    this.first = null;
    this.early = null;
    this.full = full;
    for (const fn of this.keyFns) full.onKey(fn);
    for (const fn of this.resizeFns) full.onResize(fn);
    if (this.deferred) {
      const c = this.deferred;
      this.deferred = null;
      this.paint(c);
    }
    // blessed reads the input from here on; what came before goes to it first.
    for (const chunk of this.pending.splice(0)) input.emit('data', chunk);
    // blessed starts from a blank screen: if no key drew, draw the current view.
    if (!this.paintedByFull) for (const fn of this.resizeFns) fn();
  }

  size(): Size {
    if (this.full) return this.full.size();
    if (this.early) return reportedSize(this.early.size.columns, this.early.size.rows);
    return terminalSize(this.opts.output);
  }

  paint(c: Composed): void {
    if (this.full) {
      this.full.paint(c);
      this.paintedByFull = true;
    } else if (this.first) {
      this.write(this.first.frame(c, this.size()));
      if (!this.attached && !this.attachScheduled) {
        this.attachScheduled = true;
        setImmediate(() => this.attach());
      }
      this.startIdleTimer();
    } else this.deferred = c;
  }

  /** (Re)starts the wait for a quiet first screen (preloadIdleMs). */
  private startIdleTimer(): void {
    const ms = this.opts.preloadIdleMs;
    if (ms === undefined || this.upgrading) return;
    this.stopIdleTimer();
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      void this.upgrade();
    }, ms);
    // An idle console that is ending must not wait for it.
    this.idleTimer.unref?.();
  }

  private stopIdleTimer(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  invalidate(): void {
    this.full?.invalidate();
    this.first?.invalidate();
  }

  suspend(): void {
    this.full?.suspend();
    if (this.first) {
      this.write(this.first.restore());
      if (this.attached) this.opts.input.setRawMode?.(false);
    }
  }

  resume(): void {
    this.full?.resume();
    if (this.first) {
      if (this.attached) this.opts.input.setRawMode?.(true);
      this.first.invalidate();
    }
  }

  onKey(fn: (k: Key) => void): void {
    this.keyFns.push(fn);
    this.full?.onKey(fn);
  }

  onResize(fn: () => void): void {
    this.resizeFns.push(fn);
    this.full?.onResize(fn);
  }

  destroy(): void {
    this.destroyed = true;
    this.stopIdleTimer();
    this.full?.destroy();
    if (this.first) this.write(this.first.restore());
    if (this.attached) {
      this.opts.input.removeListener('data', this.onFirstInput);
      this.opts.output.removeListener('resize', this.onFirstResize);
      this.opts.input.setRawMode?.(false);
      // A stream left flowing would keep the process from ending.
      this.opts.input.pause();
      this.attached = false;
    }
  }
}
