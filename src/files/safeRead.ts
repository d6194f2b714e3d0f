// Reads a configuration file only when it is a regular file of a sane size. A FIFO would block the
// read forever, a device (a link to /dev/urandom) never ends, a directory cannot be read: each becomes
// a reason the caller shows as a warning naming the file, and everything else still shows.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync, type Stats } from 'node:fs';
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

/** What a file's first read gives: bytes at the start of `into`, whether the end was seen, or the error. */
interface FirstRead {
  readonly bytes: number;
  readonly ended: boolean;
  readonly error: unknown;
}

/** Reads into `into` until it is full or the file ends. */
function firstRead(fd: number, into: Buffer): FirstRead {
  let bytes = 0;
  try {
    while (bytes < into.length) {
      const n = readSync(fd, into, bytes, into.length - bytes, null);
      if (n === 0) return { bytes, ended: true, error: null };
      bytes += n;
    }
    return { bytes, ended: false, error: null };
  } catch (e) {
    return { bytes, ended: false, error: e };
  }
}

/** The first read's buffer, kept for the next file (reads are synchronous: one at a time). */
let scratch: Buffer | null = null;
const FIRST_READ_BYTES = 4096;

/**
 * Reads `abs` when it is a regular file of at most `limit` bytes. Opens with O_NONBLOCK (a FIFO
 * opens at once instead of waiting for a writer) and, when `noFollow`, O_NOFOLLOW (a path resolved
 * inside a tree must not end in a link that appeared since).
 *
 * Almost every file ttyconf reads is a few hundred bytes: it is read first, and fstat asks what the
 * file is only when that read does not find its end within 4 KiB: nothing read (an empty file, a FIFO
 * with no writer, /dev/null), a failed read (a directory), or a full buffer (a larger file, or a
 * device that never ends). fstat and the Stats object it makes were 22 k of the 80 k instructions a
 * small file's read took.
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
    scratch ??= Buffer.allocUnsafeSlow(FIRST_READ_BYTES);
    const head = firstRead(fd, scratch);
    if (head.ended && head.bytes > 0 && head.bytes <= limit) return { kind: 'file', data: Buffer.from(scratch.subarray(0, head.bytes)) };
    const st = fstatSync(fd);
    if (!st.isFile()) return { kind: 'unreadable', reason: notRegular(st) };
    if (head.error !== null) return { kind: 'unreadable', reason: `cannot be read: ${causeText(head.error)}` };
    if (st.size > limit) return { kind: 'unreadable', reason: `is larger than ${limit} bytes (${st.size})` };
    if (head.bytes > limit) return { kind: 'unreadable', reason: `is larger than ${limit} bytes` };
    if (head.ended) return { kind: 'file', data: Buffer.from(scratch.subarray(0, head.bytes)) };
    // The size is a hint only (sysfs reports 4096 for every attribute, a file may grow while it is
    // read): read to the end, never past the limit. The next buffer fits the rest and one byte more,
    // and the read that finds the end goes into that spare room. Unfilled bytes are never returned.
    const chunks: Buffer[] = [Buffer.from(scratch.subarray(0, head.bytes))];
    let total = head.bytes;
    let buf = Buffer.allocUnsafe(Math.min(Math.max(st.size + 1 - total, 512), limit + 1 - total));
    let filled = 0;
    for (;;) {
      if (filled === buf.length) {
        chunks.push(buf);
        buf = Buffer.allocUnsafe(Math.min(65536, limit + 1 - total));
        filled = 0;
      }
      const n = readSync(fd, buf, filled, buf.length - filled, null);
      if (n === 0) break;
      filled += n;
      total += n;
      if (total > limit) return { kind: 'unreadable', reason: `is larger than ${limit} bytes` };
    }
    return { kind: 'file', data: Buffer.concat([...chunks, buf.subarray(0, filled)], total) };
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

/**
 * A root-relative folder's names, sorted; none when it or a folder above it is missing (under a tree
 * that is known without a listing that fails). Any other error is thrown for the caller to name.
 */
export function listRootDir(root: Root, rel: string): string[] {
  const abs = root.presentPath(rel);
  if (abs === null) return [];
  try {
    return readdirSync(abs).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}
