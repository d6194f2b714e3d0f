// What enabling or disabling the console takes and gives back (manage.ts, viaManage.ts): plain data.
import type { ApplyError, ApplyHooks, Op } from './enable.js';
import type { LiveSystemd } from './systemd.js';
import type { Tty } from './tty.js';

export interface ConsoleOptions {
  /** The running systemd to tell; null edits files only (an offline root, or --no-apply). */
  readonly live: LiveSystemd | null;
  /** Plan only: report the changes, make none. */
  readonly dryRun?: boolean;
  readonly hooks?: ApplyHooks;
}

export interface ConsoleReport {
  readonly tty: Tty;
  /** The file changes made (or, with dryRun, that would be made). Empty: nothing to do. */
  readonly ops: readonly Op[];
  /** What was done on the running system, in order. */
  readonly ran: readonly string[];
  readonly notes: readonly string[];
}

export type ConsoleFailure =
  /** Nothing was changed. */
  | { readonly kind: 'refused'; readonly reasons: readonly string[] }
  /** A file change failed; `error.unrestored` names paths that could not be put back. */
  | { readonly kind: 'write-failed'; readonly error: ApplyError }
  /** The files are done (see report) but systemd did not follow. */
  | { readonly kind: 'live-failed'; readonly message: string; readonly report: ConsoleReport };
