// The machine adapter: the one UI module that reaches the machine (the network files and the
// kernel, the transaction, the login, the backups, power, the shell). Every screen asks through it.
// What the first screen needs (the reading, the settings) is here at once; the rest loads when
// first used, so none of it costs start-up time. Tests replace any part (AppOptions).
import { type Current, readCurrent } from '../core.js';
import type { Root } from '../files/root.js';
import { type LoadedSettings, type Settings, readSettings } from '../settings.js';
import { buildStatus } from '../status.js';
import type { MachineAccess, SystemActions, UiAuth } from './view.js';

/** What the adapter needs from the console around it. */
export interface MachineHost {
  readonly root: Root;
  /** Write the files only, whatever the root (--no-apply). */
  readonly noApply: boolean;
  /** The terminal's name for the logs (TTYCONF_TTY), e.g. tty1. */
  readonly where: string;
  readonly settings: () => Settings;
  /** Who is logged in, for the backup and the audit log. */
  readonly user: () => string | null;
  /** Throws unless the session is unlocked: the second check, where the machine is touched. */
  readonly gate: () => void;
  /** A shell runs on the terminal; this ends it (ttyconf was told to stop). */
  readonly onShell: (kill: () => void) => void;
}

/** Parts a test (or another front end) puts in place of the real ones. */
export interface MachineParts {
  readonly read?: (root: Root) => Promise<Current>;
  readonly execute?: MachineAccess['execute'];
  /** The console login; consoleAuthenticator (src/auth/login.ts) when absent. */
  readonly auth?: (settings: Settings) => UiAuth;
  readonly system?: Partial<SystemActions>;
}

export interface Machine extends MachineAccess {
  /**
   * Reads the machine. The status needs the files and the kernel's addresses: read without running a
   * program, so an idle console spawns nothing every 5 s and never loads execa. Who is in charge
   * (nmcli) comes with a full reading (before a change may be planned) and is kept from `previous`
   * until the next full one; the apply engine reads the kernel itself before it changes anything.
   */
  read(full: boolean, previous: Current | null): Promise<Current>;
  readSettings(): Promise<LoadedSettings>;
  /** Undoes the changes a killed ttyconf left half-way (files only under a tree other than /): one line for each. */
  recover(): Promise<readonly string[]>;
  /** Loads the console login. */
  login(settings: Settings): Promise<UiAuth>;
}

export function machineAdapter(host: MachineHost, parts: MachineParts = {}): Machine {
  const { root } = host;
  const keepStack = (r: Current, previous: Current | null): Current => {
    const known = previous?.stack;
    return r.stack || !known ? r : { ...r, stack: known, status: buildStatus(r.snapshot.state, r.live, known) };
  };
  const applyToSystem = !host.noApply && root.isSystem;
  return {
    applyToSystem,
    filesOnlyReason: applyToSystem ? null
      : host.noApply ? 'ttyconf was started with --no-apply'
        : `the files are under ${root.dir}, not the running system`,
    onSystem: root.isSystem,
    read: (full, previous) => {
      if (parts.read) return parts.read(root);
      return readCurrent(root, full ? {} : { liveInProcess: true, detectStack: false }).then((r) => keepStack(r, previous));
    },
    readSettings: () => readSettings(root),
    // The apply engine loads when a change is made, not before the first screen. The login is
    // checked again here, where the machine is touched.
    execute: parts.execute ?? (async (c, p, o) => {
      host.gate();
      // The backup and the audit log record the console's login, not the process's user.
      return (await import('../transaction.js')).executePlan(c, p, { actor: { user: host.user() ?? 'root', tty: host.where }, ...o });
    }),
    recover: async () => {
      // The light check first: the repair code loads only when a change was left unfinished.
      const { JOBS_DIR, unfinishedJobs } = await import('../apply/job.js');
      let unfinished = false;
      try {
        unfinished = unfinishedJobs(root.path(JOBS_DIR)).length > 0;
      } catch {
        unfinished = false;
      }
      if (!unfinished) return [];
      // Under a tree other than / nothing may run for a repair: files are restored only.
      const { recoverInterrupted, recoveryLine } = await import('../transaction.js');
      return (await recoverInterrupted(root, undefined, { programs: root.isSystem })).map(recoveryLine);
    },
    login: async (settings) => {
      if (parts.auth) return parts.auth(settings);
      const { consoleAuthenticator } = await import('../auth/login.js');
      return consoleAuthenticator(root, settings, host.where);
    },
    system: { ...systemActions(host), ...parts.system },
  };
}

/** The machine actions, each loaded when first used. */
function systemActions(host: MachineHost): SystemActions {
  const { root } = host;
  return {
    firstBoot: async () => (await import('../auth/firstboot.js')).firstBootState(root, host.settings()),
    testNetwork: async (current, ping, onCheck) => (await import('../apply/testNetwork.js')).testNetwork(current, { ping, onCheck }),
    power: async (action) => {
      host.gate();
      return (await import('../system/power.js')).requestPower(root, action);
    },
    shell: async (idleSeconds) => {
      host.gate();
      return (await import('../system/shell.js')).runLoginShell({ root, idleSeconds, onStart: host.onShell });
    },
    setFirstPassword: async (password, confirmation) => {
      const [{ setFirstRootPassword }, { lineAuthLogger, syslogAuthLogger }, { execaRunner }] = await Promise.all([
        import('../auth/firstboot.js'), import('../auth/log.js'), import('../system/run.js'),
      ]);
      const log = root.isSystem ? syslogAuthLogger(execaRunner) : lineAuthLogger((l) => process.stderr.write(l));
      return setFirstRootPassword(root, password, confirmation, { log, where: host.where });
    },
    backups: async () => (await import('../files/backups.js')).listBackups(root),
    planRestore: async (current, id) => (await import('../restore.js')).planRestore(current, id),
  };
}
