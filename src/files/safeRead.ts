// Reads a configuration file only when it is a regular file of a sane size. A FIFO would block the
// read forever, a device (a link to /dev/urandom) never ends, a directory cannot be read: each becomes
// a reason the caller shows as a warning naming the file, and everything else still shows.
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { causeText } from './errors.js';
import type { Root } from './root.js';

/** NetworkManager refuses ifcfg files above 10 MiB; no file ttyconf reads needs more. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

export type FileRead =
  | { readonly kind: 'file'; readonly data: Buffer }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unreadable'; readonly reason: string };

function notRegular(st: Stats): string {
  if (st.isDirectory()) return 'is a directory, not a file';
  if (st.isFIFO()) return 'is a FIFO (named pipe), not a file';
  if (st.isCharacterDevice()) return 'is a character device, not a file';
  if (st.isBlockDevice()) return 'is a block device, not a file';
  if (st.isSocket()) return 'is a socket, not a file';
  return 'is not a regular file';
}

/**
 * Reads `abs` when it is a regular file of at most `limit` bytes. Opens with O_NONBLOCK (a FIFO
 * opens at once instead of waiting for a writer) and, when `noFollow`, O_NOFOLLOW (a path resolved
 * inside a tree must not end in a link that appeared since).
 */
export function readRegularFile(abs: string, opts: { noFollow?: boolean; limit?: number } = {}): FileRead {
  const limit = opts.limit ?? MAX_FILE_BYTES;
  let fd: number;
  try {
    fd = openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY | (opts.noFollow ? constants.O_NOFOLLOW : 0));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'unreadable', reason: 'is a symbolic link that changed while it was read' };
    return { kind: 'unreadable', reason: `cannot be read: ${causeText(e)}` };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', reason: notRegular(st) };
    if (st.size > limit) return { kind: 'unreadable', reason: `is larger than ${limit} bytes (${st.size})` };
    // The size is a hint only (sysfs reports 4096 for every attribute, a file may grow while it is
    // read): read to the end, never past the limit. The first buffer fits the file and one byte more,
    // so a file that did not grow takes one read and one buffer (a zeroed 64 KiB per file cost the
    // first screen about a millisecond); unfilled bytes of a buffer are never returned.
    const chunks: Buffer[] = [];
    let total = 0;
    let want = Math.min(Math.max(st.size + 1, 512), limit + 1);
    for (;;) {
      const buf = Buffer.allocUnsafe(want);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > limit) return { kind: 'unreadable', reason: `is larger than ${limit} bytes` };
      want = Math.min(65536, limit + 1 - total);
    }
    return { kind: 'file', data: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (e) {
    return { kind: 'unreadable', reason: `cannot be read: ${causeText(e)}` };
  } finally {
    closeSync(fd);
  }
}

/** Reads a root-relative file, every component resolved inside the tree (see Root). */
export function readRootFile(root: Root, rel: string, limit?: number): FileRead {
  let abs: string | null;
  try {
    abs = root.presentPath(rel);
  } catch (e) {
    return { kind: 'unreadable', reason: `cannot be resolved: ${causeText(e)}` };
  }
  if (abs === null) return { kind: 'missing' };
  return readRegularFile(abs, { noFollow: !root.isSystem, limit });
}
