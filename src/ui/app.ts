// The running UI: one terminal, a stack of views with the status screen at the bottom, drawing,
// keys, the refresh timer, and the error boundary (a short message on screen, back to status,
// details to the log). The readings (readings.ts), the session (session.ts), what runs after the
// first screen (startup.ts) and the machine adapter (machine.ts) are their own modules.
import type { Settings } from '../settings.js';
import { EXIT } from '../model/io.js';
import { consoleParts } from './context.js';
import { detail, shortMessage } from './errors.js';
import { type Notice, brokenScreen, viewScreen } from './chrome.js';
import { type Composed, MIN_HEIGHT, MIN_WIDTH } from './frame.js';
import type { Key } from './keys.js';
import type { Machine } from './machine.js';
import { type AppOptions, REFRESH_MS } from './options.js';
import type { LatestReadings } from './readings.js';
import type { ConsoleSession } from './session.js';
import { afterFirstScreen } from './startup.js';
import { takeOverProcess } from './processHooks.js';
import { ViewStack } from './stack.js';
import { StatusView } from './statusView.js';
import { ConsoleTerm } from './consoleTerm.js';
import type { Terminal } from './termCaps.js';
import type { Screens, UiContext, View } from './view.js';

export class App implements Screens {
  /** What the screens and features are given. */
  readonly ctx: UiContext;
  readonly readings: LatestReadings;
  readonly session: ConsoleSession;
  private finish: (code: number) => void = () => undefined;
  readonly done = new Promise<number>((resolve) => (this.finish = resolve));
  private readonly machine: Machine;
  private readonly term: Terminal;
  private readonly stack: ViewStack;
  private settings: Settings | undefined;
  private settingsWarnings: readonly string[] = [];
  private recovered: readonly string[] = [];
  private notice: Notice | null = null;
  private readonly scrolls = new WeakMap<View, number>();
  private readonly tasks = new Set<Promise<void>>();
  private drawPending = false;
  private stopping = false;
  private suspended = false;
  private timer: NodeJS.Timeout | null = null;
  /** Keys typed while a screen is still loading wait here, so a fast typist loses none. */
  private loading: Promise<void> | null = null;
  private readonly queued: Key[] = [];
  private killShell: (() => void) | null = null;
  private releaseProcess: (() => void) | null = null;

  constructor(private readonly opts: AppOptions) {
    ({ machine: this.machine, readings: this.readings, session: this.session, ctx: this.ctx } = consoleParts(opts, {
      screens: this,
      settings: () => this.settings,
      stopping: () => this.stopping,
      redraw: () => this.redraw(),
      toStatus: (why) => {
        this.stack.popTo(1);
        this.notify(why, 'info');
      },
      busy: () => this.suspended || this.stack.busy(),
      onShell: (kill) => void (this.killShell = kill),
    }));
    // The options object itself: its input and output may be getters that make the tty streams,
    // which the first screen does without (consoleTerm.ts).
    this.term = new ConsoleTerm(opts, (e) => {
      this.opts.logError(`ttyconf: the console cannot take keys (blessed did not start): ${detail(e)}\n`);
      void this.stop(EXIT.failure);
    });
    this.stack = new ViewStack(new StatusView({
      current: () => this.readings.latest(),
      readError: () => this.readings.error(),
      openMenu: () => this.openMenu(),
      refresh: () => void this.readings.refresh(),
      quit: () => this.quit(),
      canQuit: opts.canQuit,
      banner: () => this.settings?.product.banner ?? '',
      session: () => this.session.line(),
      extraWarnings: () => [...this.settingsWarnings, ...this.recovered],
      hidden: (name) => this.readings.hidden(name),
      loggedIn: () => this.session.sessionUser() !== null,
      logout: () => this.session.lock('Logged out'),
    }), (e) => this.opts.logError(`ttyconf: closing a screen failed: ${detail(e)}\n`));
    if (opts.processHooks) {
      this.releaseProcess = takeOverProcess({
        canQuit: opts.canQuit,
        stop: () => {
          // A shell is running on the terminal: end it first, so none is left behind.
          this.killShell?.();
          void this.stop(0);
        },
        uncaught: (e) => this.crash(e, 'an uncaught error'),
      });
    }
    this.term.onKey((k) => this.onKey(k));
    this.term.onResize(() => this.draw());
  }

  /** Takes the first reading, paints the status screen, then starts the refresh timer. */
  async start(): Promise<void> {
    const settings = this.opts.settings ?? this.machine.readSettings();
    const [, loaded] = await Promise.all([this.readings.start(this.opts.first), settings]);
    this.settings = loaded.settings;
    this.settingsWarnings = loaded.warnings.map((w) => w.message);
    this.draw();
    this.startTimer();
    // After the first paint: the login, recovery, first boot, then the menu and forms.
    setImmediate(() => {
      if (this.stopping) return;
      this.opts.onFirstPaint?.();
      void this.session.auth().catch((e: unknown) => this.crash(e, 'loading the login'));
      this.run(() => afterFirstScreen(this.ctx, this.machine, {
        recover: this.opts.recover !== false,
        firstBoot: this.opts.firstBoot !== false,
        recovered: (lines) => void (this.recovered = lines),
      }));
      // The menu's code run once (composed, not shown), so the first key runs compiled code.
      void import('./menu.js').then(({ warmUp }) => warmUp(this.ctx, this.term.size(), this.term.border)).catch(() => undefined);
    });
  }

  // ---- Screens ----

  open(view: View): void {
    if (this.stopping) return;
    this.stack.push(view);
    this.redraw();
  }

  replace(view: View): void {
    if (this.stopping) return;
    this.stack.replace(view);
    this.redraw();
  }

  back(): void {
    if (!this.stopping && this.stack.pop()) this.redraw();
  }

  close(view: View): void {
    if (this.stack.remove(view)) this.redraw();
  }

  home(): void {
    this.stack.popTo(1);
    this.redraw();
  }

  notify(text: string, kind: 'problem' | 'info' = 'problem'): void {
    this.notice = { text, info: kind === 'info' };
    this.redraw();
  }

  run(task: () => Promise<void>): void {
    let p: Promise<void>;
    try {
      p = task();
    } catch (e) {
      this.crash(e);
      return;
    }
    const tracked = p.catch((e: unknown) => this.crash(e)).finally(() => {
      this.tasks.delete(tracked);
      this.redraw();
    });
    this.tasks.add(tracked);
  }

  async suspend<T>(task: () => Promise<T>): Promise<T> {
    if (this.timer) clearInterval(this.timer);
    this.suspended = true;
    this.term.suspend();
    try {
      return await task();
    } finally {
      this.killShell = null;
      this.suspended = false;
      if (!this.stopping) {
        this.term.resume();
        this.startTimer();
        this.draw();
      }
    }
  }

  // ---- internals ----

  private startTimer(): void {
    this.timer = setInterval(() => void this.readings.refresh(), this.opts.refreshMs ?? REFRESH_MS);
    this.timer.unref?.();
  }

  private openMenu(): void {
    if (!this.readings.latest()) {
      this.notify('Nothing can be changed until the settings can be read (R tries again)');
      return;
    }
    this.loading = (async () => {
      try {
        const { menuView } = await import('./menu.js');
        this.open(menuView(this.ctx));
      } catch (e) {
        this.crash(e);
      } finally {
        this.loading = null;
        this.draw();
        for (const k of this.queued.splice(0)) this.onKey(k);
      }
    })();
  }

  private quit(): void {
    if (this.opts.canQuit) void this.stop(0);
    else this.notify('This is the machine\'s console: it stays on', 'info');
  }

  private onKey(k: Key): void {
    if (this.stopping) return;
    if (this.loading) {
      this.queued.push(k);
      return;
    }
    this.notice = null;
    if (this.session.keyPressed()) return;
    try {
      const size = this.term.size();
      if (k.name === 'C-l') this.term.invalidate();
      // "Terminal too small" hides the screen: no key may act on what nobody can see, but quitting.
      else if (size.width < MIN_WIDTH || size.height < MIN_HEIGHT) {
        if (k.name === 'C-c' || (k.name === 'char' && k.ch.toLowerCase() === 'q' && this.stack.depth === 1)) this.quit();
      } else this.stack.top().key(k);
    } catch (e) {
      this.crash(e);
      return;
    }
    this.redraw();
  }

  /** The error boundary: log the details, close every screen above the status, say so briefly. */
  crash(e: unknown, where = 'the console UI'): void {
    this.opts.logError(`ttyconf: unexpected error in ${where}: ${detail(e)}\n`);
    if (this.stopping) return;
    this.stack.popTo(1);
    this.notice = { text: `Unexpected error: ${shortMessage(e)}. Details are in the log`, info: false };
    this.draw();
  }

  redraw(): void {
    if (this.drawPending || this.stopping) return;
    this.drawPending = true;
    setImmediate(() => {
      this.drawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    if (this.stopping || this.suspended) return;
    const size = this.term.size();
    let composed: Composed;
    try {
      const view = this.stack.top();
      const s = this.readings.latest()?.status;
      const host = s ? (s.hostname ?? s.liveHostname ?? '(no hostname)') : '';
      const header = { product: this.settings?.product.name ?? 'ttyconf', version: this.opts.version, host, now: this.ctx.now() };
      composed = viewScreen(size, view, header, this.notice, this.term.border, this.scrolls.get(view) ?? 0);
      this.scrolls.set(view, composed.scroll);
    } catch (e) {
      if (this.stack.depth > 1) return this.crash(e);
      this.opts.logError(`ttyconf: drawing the status screen failed: ${detail(e)}\n`);
      composed = brokenScreen(size, this.opts.version, this.term.border, e);
    }
    this.term.paint(composed);
  }

  /** The one way out: revert a pending "Keep?", let running steps finish, restore the terminal. */
  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.stack.popTo(1);
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.session.stop();
    await Promise.allSettled([...this.tasks]);
    try {
      this.term.destroy();
    } finally {
      this.releaseProcess?.();
      this.finish(code);
    }
  }
}

/** Starts the UI and resolves with the exit status when it ends. */
export async function startApp(opts: AppOptions): Promise<number> {
  const app = new App(opts);
  await app.start();
  return app.done;
}
