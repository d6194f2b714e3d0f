// The running UI: one terminal, a stack of views with the status screen at the bottom, a refresh
// timer, and the error boundary (a short message on screen, back to status, details to the log).
import { type Current, readCurrent } from '../core.js';
import { buildStatus } from '../status.js';
import type { Root } from '../files/root.js';
import { type LoadedSettings, type Settings, isInterfaceHidden, readSettings } from '../settings.js';
import { type Composed, MIN_HEIGHT, MIN_WIDTH, compose } from './frame.js';
import { bodySize } from './frame.js';
import { EXIT } from '../model/io.js';
import type { Key } from './keys.js';
import { StatusView } from './statusView.js';
import { ConsoleTerm } from './consoleTerm.js';
import type { Terminal, TtyInput, TtyOutput } from './termCaps.js';
import type { EarlyTty } from './ttyFd.js';
import { line } from './text.js';
import type { Executor, SystemActions, UiAuth, UiContext, View } from './view.js';

export interface AppOptions {
  readonly root: Root;
  readonly ascii: boolean;
  readonly noApply: boolean;
  readonly input: TtyInput;
  readonly output: TtyOutput;
  /** TERM */
  readonly terminal: string;
  readonly version: string;
  /** Details of unexpected errors (stack traces): never the screen. */
  readonly logError: (text: string) => void;
  /** q / Ctrl-C on the status screen quit (not on a console service). */
  readonly canQuit: boolean;
  /** fd 1 for the first screen, before the tty streams exist (main.ts, ttyFd.ts). */
  readonly early?: EarlyTty;
  /** Hand the terminal to blessed once the first screen is this many ms quiet (consoleTerm.ts); absent: on the first key. */
  readonly preloadIdleMs?: number;
  /** Called once the first screen is on the terminal. */
  readonly onFirstPaint?: () => void;
  /** The first reading, already started while the app's modules load (main.ts). */
  readonly first?: Promise<Current>;
  readonly read?: (root: Root) => Promise<Current>;
  readonly execute?: Executor;
  readonly now?: () => Date;
  /** How long the review ignores keys after it appears (UiContext.typeAheadMs); default 500 ms. */
  readonly typeAheadMs?: number;
  /** How often the status is read again; default 5 s. */
  readonly refreshMs?: number;
  /** Take over SIGTERM/SIGHUP/SIGINT/SIGQUIT and uncaught errors (not in in-process tests). */
  readonly processHooks?: boolean;
  /** The vendor settings; read from ROOT/etc/ttyconf/ttyconf.conf when absent. */
  readonly settings?: LoadedSettings | Promise<LoadedSettings>;
  /** The console login; consoleAuthenticator (src/auth/login.ts) when absent. */
  readonly auth?: (settings: Settings) => UiAuth;
  /** The terminal's name for the auth log (TTYCONF_TTY), e.g. tty1. */
  readonly where?: string;
  /** Replaces some of the machine actions (tests). */
  readonly system?: Partial<SystemActions>;
  /** After the first screen: undo changes a killed ttyconf left half-way (on / only). Default true. */
  readonly recover?: boolean;
  /** After the first screen: the first-boot password and wizard when the image is armed. Default true. */
  readonly firstBoot?: boolean;
}

export const REFRESH_MS = 5000;
export const TYPE_AHEAD_MS = 500;

export function shortMessage(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  const first = m.split('\n')[0] ?? '';
  return first.length > 60 ? `${first.slice(0, 57)}...` : first || 'unknown error';
}

function detail(e: unknown): string {
  return e instanceof Error ? (e.stack ?? e.message) : String(e);
}

const SIGNALS = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'] as const;

export class App implements UiContext {
  readonly execute: Executor;
  readonly applyToSystem: boolean;
  readonly filesOnlyReason: string | null;
  readonly now: () => Date;
  readonly typeAheadMs: number;
  readonly done: Promise<number>;
  private finish!: (code: number) => void;
  private readonly term: Terminal;
  private readonly status: StatusView;
  private stack: View[];
  private cur: Current | null = null;
  private readError: string | null = null;
  private reading: Promise<void> | null = null;
  private notice: string | null = null;
  /** '!' marks problems only: "Logged out" is information. */
  private noticeInfo = false;
  private readonly scrolls = new WeakMap<View, number>();
  private readonly tasks = new Set<Promise<void>>();
  private drawPending = false;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  /** Keys typed while a screen is still loading wait here, so a fast typist loses none. */
  private loading: Promise<void> | null = null;
  private readonly queued: Key[] = [];
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    // Ctrl-C or Ctrl-\ typed before raw mode (the first screen is drawn before it): keys, on a console
    // that may not quit.
    if ((signal === 'SIGINT' || signal === 'SIGQUIT') && !this.opts.canQuit) return;
    // A shell is running on the terminal: end it first, so none is left behind.
    this.killShell?.();
    void this.stop(0);
  };
  // Ctrl-Z is a key in raw mode; outside it (a moment before raw mode) ttyconf never stops.
  private readonly onStop = (): void => undefined;
  settings!: Settings;
  private settingsWarnings: readonly string[] = [];
  private authP: Promise<UiAuth> | null = null;
  private authNow: UiAuth | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private suspended = false;
  private killShell: (() => void) | null = null;
  private recovered: readonly string[] = [];
  readonly system: SystemActions;
  readonly onSystem: boolean;
  private readonly onUncaught = (e: unknown): void => this.crash(e, 'an uncaught error');

  constructor(private readonly opts: AppOptions) {
    // The apply engine loads when a change is made, not before the first screen.
    this.execute = opts.execute ?? (async (c, p, o) => {
      this.assertUnlocked();
      // The backup and the audit log record the console's login, not the process's user.
      return (await import('../transaction.js')).executePlan(c, p, { actor: { user: this.sessionUser() ?? 'root', tty: opts.where ?? 'console' }, ...o });
    });
    this.applyToSystem = !opts.noApply && opts.root.isSystem;
    this.filesOnlyReason = this.applyToSystem ? null
      : opts.noApply ? 'ttyconf was started with --no-apply'
        : `the files are under ${opts.root.dir}, not the running system`;
    this.now = opts.now ?? (() => new Date());
    this.typeAheadMs = opts.typeAheadMs ?? TYPE_AHEAD_MS;
    this.onSystem = opts.root.isSystem;
    this.system = { ...defaultSystem(opts.root, () => this.settings, (kill) => void (this.killShell = kill), opts.where ?? 'console', () => this.assertUnlocked()), ...opts.system };
    this.done = new Promise((resolve) => {
      this.finish = resolve;
    });
    // The options object itself: its input and output may be getters that make the tty streams,
    // which the first screen does without (consoleTerm.ts).
    this.term = new ConsoleTerm(opts, (e) => {
      this.opts.logError(`ttyconf: the console cannot take keys (blessed did not start): ${detail(e)}\n`);
      void this.stop(EXIT.failure);
    });
    this.status = new StatusView({
      current: () => this.cur,
      readError: () => this.readError,
      openMenu: () => this.openMenu(),
      refresh: () => void this.refresh(),
      quit: () => this.quit(),
      canQuit: opts.canQuit,
      banner: () => this.settings?.product.banner ?? '',
      session: () => this.sessionLine(),
      extraWarnings: () => [...this.settingsWarnings, ...this.recovered],
      hidden: (name) => this.hidden(name),
      loggedIn: () => this.sessionUser() !== null,
      logout: () => this.lock('Logged out'),
    });
    this.stack = [this.status];
    if (opts.processHooks) {
      for (const s of SIGNALS) process.on(s, this.onSignal);
      process.on('SIGTSTP', this.onStop);
      process.on('uncaughtException', this.onUncaught);
      process.on('unhandledRejection', this.onUncaught);
    }
    this.term.onKey((k) => this.onKey(k));
    this.term.onResize(() => this.draw());
  }

  /** Takes the first reading, paints the status screen, then starts the refresh timer. */
  async start(): Promise<void> {
    const settings = this.opts.settings ?? readSettings(this.opts.root);
    const [, loaded] = await Promise.all([this.readWith(() => this.opts.first ?? this.readNow()), settings]);
    this.settings = loaded.settings;
    this.settingsWarnings = loaded.warnings.map((w) => w.message);
    this.draw();
    this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? REFRESH_MS);
    this.timer.unref?.();
    // After the first paint: the login, recovery, first boot, then the menu and forms.
    setImmediate(() => {
      if (this.stopping) return;
      this.opts.onFirstPaint?.();
      void this.auth().catch((e: unknown) => this.crash(e, 'loading the login'));
      this.run(() => this.afterFirstPaint());
      // The menu's code, loaded and run once (its screen composed, not shown): the first key then
      // runs compiled code, as every later key does.
      void import('./menu.js').then(({ menuView }) => {
        const v = menuView(this);
        const size = this.term.size();
        compose(size, { headerLeft: '', headerRight: '', title: v.title, help: v.help(), notice: null, border: this.term.border }, v.render(bodySize(size)), 0);
      }).catch(() => undefined);
    });
  }

  private async afterFirstPaint(): Promise<void> {
    // The light check first: the repair code loads only when a change was left unfinished.
    const { JOBS_DIR, unfinishedJobs } = await import('../apply/job.js');
    const unfinished = (): boolean => {
      try {
        return unfinishedJobs(this.opts.root.path(JOBS_DIR)).length > 0;
      } catch {
        return false;
      }
    };
    if (this.opts.recover !== false && unfinished()) {
      // Under a tree other than / nothing may run for a repair: files are restored only.
      const { recoverInterrupted } = await import('../transaction.js');
      const outcomes = await recoverInterrupted(this.opts.root, undefined, { programs: this.opts.root.isSystem });
      const { recoveryLines } = await import('./firstboot.js');
      this.recovered = recoveryLines(outcomes);
      if (outcomes.length) await this.refresh();
    }
    if (this.opts.firstBoot !== false) {
      const { startFirstBoot } = await import('./firstboot.js');
      await startFirstBoot(this);
    }
  }

  // ---- login ----

  /** The second check, where the machine is touched: requireAuth asked first, this makes sure. */
  private assertUnlocked(): void {
    const a = this.authNow;
    if (!a || !a.isUnlocked()) throw new Error('not logged in: log in first (the session may have locked)');
  }

  auth(): Promise<UiAuth> {
    this.authP ??= (async () => {
      let auth: UiAuth;
      if (this.opts.auth) auth = this.opts.auth(this.settings);
      else {
        const { consoleAuthenticator } = await import('../auth/login.js');
        auth = consoleAuthenticator(this.opts.root, this.settings, this.opts.where ?? 'console');
      }
      // A successful login starts the idle timer and shows on the status screen.
      const login = auth.login.bind(auth);
      auth.login = async (user, password) => {
        const r = await login(user, password);
        if (r.kind === 'ok') this.loggedIn();
        return r;
      };
      this.authNow = auth;
      this.requestDraw();
      return auth;
    })();
    return this.authP;
  }

  authIfLoaded(): UiAuth | null {
    return this.authNow;
  }

  hidden(name: string): boolean {
    return this.settings ? isInterfaceHidden(this.settings, name) : false;
  }

  /**
   * Who is logged in. Before the login module has loaded (it loads after the first screen) nobody
   * can be, and the settings already say whether a login is needed: the line is the same then and
   * after, so the status screen does not move under the reader.
   */
  private sessionLine(): string {
    const a = this.authNow;
    if (!(a?.required ?? this.settings?.login.required ?? true)) return 'Changes need no login on this console.';
    const u = a?.user() ?? null;
    const idle = this.settings?.login.idleTimeoutSec ?? 0;
    const lock = idle > 0 ? `; locks after ${idleText(idle)} without a key` : '';
    return u ? `Logged in as ${u}${lock}. O logs out.` : 'Not logged in: changes ask for the password.';
  }

  /** Starts (again) the timer that locks the session when it has been idle too long. */
  private scheduleIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const ms = this.authNow?.msUntilIdleLock();
    if (ms === null || ms === undefined || this.stopping) return;
    this.idleTimer = setTimeout(() => this.checkIdle(), ms + 100);
    this.idleTimer.unref?.();
  }

  /** Locks an idle session: every screen above the status closes, nothing is written. */
  checkIdle(): boolean {
    const a = this.authNow;
    if (!a || this.stopping) return false;
    if (this.suspended || this.busyWriting()) {
      // A shell or a write is running: look again shortly.
      if (this.idleTimer) clearTimeout(this.idleTimer);
      this.idleTimer = setTimeout(() => this.checkIdle(), 1000);
      this.idleTimer.unref?.();
      return false;
    }
    if (!a.checkIdle()) {
      this.scheduleIdle();
      return false;
    }
    this.lockToStatus(`Logged out after ${idleText(this.settings.login.idleTimeoutSec)} without a key`);
    return true;
  }

  private busyWriting(): boolean {
    return this.stack.some((v) => v.busy === true);
  }

  /** Back to the status screen, dropping any open form unwritten. */
  lockToStatus(why: string): void {
    this.popTo(1);
    this.notice = why;
    this.noticeInfo = true;
    this.requestDraw();
  }

  sessionUser(): string | null {
    return this.authNow?.user() ?? null;
  }

  lock(why: string): void {
    this.authNow?.logout();
    this.scheduleIdle();
    this.lockToStatus(why);
  }

  /** After a login: the idle timer starts. */
  loggedIn(): void {
    this.scheduleIdle();
    this.requestDraw();
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
        this.timer = setInterval(() => void this.refresh(), this.opts.refreshMs ?? REFRESH_MS);
        this.timer.unref?.();
        this.draw();
      }
    }
  }

  top(): View {
    return this.stack[this.stack.length - 1]!;
  }

  // ---- UiContext ----

  current(): Current {
    if (!this.cur) throw new Error(`the network settings could not be read${this.readError ? `: ${this.readError}` : ''}`);
    return this.cur;
  }

  refresh(): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.readWith(() => this.readNow()).then(() => this.requestDraw());
  }

  readFully(): void {
    if (this.stopping) return;
    void (this.reading ?? Promise.resolve()).then(() => this.readWith(() => this.readNow(true))).then(() => this.requestDraw());
  }

  open(view: View): void {
    if (this.stopping) return;
    this.stack.push(view);
    this.requestDraw();
  }

  replace(view: View): void {
    if (this.stopping) return;
    if (this.stack.length === 1) return this.open(view);
    const old = this.stack.pop()!;
    this.stack.push(view);
    old.closed?.();
    this.requestDraw();
  }

  back(): void {
    if (this.stopping || this.stack.length === 1) return;
    this.stack.pop()!.closed?.();
    this.requestDraw();
  }

  close(view: View): void {
    const i = this.stack.indexOf(view);
    if (i <= 0) return;
    this.stack.splice(i, 1);
    view.closed?.();
    this.requestDraw();
  }

  home(): void {
    this.popTo(1);
    this.requestDraw();
  }

  redraw(): void {
    this.requestDraw();
  }

  notify(text: string, kind: 'problem' | 'info' = 'problem'): void {
    this.notice = text;
    this.noticeInfo = kind === 'info';
    this.requestDraw();
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
      this.requestDraw();
    });
    this.tasks.add(tracked);
  }

  // ---- internals ----

  /**
   * The status needs the files and the kernel's addresses: read without running a program, so an idle
   * console spawns nothing every 5 s and never loads execa. Who is in charge (nmcli) comes with a full
   * reading (readFully, before a change may be planned) and is kept until the next full one; the apply
   * engine reads the kernel itself before it changes anything.
   */
  private readNow(full = false): Promise<Current> {
    if (this.opts.read) return this.opts.read(this.opts.root);
    return readCurrent(this.opts.root, full ? {} : { liveInProcess: true, detectStack: false }).then((r) => this.keepStack(r));
  }

  private keepStack(r: Current): Current {
    const known = this.cur?.stack;
    return r.stack || !known ? r : { ...r, stack: known, status: buildStatus(r.snapshot.state, r.live, known) };
  }

  /** One reading at a time; a failure keeps the last good reading and says why. */
  private readWith(source: () => Promise<Current>): Promise<void> {
    this.reading ??= (async () => {
      try {
        this.cur = await source();
        this.readError = null;
      } catch (e) {
        this.readError = shortMessage(e);
        this.opts.logError(`ttyconf: reading the settings failed: ${detail(e)}\n`);
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private popTo(depth: number): void {
    while (this.stack.length > depth) {
      const v = this.stack.pop()!;
      try {
        v.closed?.();
      } catch (e) {
        this.opts.logError(`ttyconf: closing a screen failed: ${detail(e)}\n`);
      }
    }
  }

  private openMenu(): void {
    if (!this.cur) {
      this.notify('Nothing can be changed until the settings can be read (R tries again)');
      return;
    }
    const loading = (async () => {
      try {
        const { menuView } = await import('./menu.js');
        this.open(menuView(this));
      } catch (e) {
        this.crash(e);
      } finally {
        this.loading = null;
        this.draw();
        for (const k of this.queued.splice(0)) this.onKey(k);
      }
    })();
    this.loading = loading;
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
    if (this.authNow) {
      // A key after the idle timeout locks first and goes no further: the next person at the
      // console must not type into the last one's form.
      if (this.checkIdle()) return;
      this.authNow.activity();
      this.scheduleIdle();
    }
    try {
      const size = this.term.size();
      if (k.name === 'C-l') this.term.invalidate();
      // "Terminal too small" hides the screen: no key may act on what nobody can see, but quitting.
      else if (size.width < MIN_WIDTH || size.height < MIN_HEIGHT) {
        if (k.name === 'C-c' || (k.name === 'char' && k.ch.toLowerCase() === 'q' && this.stack.length === 1)) this.quit();
      } else this.top().key(k);
    } catch (e) {
      this.crash(e);
      return;
    }
    this.requestDraw();
  }

  /** The error boundary: log the details, close every screen above the status, say so briefly. */
  crash(e: unknown, where = 'the console UI'): void {
    this.opts.logError(`ttyconf: unexpected error in ${where}: ${detail(e)}\n`);
    if (this.stopping) return;
    this.popTo(1);
    this.notice = `Unexpected error: ${shortMessage(e)}. Details are in the log`;
    this.noticeInfo = false;
    this.draw();
  }

  private requestDraw(): void {
    if (this.drawPending || this.stopping) return;
    this.drawPending = true;
    setImmediate(() => {
      this.drawPending = false;
      this.draw();
    });
  }

  private composeTop(): Composed {
    const size = this.term.size();
    const view = this.top();
    const frame = view.render(bodySize(size));
    const c = this.cur;
    const host = c ? (c.status.hostname ?? c.status.liveHostname ?? '(no hostname)') : '';
    const t = this.now();
    const clock = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
    const composed = compose(size, {
      headerLeft: `${this.settings?.product.name ?? 'ttyconf'} ${this.opts.version}${host ? `  |  ${host}` : ''}`,
      headerRight: clock,
      title: view.title,
      help: view.help(),
      notice: this.notice ? `${this.noticeInfo ? '' : '! '}${this.notice}` : null,
      border: this.term.border,
    }, frame, this.scrolls.get(view) ?? 0);
    this.scrolls.set(view, composed.scroll);
    return composed;
  }

  private draw(): void {
    if (this.stopping || this.suspended) return;
    let composed: Composed;
    try {
      composed = this.composeTop();
    } catch (e) {
      if (this.stack.length > 1) return this.crash(e);
      this.opts.logError(`ttyconf: drawing the status screen failed: ${detail(e)}\n`);
      composed = compose(this.term.size(), {
        headerLeft: `ttyconf ${this.opts.version}`, headerRight: '', title: 'Error', help: [['R', 'Try again']], notice: null, border: this.term.border,
      }, { lines: [line(`The status screen cannot be drawn: ${shortMessage(e)}`)] }, 0);
    }
    this.term.paint(composed);
  }

  /** The one way out: revert a pending "Keep?", let running steps finish, restore the terminal. */
  async stop(code: number): Promise<void> {
    if (this.stopping) return;
    this.popTo(1);
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await Promise.allSettled([...this.tasks]);
    try {
      this.term.destroy();
    } finally {
      if (this.opts.processHooks) {
        for (const s of SIGNALS) process.removeListener(s, this.onSignal);
        process.removeListener('SIGTSTP', this.onStop);
        process.removeListener('uncaughtException', this.onUncaught);
        process.removeListener('unhandledRejection', this.onUncaught);
      }
      this.finish(code);
    }
  }
}

export function idleText(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

/** The machine actions, each loaded when first used. */
function defaultSystem(root: Root, settings: () => Settings, onShell: (kill: () => void) => void, where: string, gate: () => void): SystemActions {
  return {
    firstBoot: async () => (await import('../auth/firstboot.js')).firstBootState(root, settings()),
    testNetwork: async (current, ping, onCheck) => (await import('../apply/testNetwork.js')).testNetwork(current, { ping, onCheck }),
    power: async (action) => {
      gate();
      return (await import('../system/power.js')).requestPower(root, action);
    },
    shell: async (idleSeconds) => {
      gate();
      return (await import('../system/shell.js')).runLoginShell({ root, idleSeconds, onStart: onShell });
    },
    setFirstPassword: async (password, confirmation) => {
      const [{ setFirstRootPassword }, { lineAuthLogger, syslogAuthLogger }, { execaRunner }] = await Promise.all([
        import('../auth/firstboot.js'), import('../auth/log.js'), import('../system/run.js'),
      ]);
      const log = root.isSystem ? syslogAuthLogger(execaRunner) : lineAuthLogger((l) => process.stderr.write(l));
      return setFirstRootPassword(root, password, confirmation, { log, where });
    },
  };
}

/** Starts the UI and resolves with the exit status when it ends. */
export async function startApp(opts: AppOptions): Promise<number> {
  const app = new App(opts);
  await app.start();
  return app.done;
}
