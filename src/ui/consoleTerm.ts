// The app's terminal: the first paint (firstPaint.ts) until the first key, blessed (term.ts) from
// then on. Keys typed while blessed loads are kept and given to it in order, so none is lost.
// Where the first paint would not look like blessed (firstPaint.ts sameAsBlessed), blessed loads at
// once and the first screen waits for it, as before.
import type { BorderChars, Composed } from './frame.js';
import { FirstPaint, sameAsBlessed, terminalSize } from './firstPaint.js';
import type { Key } from './keys.js';
import { type TermOptions, type Terminal, borderFor } from './termCaps.js';
import type { Size } from './view.js';

export type LoadBlessedTerm = () => Promise<{ Term: new (opts: TermOptions) => Terminal }>;

export class ConsoleTerm implements Terminal {
  readonly border: BorderChars;
  private first: FirstPaint | null = null;
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

  private readonly onFirstInput = (chunk: unknown): void => {
    this.pending.push(chunk);
    void this.upgrade();
  };

  private readonly onFirstResize = (): void => {
    for (const fn of this.resizeFns) fn();
  };

  constructor(
    private readonly opts: TermOptions,
    private readonly loadBlessed: LoadBlessedTerm = () => import('./term.js'),
  ) {
    this.border = borderFor(opts);
    if (sameAsBlessed(opts)) {
      this.first = new FirstPaint(opts);
      opts.input.setRawMode?.(true);
      opts.input.on('data', this.onFirstInput);
      opts.output.on('resize', this.onFirstResize);
    } else {
      void this.upgrade();
    }
  }

  /** True once blessed has the terminal. */
  get upgraded(): boolean {
    return this.full !== null;
  }

  /** Hands the terminal to blessed (first key, or at once where the first paint cannot draw). */
  upgrade(): Promise<void> {
    this.upgrading ??= this.loadBlessed().then(({ Term }) => this.takeOver(Term), (e: unknown) => {
      // The next key tries again; the app's error boundary reports this one.
      this.upgrading = null;
      throw e;
    });
    return this.upgrading;
  }

  private takeOver(Term: new (opts: TermOptions) => Terminal): void {
    if (this.destroyed) return;
    const { input, output } = this.opts;
    input.removeListener('data', this.onFirstInput);
    output.removeListener('resize', this.onFirstResize);
    this.first = null;
    const full = new Term(this.opts);
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
    return this.full ? this.full.size() : terminalSize(this.opts.output);
  }

  paint(c: Composed): void {
    if (this.full) {
      this.full.paint(c);
      this.paintedByFull = true;
    } else if (this.first) this.first.paint(c);
    else this.deferred = c;
  }

  invalidate(): void {
    this.full?.invalidate();
    this.first?.invalidate();
  }

  suspend(): void {
    this.full?.suspend();
    this.first?.suspend();
  }

  resume(): void {
    this.full?.resume();
    this.first?.resume();
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
    this.opts.input.removeListener('data', this.onFirstInput);
    this.opts.output.removeListener('resize', this.onFirstResize);
    this.full?.destroy();
    this.first?.destroy();
  }
}
