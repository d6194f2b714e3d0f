// The one way ttyconf replaces a file: the new bytes go to a temp file beside it (same folder, so
// the rename is atomic), are fsynced, get their mode and owner, and are renamed over the file; then
// the folder is fsynced so that the rename itself survives a power cut. A reader sees the old file
// or the new one, never a mix; a failure before the rename leaves the old file and no temp file.
// Two phases are exported for the multi-file commit (every temp file first, then every rename).
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Marks ttyconf's temp files (".<name>.ttyconf-tmp-<hex>"), so an interrupted run's can be found. */
export const TEMP_MARK = '.ttyconf-tmp-';

export interface Owner {
  readonly uid: number;
  readonly gid: number;
}

export interface AtomicWriteOptions {
  /** Mode of the new file; by default the replaced file's, or 0644 for a new file. */
  readonly mode?: number;
  /** Owner of the new file; by default the replaced file's, or the process's for a new file. */
  readonly owner?: Owner;
  /** Runs once the file is in place (restorecon where SELinux is on). */
  readonly relabel?: (absPath: string) => Promise<void>;
}

export function tempPathBeside(abs: string): string {
  return join(dirname(abs), `.${basename(abs)}${TEMP_MARK}${randomBytes(4).toString('hex')}`);
}

/** A chown that only root may make is skipped, not an error: a non-root run keeps its own owner. */
const chownRefused = (e: unknown): boolean => (e as NodeJS.ErrnoException).code === 'EPERM';

/** fsync a file or a folder (a folder's fsync makes the renames in it durable). */
export async function fsyncPath(abs: string): Promise<void> {
  const h = await fsp.open(abs, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

function fsyncPathSync(abs: string): void {
  const fd = fs.openSync(abs, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Phase one: `content` in a new temp file beside `abs` with this mode and owner, fsynced; its path. */
export async function writeTempBeside(abs: string, content: Buffer | string, mode: number, owner?: Owner): Promise<string> {
  const tmp = tempPathBeside(abs);
  const h = await fsp.open(tmp, 'wx', mode);
  try {
    // chmod after the open: the umask narrowed the mode given to open.
    await h.chmod(mode);
    if (owner) await h.chown(owner.uid, owner.gid).catch((e: unknown) => {
      if (!chownRefused(e)) throw e;
    });
    await h.writeFile(content);
    await h.sync();
  } catch (e) {
    await h.close();
    await fsp.rm(tmp, { force: true });
    throw e;
  }
  await h.close();
  return tmp;
}

/** Phase two: the temp file (or link) renamed over `abs`, the folder fsynced; the temp is removed on a failure. */
export async function renameInto(tmp: string, abs: string): Promise<void> {
  try {
    await fsp.rename(tmp, abs);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
  await fsyncPath(dirname(abs));
}

async function existing(abs: string): Promise<fs.Stats | null> {
  return fsp.stat(abs).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
}

/** Replaces (or creates) `abs` whole; mode and owner kept unless given. */
export async function writeFileAtomic(abs: string, content: Buffer | string, opts: AtomicWriteOptions = {}): Promise<void> {
  const old = opts.mode === undefined || opts.owner === undefined ? await existing(abs) : null;
  const mode = opts.mode ?? (old ? old.mode & 0o7777 : 0o644);
  const owner = opts.owner ?? (old ? { uid: old.uid, gid: old.gid } : undefined);
  await renameInto(await writeTempBeside(abs, content, mode, owner), abs);
  await opts.relabel?.(abs);
}

/** The same for callers that must stay synchronous (the job folder's records); no relabel. */
export function writeFileAtomicSync(abs: string, content: Buffer | string, opts: Omit<AtomicWriteOptions, 'relabel'> = {}): void {
  let old: fs.Stats | null = null;
  if (opts.mode === undefined || opts.owner === undefined) {
    try {
      old = fs.statSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
  const mode = opts.mode ?? (old ? old.mode & 0o7777 : 0o644);
  const owner = opts.owner ?? (old ? { uid: old.uid, gid: old.gid } : undefined);
  const tmp = tempPathBeside(abs);
  try {
    const fd = fs.openSync(tmp, 'wx', mode);
    try {
      fs.fchmodSync(fd, mode);
      if (owner) {
        try {
          fs.fchownSync(fd, owner.uid, owner.gid);
        } catch (e) {
          if (!chownRefused(e)) throw e;
        }
      }
      fs.writeFileSync(fd, content);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, abs);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fsyncPathSync(dirname(abs));
}
