import type { Io } from '../cli.js';
import type { Root } from '../files/root.js';

export interface UiOptions {
  readonly root: Root;
  readonly ascii: boolean;
  readonly noApply: boolean;
  readonly io: Io;
}

export async function runUi(opts: UiOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    opts.io.err('ttyconf: the console UI needs a terminal; use "ttyconf show" or "ttyconf set" in scripts\n');
    return 2;
  }
  opts.io.err('ttyconf: the console UI is not built yet\n');
  return 1;
}
