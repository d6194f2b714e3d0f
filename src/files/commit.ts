// The atomic multi-file commit: every file of a change lands whole, or none does.
//
// 1. remove temp files an interrupted run left behind;
// 2. back up every file that will be replaced (var/lib/ttyconf/backups/<stamp>/, keep the last 10);
// 3. write each new file to a temp file beside it (old mode and owner), fsync (files/atomicWrite.ts);
// 4. rename them into place one by one, fsync each directory, relabel (SELinux);
// 5. on any failure: put back every file already replaced, remove new ones and temp files.
// A kill between two renames is repaired by the next run from the journal the caller keeps (the job
// folder, see src/apply/job.ts), which records the plan and this backup before the first rename.
// Every path is resolved inside the root (see Root): a link in the tree never leads a write out of it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Result, err, ok } from '../model/result.js';
import { TEMP_MARK, fsyncPath, writeFileAtomic, writeTempBeside } from './atomicWrite.js';
import { type CommitError, causeText } from './errors.js';
import { PATHS, type Root } from './root.js';
import { readRegularFile, readRootFile } from './safeRead.js';

export interface FileWrite {
  /** Root-relative path. */
  readonly path: string;
  readonly content: Buffer;
  /** Mode for a new file; a replaced file keeps its own. */
  readonly mode?: number;
  /** Remove the file instead (a restore taking away a file a change created); `content` is ignored. */
  readonly remove?: boolean;
}

/**
 * Who made a change and what it was, recorded in manifest.json beside the old files so the list of
 * backups can say it. Manifests written before this existed have none of it.
 */
export interface ChangeNote {
  readonly kind: 'change' | 'restore' | 'reset';
  /** The login name (the console session's user, or the user running the command). */
  readonly user: string;
  /** The terminal, e.g. tty1 or pts/0; null when there is none. */
  readonly tty: string | null;
  /** The lines the review showed. */
  readonly summary: readonly { readonly field: string; readonly old: string; readonly new: string }[];
  /** restore: the backup restored; reset: the interface. */
  readonly of?: string;
}

export interface BackupEntry {
  readonly path: string;
  readonly existed: boolean;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

export interface CommitResult {
  /** Root-relative backup folder holding the old files and manifest.json. */
  readonly backupDir: string;
  readonly written: readonly string[];
}

export type { CommitError } from './errors.js';

export interface CommitHooks {
  /** Called once the backups exist, before the first file is replaced (to record where they are). */
  readonly onBackup?: (backupDir: string) => Promise<void> | void;
  /** Runs after each file is in place (restorecon where SELinux is on). */
  readonly relabel?: (absPath: string) => Promise<void>;
  /** Test seam: called before each rename; throwing simulates a failure there. */
  readonly beforeRename?: (relPath: string) => Promise<void> | void;
  readonly now?: () => Date;
  /** Recorded in the backup's manifest.json as `change`. */
  readonly note?: ChangeNote;
}

export const KEEP_BACKUPS = 10;

/** An error about one root-relative file (the backup's, a temp file's): the commit names that file. */
class AtFile extends Error {
  constructor(readonly file: string, readonly original: unknown) {
    super(causeText(original));
  }
}

async function at<T>(file: string, f: () => Promise<T> | T): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw e instanceof AtFile ? e : new AtFile(file, e);
  }
}

/**
 * Test seam for the kill tests: with TTYCONF_TEST_KILL_AT_RENAME=N in the environment of a process
 * started by the test runner (VITEST set), the commit kills its own process with SIGKILL just before
 * its Nth rename (N = number of files + 1: right after the last one). Ignored everywhere else.
 */
function testKillPoint(n: number): void {
  const at = process.env.VITEST ? process.env.TTYCONF_TEST_KILL_AT_RENAME : undefined;
  if (at !== undefined && Number(at) === n) process.kill(process.pid, 'SIGKILL');
}

/** Removes temp files that an interrupted run left in the given directories. */
export async function cleanStaleTemps(root: Root, dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await fs.readdir(root.path(dir));
    } catch {
      continue;
    }
    for (const n of names) {
      if (n.startsWith('.') && n.includes(TEMP_MARK)) {
        await fs.rm(join(root.path(dir), n), { force: true });
        removed.push(join(dir, n));
      }
    }
  }
  return removed;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*/, '') + '-' + randomBytes(2).toString('hex');
}

/** Creates `rel` and its missing parents inside the root; an error names the folder that failed. */
async function mkdirsAt(root: Root, rel: string, mode: number): Promise<string> {
  return at(rel, () => root.mkdirs(rel, mode));
}

async function backup(root: Root, paths: readonly string[], now: Date, note?: ChangeNote): Promise<{ dir: string; entries: BackupEntry[] }> {
  const dir = join(PATHS.backups, stamp(now));
  await mkdirsAt(root, dir, 0o700);
  try {
    const entries: BackupEntry[] = [];
    for (const p of paths) {
      const st = await at(p, () => fs.stat(root.path(p)).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return null;
        throw e;
      }));
      if (st === null) {
        entries.push({ path: p, existed: false });
        continue;
      }
      // Only a regular file is backed up (and so replaced): a FIFO would block the copy forever.
      const r = readRootFile(root, p);
      if (r.kind === 'unreadable') throw new AtFile(p, new Error(r.reason));
      if (r.kind === 'missing') {
        entries.push({ path: p, existed: false });
        continue;
      }
      const destRel = join(dir, 'files', p);
      await mkdirsAt(root, dirname(destRel), 0o700);
      await at(destRel, async () => {
        const dest = root.path(destRel);
        const h = await fs.open(dest, 'wx', 0o600);
        try {
          await h.writeFile(r.data);
          await h.chmod(st.mode & 0o7777);
          await h.chown(st.uid, st.gid).catch(() => undefined);
          await h.sync();
        } finally {
          await h.close();
        }
        await fsyncPath(dirname(dest));
      });
      entries.push({ path: p, existed: true, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid });
    }
    const manifestRel = join(dir, 'manifest.json');
    const manifest = JSON.stringify({ created: now.toISOString(), ...(note ? { change: note } : {}), files: entries }, null, 2) + '\n';
    await at(manifestRel, async () => {
      await fs.writeFile(root.path(manifestRel), manifest, { mode: 0o600, flag: 'wx' });
      // The backup must be on disk before any file is replaced: after a power cut it is all there is.
      await fsyncPath(root.path(manifestRel));
      await fsyncPath(root.path(dir));
      await fsyncPath(root.path(PATHS.backups));
    });
    return { dir, entries };
  } catch (e) {
    // A backup that could not be made whole is no backup: remove what there is of it.
    await fs.rm(root.path(dir), { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
}

async function pruneBackups(root: Root, keep: number): Promise<void> {
  const names = (await fs.readdir(root.path(PATHS.backups)).catch(() => [] as string[])).filter((n) => !n.startsWith('.')).sort();
  for (const n of names.slice(0, Math.max(0, names.length - keep))) {
    await fs.rm(root.path(join(PATHS.backups, n)), { recursive: true, force: true });
  }
}

/** Puts the backed-up files back (and removes files that did not exist), each atomically. */
export async function restoreFiles(root: Root, backupDir: string, entries: readonly BackupEntry[], hooks: CommitHooks = {}): Promise<string[]> {
  const failed: string[] = [];
  for (const e of entries) {
    const abs = root.path(e.path);
    try {
      if (!e.existed) {
        await fs.rm(abs, { force: true });
      } else {
        const saved = readRegularFile(root.path(join(backupDir, 'files', e.path)), { noFollow: !root.isSystem });
        if (saved.kind !== 'file') throw new Error(`backup of ${e.path} missing or unreadable`);
        const owner = e.uid !== undefined ? { uid: e.uid, gid: e.gid ?? 0 } : undefined;
        await writeFileAtomic(abs, saved.data, { mode: e.mode ?? 0o644, ...(owner ? { owner } : {}), ...(hooks.relabel ? { relabel: hooks.relabel } : {}) });
        continue;
      }
      await fsyncPath(dirname(abs));
    } catch {
      failed.push(e.path);
    }
  }
  return failed;
}

export async function readManifest(root: Root, backupDir: string): Promise<BackupEntry[]> {
  const r = readRootFile(root, join(backupDir, 'manifest.json'));
  if (r.kind !== 'file') throw new Error(`${join(backupDir, 'manifest.json')} ${r.kind === 'missing' ? 'is missing' : r.reason}`);
  return (JSON.parse(r.data.toString('utf8')) as { files: BackupEntry[] }).files;
}

export async function atomicCommit(root: Root, writes: readonly FileWrite[], hooks: CommitHooks = {}): Promise<Result<CommitResult, CommitError>> {
  const nothing = (file: string, cause: string): Result<CommitResult, CommitError> =>
    err({ file, cause, restored: true, unrestored: [], replacedAny: false });
  const resolved: FileWrite[] = [];
  for (const w of writes) {
    try {
      resolved.push({ ...w, path: root.target(w.path) });
    } catch (e) {
      return nothing(w.path, causeText(e));
    }
  }
  // Any directory ttyconf writes may hold a temp file from an interrupted run.
  const known = [PATHS.networkScripts, dirname(PATHS.resolvConf), dirname(PATHS.sysconfigNetwork)];
  await cleanStaleTemps(root, [...known, ...resolved.map((w) => dirname(w.path))]);

  let bk: { dir: string; entries: BackupEntry[] };
  try {
    bk = await backup(root, resolved.map((w) => w.path), (hooks.now ?? (() => new Date()))(), hooks.note);
  } catch (e) {
    const f = e instanceof AtFile ? e : new AtFile(PATHS.backups, e);
    return nothing(f.file, `cannot back up the current files: ${f.message}`);
  }

  try {
    await hooks.onBackup?.(bk.dir);
  } catch (e) {
    await fs.rm(root.path(bk.dir), { recursive: true, force: true }).catch(() => undefined);
    return nothing(e instanceof AtFile ? e.file : PATHS.backups, `cannot record the backup: ${causeText(e instanceof AtFile ? e.original : e)}`);
  }

  /** tmp: the new content beside the file; null for a file to remove. */
  const temps: { w: FileWrite; tmp: string | null; entry: BackupEntry }[] = [];
  const done: BackupEntry[] = [];
  let current = '';
  try {
    for (const [i, w] of resolved.entries()) {
      current = w.path;
      const entry = bk.entries[i]!;
      root.mkdirs(dirname(w.path));
      const abs = root.path(w.path);
      const owner = entry.uid !== undefined ? { uid: entry.uid, gid: entry.gid ?? 0 } : undefined;
      temps.push({ w, entry, tmp: w.remove ? null : await writeTempBeside(abs, w.content, entry.mode ?? w.mode ?? 0o644, owner) });
    }
    for (const [i, t] of temps.entries()) {
      current = t.w.path;
      testKillPoint(i + 1);
      await hooks.beforeRename?.(t.w.path);
      const abs = root.path(t.w.path);
      if (t.tmp === null) await fs.rm(abs, { force: true });
      else await fs.rename(t.tmp, abs);
      done.push(t.entry);
      await fsyncPath(dirname(abs));
      if (t.tmp !== null) await hooks.relabel?.(abs);
    }
    testKillPoint(temps.length + 1);
  } catch (e) {
    const unrestored = await restoreFiles(root, bk.dir, done, hooks);
    await Promise.all(temps.flatMap((t) => (t.tmp === null ? [] : [fs.rm(t.tmp, { force: true }).catch(() => undefined)])));
    if (done.length === 0) await fs.rm(root.path(bk.dir), { recursive: true, force: true }).catch(() => undefined);
    return err({ file: current, cause: causeText(e), restored: unrestored.length === 0, unrestored, replacedAny: done.length > 0 });
  }
  await pruneBackups(root, KEEP_BACKUPS).catch(() => undefined);
  return ok({ backupDir: bk.dir, written: resolved.map((w) => w.path) });
}
