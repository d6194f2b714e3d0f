// The parts of a running console and the one context a feature is given, put together from them:
// each call goes to the part that does the job (the screens, the readings, the session, the
// machine adapter).
import type { Settings } from '../settings.js';
import { type Machine, machineAdapter } from './machine.js';
import { type AppOptions, TYPE_AHEAD_MS } from './options.js';
import { LatestReadings } from './readings.js';
import { ConsoleSession } from './session.js';
import type { Screens, UiContext } from './view.js';

/** What the parts need from the app. */
export interface ConsoleHost {
  readonly screens: Screens;
  /** Undefined until read (before the first screen). */
  readonly settings: () => Settings | undefined;
  readonly stopping: () => boolean;
  readonly redraw: () => void;
  /** Back to the status screen, every form above it dropped unwritten, saying why. */
  readonly toStatus: (why: string) => void;
  /** A shell or a write is running. */
  readonly busy: () => boolean;
  /** A shell runs on the terminal; this ends it. */
  readonly onShell: (kill: () => void) => void;
}

export interface ConsoleParts {
  readonly machine: Machine;
  readonly readings: LatestReadings;
  readonly session: ConsoleSession;
  readonly ctx: UiContext;
}

export function consoleParts(opts: AppOptions, host: ConsoleHost): ConsoleParts {
  const settings = (): Settings => host.settings()!;
  // The session is made right below; the machine asks it only when a change is made.
  const late: { session?: ConsoleSession } = {};
  const machine = machineAdapter({
    root: opts.root,
    noApply: opts.noApply,
    where: opts.where ?? 'console',
    settings,
    user: () => late.session?.sessionUser() ?? null,
    gate: () => late.session!.assertUnlocked(),
    onShell: host.onShell,
  }, opts);
  const readings = new LatestReadings({ machine, settings: host.settings, stopping: host.stopping, redraw: host.redraw, logError: opts.logError });
  const session = late.session = new ConsoleSession({ machine, settings: host.settings, busy: host.busy, stopping: host.stopping, toStatus: host.toStatus, redraw: host.redraw });
  const ctx = uiContext({ screens: host.screens, readings, session, machine }, {
    settings,
    now: opts.now ?? (() => new Date()),
    typeAheadMs: opts.typeAheadMs ?? TYPE_AHEAD_MS,
  });
  return { machine, readings, session, ctx };
}

interface Setup {
  readonly settings: () => Settings;
  readonly now: () => Date;
  readonly typeAheadMs: number;
}

function uiContext({ screens: s, readings: r, session: a, machine: m }: Omit<ConsoleParts, 'ctx'> & { screens: Screens }, setup: Setup): UiContext {
  return {
    open: (v) => s.open(v),
    replace: (v) => s.replace(v),
    back: () => s.back(),
    close: (v) => s.close(v),
    home: () => s.home(),
    redraw: () => s.redraw(),
    notify: (text, kind) => s.notify(text, kind),
    run: (task) => s.run(task),
    suspend: <T>(task: () => Promise<T>) => s.suspend(task),
    current: () => r.current(),
    refresh: () => r.refresh(),
    readFully: () => r.readFully(),
    hidden: (name) => r.hidden(name),
    auth: () => a.auth(),
    authIfLoaded: () => a.authIfLoaded(),
    sessionUser: () => a.sessionUser(),
    lock: (why) => a.lock(why),
    execute: m.execute,
    applyToSystem: m.applyToSystem,
    filesOnlyReason: m.filesOnlyReason,
    onSystem: m.onSystem,
    system: m.system,
    get settings() {
      return setup.settings();
    },
    now: setup.now,
    typeAheadMs: setup.typeAheadMs,
  };
}
