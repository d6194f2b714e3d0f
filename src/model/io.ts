// What every command and the console UI share with the process: where text goes, and the exit codes.
import { visible } from './visible.js';

/** Exit status: 0 done, 1 failure (files fully old or fully new, and the message says which), 2 invalid input or usage. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/** The process's output as given: stdout, stderr, and whether both ends are a terminal. */
export interface RawIo {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  readonly isTTY: boolean;
}

/** Output for people: `out` and `err` show control characters as escapes (visible.ts). */
export interface Io extends RawIo {
  /** stdout untouched, only for ttyconf's own terminal controls (a countdown's carriage return). */
  readonly control: (s: string) => void;
}

/** The one place human output passes: nothing from a file or an argument can act on the terminal. */
export function humanIo(raw: RawIo): Io {
  return {
    out: (s) => raw.out(visible(s)),
    err: (s) => raw.err(visible(s)),
    control: (s) => raw.out(s),
    get isTTY() {
      return raw.isTTY;
    },
  };
}
