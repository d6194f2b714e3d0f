// The terminal by file descriptor, before Node's tty streams exist. Loading node:tty (it brings in
// net and stream) and making process.stdin/stdout took about 2.5 ms of the first screen, which needs
// only the window size and one write. Node's own tty binding answers both, exactly as node:tty would
// (it is what node:tty is built on); where it is missing or refuses, the callers use the streams.
import { writeSync } from 'node:fs';

interface TtyHandle {
  getWindowSize(size: number[]): number;
  setBlocking?(blocking: boolean): number;
  close(): void;
}

interface TtyBinding {
  isTTY(fd: number): boolean;
  TTY: new (fd: number, ctx: Record<string, unknown>) => TtyHandle;
}

let cached: TtyBinding | null | undefined;

function binding(): TtyBinding | null {
  if (cached === undefined) {
    try {
      // process.binding('tty_wrap') is not on Node's runtime-deprecated list: no warning is printed.
      const b = (process as unknown as { binding(name: string): unknown }).binding('tty_wrap') as Partial<TtyBinding>;
      cached = typeof b.isTTY === 'function' && typeof b.TTY === 'function' ? (b as TtyBinding) : null;
    } catch {
      cached = null;
    }
  }
  return cached;
}

/** Whether fd is a terminal; null when it cannot be told without node:tty. */
export function isTerminal(fd: number): boolean | null {
  const b = binding();
  return b ? b.isTTY(fd) : null;
}

/** What is needed to draw the first screen on fd 1 without the streams. */
export interface EarlyTty {
  /** Columns and rows as the terminal reports them (0x0 on most serial lines). */
  readonly size: { readonly columns: number; readonly rows: number };
  /** Writes all of s, or returns the bytes the terminal did not take (the stream sends those). */
  write(s: string): Buffer;
}

/**
 * fd as a terminal for the first paint, or null (not a terminal, or no binding). The size is read
 * through a tty handle, which leaves fd in blocking mode as node:tty leaves stdout.
 */
export function earlyTty(fd: number): EarlyTty | null {
  const b = binding();
  if (!b || !b.isTTY(fd)) return null;
  let size: number[] = [];
  try {
    const ctx: Record<string, unknown> = {};
    const handle = new b.TTY(fd, ctx);
    if (ctx.code !== undefined) return null;
    if (handle.getWindowSize(size) !== 0) size = [0, 0];
    handle.setBlocking?.(true);
    handle.close();
  } catch {
    return null;
  }
  return {
    size: { columns: size[0] ?? 0, rows: size[1] ?? 0 },
    write(s: string): Buffer {
      const buf = Buffer.from(s, 'utf8');
      let done = 0;
      try {
        while (done < buf.length) done += writeSync(fd, buf, done);
      } catch {
        // EAGAIN (flow control held the line) or any other refusal: the stream sends the rest.
      }
      return buf.subarray(done);
    },
  };
}
