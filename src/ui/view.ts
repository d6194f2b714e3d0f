// The contract between the app (one screen, one stack of views) and each screen of the UI.
import type { Current } from '../core.js';
import type { Backup, DamagedBackup } from '../files/backups.js';
import type { CheckResult } from '../apply/types.js';
import type { Authenticator } from '../auth/login.js';
import type { SetPasswordError } from '../auth/password.js';
import type { FirstBoot } from '../auth/firstboot.js';
import type { Result } from '../model/result.js';
import type { Settings } from '../settings.js';
import type { PowerAction, PowerResult } from '../system/power.js';
import type { ShellResult } from '../system/shell.js';
import type { ExecuteOptions, Outcome } from '../transaction.js';
import type { Plan } from '../plan.js';
import type { Key } from './keys.js';
import type { KeyHelp, Line } from './text.js';

export interface Size {
  readonly width: number;
  readonly height: number;
}

/** What a view draws inside the frame. */
export interface Frame {
  readonly lines: readonly Line[];
  /** A row the frame keeps visible when the lines do not fit (the focused field). */
  readonly focusRow?: number;
  /** The first row to show, for a view that scrolls itself (the status screen); clamped by the frame. */
  readonly scroll?: number;
  /** Where the terminal cursor goes (a text field being edited); hidden when absent. */
  readonly cursor?: { readonly row: number; readonly col: number };
}

export interface View {
  readonly title: string;
  render(size: Size): Frame;
  help(): KeyHelp;
  key(k: Key): void;
  /** The view left the stack. */
  closed?(): void;
  /** A change is being written or awaits "Keep?": the idle lock waits for it. */
  readonly busy?: boolean;
}

export type Executor = (current: Current, plan: Plan, opts: ExecuteOptions) => Promise<Outcome>;

/** The console login as the UI sees it (src/auth/login.ts). */
export type UiAuth = Pick<Authenticator,
  'required' | 'isUnlocked' | 'user' | 'login' | 'msUntilNextAttempt' | 'activity' | 'checkIdle' | 'msUntilIdleLock' | 'logout' | 'onEvent'>;

/** Everything the UI asks of the machine besides reading and writing the network settings; each
 * one is a core module (src/apply, src/system, src/auth, the backups), reached only through the
 * machine adapter (machine.ts) and injectable in tests. */
export interface SystemActions {
  /** onCheck: each check as it is decided, with the seconds since the test started (in ms). */
  testNetwork(current: Current, ping: string | undefined, onCheck?: (check: CheckResult, elapsedMs: number) => void): Promise<readonly CheckResult[]>;
  power(action: PowerAction): Promise<PowerResult>;
  /** A login shell on this terminal; the UI is put away around it (Screens.suspend). */
  shell(idleSeconds: number): Promise<ShellResult>;
  /** First boot: root's first password (only while root has none); removes the first-boot marker. */
  setFirstPassword(password: string, confirmation: string): Promise<Result<void, SetPasswordError>>;
  /** Whether this start is the first boot of an armed image whose root has no password. */
  firstBoot(): Promise<FirstBoot>;
  /** The backups of earlier changes, newest first, and the ones that cannot be read. */
  backups(): Promise<{ readonly backups: readonly Backup[]; readonly damaged: readonly DamagedBackup[] }>;
  /** The change that brings back the settings from before backup `id`, or why it cannot. */
  planRestore(current: Current, id: string): Promise<Result<Plan, string[]>>;
}

// What views and features may ask of the app, in a few small parts: a screen takes only the parts
// it uses. None of them touches files or runs programs itself: the machine adapter does.

/** The stack of screens and the terminal. */
export interface Screens {
  open(view: View): void;
  /** Replaces the top view. */
  replace(view: View): void;
  back(): void;
  /** Removes this view from the stack, wherever it is. */
  close(view: View): void;
  /** Back to the status screen. */
  home(): void;
  /** Draws again (after a view changed its state outside a key press). */
  redraw(): void;
  /** A one-line notice in the bottom border, until the next key; marked '!' unless it is only information. */
  notify(text: string, kind?: 'problem' | 'info'): void;
  /** Runs an async step; a thrown error goes to the error boundary (message, back to status). */
  run(task: () => Promise<void>): void;
  /** Puts the UI away (normal screen, cooked mode), runs the task, then brings the UI back. */
  suspend<T>(task: () => Promise<T>): Promise<T>;
}

/** The readings of the machine that the screens show. */
export interface Readings {
  /** The latest reading of the machine. */
  current(): Current;
  /** Reads the machine again now (after a change). */
  refresh(): Promise<void>;
  /**
   * Reads the machine fully in the background (who is in charge: nmcli; DHCP leases: ip): before a
   * change may be planned. The status screen's readings run no program.
   */
  readFully(): void;
  /** The vendor hid this interface ([network] hide). */
  hidden(name: string): boolean;
}

/** The console login. */
export interface SessionControl {
  /** The console login, loaded after the first screen. */
  auth(): Promise<UiAuth>;
  /** The login if already loaded (it loads right after the first screen), else null. */
  authIfLoaded(): UiAuth | null;
  /** Who is logged in now (null: nobody, or the login is not loaded yet or not required). */
  sessionUser(): string | null;
  /** Ends the session and returns to the status screen, saying why. */
  lock(why: string): void;
}

/** Writing changes and the machine's other actions (the machine adapter). */
export interface MachineAccess {
  /** Writes (and applies) a plan: the core's executePlan, injectable in tests. */
  readonly execute: Executor;
  /** Apply to the running system after writing (`!noApply && root.isSystem`). */
  readonly applyToSystem: boolean;
  /** Why only the files are written, when applyToSystem is false. */
  readonly filesOnlyReason: string | null;
  /** True when working on the running system (root /), not on a tree of files. */
  readonly onSystem: boolean;
  readonly system: SystemActions;
}

/** What this console was set up with. */
export interface ConsoleSetup {
  /** The vendor settings (/etc/ttyconf/ttyconf.conf), read before the first screen. */
  readonly settings: Settings;
  readonly now: () => Date;
  /**
   * How long a question (the review) ignores keys after it appears: keys typed ahead, before anyone
   * could read it, never answer it.
   */
  readonly typeAheadMs: number;
}

/** Everything together: what a feature (a flow of several screens) is given. */
export type UiContext = Screens & Readings & SessionControl & MachineAccess & ConsoleSetup;
