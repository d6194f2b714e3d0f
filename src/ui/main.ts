// `ttyconf` / `ttyconf ui`: the console UI. This module stays tiny: it checks for a terminal, starts
// reading the machine, and loads the app; the first screen is drawn without blessed, which loads
// while the console is idle after it, or on a key typed before that (consoleTerm.ts). Start-up time
// is the budget.
import type { Io } from '../model/io.js';
import type { Root } from '../files/root.js';
import { EXIT } from '../model/io.js';
import { earlyTty, isTerminal } from './ttyFd.js';
import { FIRST_SCREEN_EVENT } from '../loader/protocol.js';

export interface UiOptions {
  readonly root: Root;
  readonly ascii: boolean;
  readonly noApply: boolean;
  readonly io: Io;
}

/**
 * How long the first screen stays quiet before blessed loads (docs/bench.md): long enough for the
 * work after the first paint (login module, start-up checks, the menu's code) to be done, far shorter
 * than anyone takes to read the screen and press a key.
 */
export const PRELOAD_IDLE_MS = 100;

export async function runUi(opts: UiOptions): Promise<number> {
  // The tty streams (node:tty, net, stream) are made after the first screen: see ttyFd.ts.
  if (!(isTerminal(0) ?? process.stdin.isTTY) || !(isTerminal(1) ?? process.stdout.isTTY)) {
    opts.io.err('ttyconf: the console UI needs a terminal; use "ttyconf show" or "ttyconf set" in scripts\n');
    return EXIT.usage;
  }
  const { readCurrent } = await import('../core.js');
  // The first reading runs no program: the kernel's addresses and route are read in-process, and who
  // is in charge (nmcli, up to seconds when NetworkManager is slow) comes with the full reading taken
  // when a change may be planned (readings.ts readFully).
  const first = readCurrent(opts.root, { detectStack: false, liveInProcess: true });
  first.catch(() => undefined);
  const [{ startApp }, { onConsoleService }, { readConsoleEnv }, { version }] = await Promise.all([
    import('./app.js'),
    import('./console.js'),
    import('../console/env.js'),
    import('../version.js'),
  ]);
  // With stderr on the terminal, anything written there (error details, a library's warning) would
  // scribble over the screen: hold it until the UI has let go of the terminal. Under systemd,
  // stderr is the journal and passes straight through.
  const held: string[] = [];
  const stderrIsScreen = Boolean(isTerminal(2) ?? process.stderr.isTTY);
  const logError = (text: string): void => {
    if (stderrIsScreen) held.push(text);
    else opts.io.err(text);
  };
  let release = (): void => undefined;
  // Once the first screen is up (the streams exist from then on): hold stderr, watch for a hangup.
  const onFirstPaint = (): void => {
    // The bundle's loader keeps its V8 code cache now (src/loader): what the first screen ran.
    (process as NodeJS.EventEmitter).emit(FIRST_SCREEN_EVENT);
    const realWrite = process.stderr.write;
    if (stderrIsScreen) {
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
        held.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
        const done = rest.find((r): r is () => void => typeof r === 'function');
        if (done) process.nextTick(done);
        return true;
      }) as typeof process.stderr.write;
    }
    // A hangup (serial line dropped, VT hung up) ends the terminal's input: nothing can reach this
    // console any more, and a pending "Keep these settings?" is the detached guardian's to revert.
    // A screen drawn in the moment between the hangup and its SIGHUP fails on stdout (EIO): the same.
    process.stdin.once('end', endByHangup);
    process.stdin.once('error', endByHangup);
    process.stdout.once('error', endByHangup);
    release = () => {
      process.stderr.write = realWrite;
      process.stdin.removeListener('end', endByHangup);
      process.stdin.removeListener('error', endByHangup);
      process.stdout.removeListener('error', endByHangup);
    };
  };
  try {
    const consoleEnv = readConsoleEnv(process.env);
    return await startApp({
      root: opts.root,
      // --ascii, or the serial unit's TTYCONF_SERIAL=1 (term.ts also turns lines off for vt* TERMs).
      ascii: opts.ascii || consoleEnv.serial,
      // The terminal the unit or getty drop-in names (TTYCONF_TTY=%I): logins, the audit lines and
      // the backups say tty1 or ttyS0, not just "console".
      ...(consoleEnv.tty ? { where: consoleEnv.tty } : {}),
      noApply: opts.noApply,
      get input() {
        return process.stdin;
      },
      get output() {
        return process.stdout;
      },
      early: earlyTty(1) ?? undefined,
      preloadIdleMs: PRELOAD_IDLE_MS,
      onFirstPaint,
      terminal: process.env.TERM || 'vt220',
      version: version(),
      logError,
      canQuit: !onConsoleService(process.env, process.ppid),
      first,
      processHooks: true,
    });
  } finally {
    release();
    for (const t of held) opts.io.err(t);
  }
}

/**
 * Node's normal exit resets the terminal modes of fd 0-2 and aborts with an assertion when the tty
 * answers EIO. After a hangup ttyconf therefore ends as the hangup says (SIGHUP, default action);
 * systemd restarts the console either way.
 */
function endByHangup(): void {
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}
