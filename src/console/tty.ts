// Which terminal a console runs on: a virtual terminal (tty1..tty63) or a serial line (ttyS0, hvc0...).
import { type Result, err, ok } from '../model/result.js';

export type TtyKind = 'vt' | 'serial';

export interface Tty {
  /** Kernel name without /dev/, e.g. tty1 or ttyS0; also the systemd instance name. */
  readonly name: string;
  readonly kind: TtyKind;
}

export const DEFAULT_TTY = 'tty1';

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,30}$/;
const VT = /^tty([0-9]+)$/;

/** Parses `tty1`, `/dev/ttyS0`, `hvc0`...; the error names the value and the rule. */
export function parseTty(input: string): Result<Tty, string> {
  const name = input.startsWith('/dev/') ? input.slice(5) : input;
  if (!NAME.test(name)) return err(`--tty: "${input}" must be a terminal name such as tty1 or ttyS0 (letters, digits and _)`);
  if (name === 'console' || name === 'tty') return err(`--tty: "${input}" is an alias, not a terminal: name one such as tty1 or ttyS0`);
  const vt = VT.exec(name);
  if (vt) {
    const n = Number(vt[1]);
    if (n < 1 || n > 63) return err(`--tty: "${input}" must be a virtual terminal from tty1 to tty63 (tty0 means "the current one")`);
    return ok({ name, kind: 'vt' });
  }
  return ok({ name, kind: 'serial' });
}
