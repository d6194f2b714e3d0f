// The console session: the login (loaded after the first screen), who is logged in as the status
// screen says it, and the idle lock, whose timer starts when the login says someone logged in.
import type { Settings } from '../settings.js';
import type { Machine } from './machine.js';
import type { SessionControl, UiAuth } from './view.js';

export interface SessionHost {
  readonly machine: Pick<Machine, 'login'>;
  /** Undefined until the settings are read (before the first screen). */
  readonly settings: () => Settings | undefined;
  /** A shell or a write is running: the idle lock waits for it. */
  readonly busy: () => boolean;
  readonly stopping: () => boolean;
  /** Back to the status screen, every form above it dropped unwritten, saying why. */
  readonly toStatus: (why: string) => void;
  readonly redraw: () => void;
}

export function idleText(sec: number): string {
  if (sec % 3600 === 0) return `${sec / 3600} h`;
  if (sec % 60 === 0) return `${sec / 60} min`;
  return `${sec} s`;
}

export class ConsoleSession implements SessionControl {
  private loading: Promise<UiAuth> | null = null;
  private loaded: UiAuth | null = null;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(private readonly host: SessionHost) {}

  auth(): Promise<UiAuth> {
    this.loading ??= (async () => {
      const settings = this.host.settings();
      if (!settings) throw new Error('the login loads after the settings are read');
      const auth = await this.host.machine.login(settings);
      // A successful login starts the idle timer and shows on the status screen.
      auth.onEvent((e) => {
        if (e.kind === 'login') {
          this.scheduleIdle();
          this.host.redraw();
        }
      });
      this.loaded = auth;
      this.host.redraw();
      return auth;
    })();
    return this.loading;
  }

  authIfLoaded(): UiAuth | null {
    return this.loaded;
  }

  sessionUser(): string | null {
    return this.loaded?.user() ?? null;
  }

  /** The second check, where the machine is touched: requireAuth asked first, this makes sure. */
  assertUnlocked(): void {
    const a = this.loaded;
    if (!a || !a.isUnlocked()) throw new Error('not logged in: log in first (the session may have locked)');
  }

  lock(why: string): void {
    this.loaded?.logout();
    this.scheduleIdle();
    this.host.toStatus(why);
  }

  /**
   * Who is logged in. Before the login module has loaded (it loads after the first screen) nobody
   * can be, and the settings already say whether a login is needed: the line is the same then and
   * after, so the status screen does not move under the reader.
   */
  line(): string {
    const a = this.loaded;
    const settings = this.host.settings();
    if (!(a?.required ?? settings?.login.required ?? true)) return 'Changes need no login on this console.';
    const u = a?.user() ?? null;
    const idle = settings?.login.idleTimeoutSec ?? 0;
    const lock = idle > 0 ? `; locks after ${idleText(idle)} without a key` : '';
    return u ? `Logged in as ${u}${lock}. O logs out.` : 'Not logged in: changes ask for the password.';
  }

  /**
   * A key was pressed: true when it found the session idle too long and locked it, so the key goes
   * no further (the next person at the console must not type into the last one's form).
   */
  keyPressed(): boolean {
    if (!this.loaded) return false;
    if (this.checkIdle()) return true;
    this.loaded.activity();
    this.scheduleIdle();
    return false;
  }

  /** Locks an idle session: every screen above the status closes, nothing is written. */
  checkIdle(): boolean {
    const a = this.loaded;
    if (!a || this.host.stopping()) return false;
    if (this.host.busy()) {
      // A shell or a write is running: look again shortly.
      this.setTimer(1000);
      return false;
    }
    if (!a.checkIdle()) {
      this.scheduleIdle();
      return false;
    }
    this.host.toStatus(`Logged out after ${idleText(this.host.settings()?.login.idleTimeoutSec ?? 0)} without a key`);
    return true;
  }

  stop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  /** Starts (again) the timer that locks the session when it has been idle too long. */
  private scheduleIdle(): void {
    this.stop();
    const ms = this.loaded?.msUntilIdleLock();
    if (ms === null || ms === undefined || this.host.stopping()) return;
    this.setTimer(ms + 100);
  }

  private setTimer(ms: number): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.checkIdle(), ms);
    this.idleTimer.unref?.();
  }
}
