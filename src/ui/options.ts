// How the console UI is started (main.ts in service, the headless and tmux tests in-process).
import type { Current } from '../core.js';
import type { Root } from '../files/root.js';
import type { LoadedSettings } from '../settings.js';
import type { MachineParts } from './machine.js';
import type { TtyInput, TtyOutput } from './termCaps.js';
import type { EarlyTty } from './ttyFd.js';

export interface AppOptions extends MachineParts {
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
  readonly now?: () => Date;
  /** How long the review ignores keys after it appears (ConsoleSetup.typeAheadMs); default 500 ms. */
  readonly typeAheadMs?: number;
  /** How often the status is read again; default 5 s. */
  readonly refreshMs?: number;
  /** Take over SIGTERM/SIGHUP/SIGINT/SIGQUIT and uncaught errors (not in in-process tests). */
  readonly processHooks?: boolean;
  /** The vendor settings; read from ROOT/etc/ttyconf/ttyconf.conf when absent. */
  readonly settings?: LoadedSettings | Promise<LoadedSettings>;
  /** The terminal's name for the auth log (TTYCONF_TTY), e.g. tty1. */
  readonly where?: string;
  /** After the first screen: undo changes a killed ttyconf left half-way (files only under a tree other than /). Default true. */
  readonly recover?: boolean;
  /** After the first screen: the first-boot password and wizard when the image is armed. Default true. */
  readonly firstBoot?: boolean;
}

export const REFRESH_MS = 5000;
export const TYPE_AHEAD_MS = 500;
