import { lstatSync, mkdirSync, readlinkSync, realpathSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';

/** Every path ttyconf touches, under one root prefix (`--root DIR`, default `/`). */
export const PATHS = {
  networkScripts: 'etc/sysconfig/network-scripts',
  sysconfigNetwork: 'etc/sysconfig/network',
  resolvConf: 'etc/resolv.conf',
  /** ifup-post's copy of resolv.conf, which ifdown-post puts back (network-scripts). */
  resolvConfSave: 'etc/resolv.conf.save',
  hostname: 'etc/hostname',
  hosts: 'etc/hosts',
  backups: 'var/lib/ttyconf/backups',
  sysClassNet: 'sys/class/net',
} as const;

/** lstat's answer for a path that does not exist (ENOENT). */
const ABSENT = 'absent';

/** Whether a path is a symbolic link, ABSENT, or undefined when it cannot be looked at (EACCES, ENOTDIR). */
type LinkAnswer = boolean | typeof ABSENT | undefined;

/** Symbolic links followed in one path before giving up, as Linux does (ELOOP). */
const MAX_LINKS = 40;

/** Whether a relative path is in normal form (no empty, `.` or `..` component): `/` + it needs no path.join. */
function isNormal(rel: string): boolean {
  return rel !== '' && !rel.split('/').some((c) => c === '' || c === '.' || c === '..');
}

/**
 * `dir` joined with components that are already clean (no `/`, none empty, `.` or `..`): the
 * reading resolves every component of every path under a tree, and path.join normalised the whole
 * string again at each one.
 */
function under(dir: string, components: readonly string[]): string {
  if (components.length === 0) return dir;
  return (dir.endsWith('/') ? dir : `${dir}/`) + components.join('/');
}

/** Whether `components` from index `from` on are all empty or `.`: nothing left to resolve. */
function onlyDots(components: readonly string[], from: number): boolean {
  for (let i = from; i < components.length; i++) if (components[i] !== '' && components[i] !== '.') return false;
  return true;
}

function errnoError(code: string, message: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${message}`), { code });
}

/**
 * A tree of files: the machine itself (`/`) or an image's tree (`--root DIR`).
 *
 * Under a tree, every path is resolved the way the machine booted from that tree would resolve it
 * (as inside a chroot): a symbolic link at any component is followed within the tree, an absolute
 * target starts again at the tree's top, and `..` never climbs above it. So no read, write, backup or
 * restore can leave the tree, whatever links the tree holds. On `/` the kernel resolves paths itself.
 */
export class Root {
  readonly dir: string;
  #base: string | undefined;
  /** What lstat said of each absolute path, while one reading runs. */
  #linkAnswers: Map<string, LinkAnswer> | null = null;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  get isSystem(): boolean {
    return this.dir === '/';
  }

  /** The tree's own directory with its symbolic links resolved (the prefix every resolved path has). */
  get base(): string {
    if (this.#base === undefined) {
      try {
        this.#base = realpathSync(this.dir);
      } catch {
        return this.dir;
      }
    }
    return this.#base;
  }

  /**
   * Runs `read`, which must be synchronous, with each path component's lstat answer kept: one reading
   * resolves the same directories (etc, etc/sysconfig, sys/class/net/eth0) for every file it opens.
   * The answers go when `read` returns, so a later reading sees links made or removed since.
   */
  readingOnce<T>(read: () => T): T {
    if (this.#linkAnswers) return read();
    this.#linkAnswers = new Map();
    try {
      return read();
    } finally {
      this.#linkAnswers = null;
    }
  }

  /**
   * Absolute path of a root-relative path such as `etc/hostname`, every symbolic link in it resolved
   * inside the tree (the last component too; see pathOf for the link itself).
   */
  path(rel: string): string {
    return this.pathOf(rel, true);
  }

  /** Like path(), but a symbolic link in the last component is kept: the link itself (lstat, readlink). */
  linkPath(rel: string): string {
    return this.pathOf(rel, false);
  }

  /**
   * Like path(), or null under a tree when resolving `rel` found one of its components missing: a
   * reading looks for many files that are not there, and each open or listing that fails costs an
   * exception (about 50 k instructions). On `/` the kernel resolves paths itself: never null.
   */
  presentPath(rel: string): string | null {
    if (this.isSystem || isAbsolute(rel)) return this.path(rel);
    const found = this.walk(rel, true);
    return found.absent ? null : found.abs;
  }

  private pathOf(rel: string, followLast: boolean): string {
    if (isAbsolute(rel)) throw new Error(`internal: path ${rel} must be relative to the root`);
    if (this.isSystem) return isNormal(rel) ? `/${rel}` : join('/', rel);
    return this.walk(rel, followLast).abs;
  }

  /**
   * The absolute path of `rel` once every link in it is resolved inside the tree, and whether lstat
   * found one of its components missing (ENOENT; any other error leaves that to the open). The path
   * grows one component at a time on a string: the first screen resolves about 40 paths, and an
   * array and a joined string per component were a tenth of what it allocates.
   */
  private walk(rel: string, followLast: boolean): { abs: string; absent: boolean } {
    const top = this.base.endsWith('/') ? this.base.slice(0, -1) : this.base;
    const done: string[] = [];
    let at = top; // top and `done`, joined
    let todo = rel.split('/');
    let i = 0;
    let links = 0;
    while (i < todo.length) {
      const c = todo[i++]!;
      if (c === '' || c === '.') continue;
      if (c === '..') {
        if (done.pop() !== undefined) at = at.slice(0, at.lastIndexOf('/'));
        continue;
      }
      const abs = `${at}/${c}`;
      const isLink = this.isLinkAt(abs);
      if (isLink === undefined || isLink === ABSENT) {
        // Missing (or not a directory): nothing below can be a link; the caller's open or mkdir says why.
        done.push(c);
        for (const rest of todo.slice(i)) {
          if (rest === '..') done.pop();
          else if (rest !== '' && rest !== '.') done.push(rest);
        }
        return { abs: under(this.base, done), absent: isLink === ABSENT };
      }
      if (!isLink || (!followLast && onlyDots(todo, i))) {
        done.push(c);
        at = abs;
        continue;
      }
      if (++links > MAX_LINKS) throw errnoError('ELOOP', `too many levels of symbolic links in ${rel}`);
      const target = readlinkSync(abs);
      if (target.startsWith('/')) {
        done.length = 0;
        at = top;
      }
      todo = [...target.split('/'), ...todo.slice(i)];
      i = 0;
    }
    return { abs: done.length === 0 ? this.base : at, absent: false };
  }

  /** Whether abs is a symbolic link; ABSENT when it does not exist, undefined when it cannot be looked at. */
  private isLinkAt(abs: string): LinkAnswer {
    const answers = this.#linkAnswers;
    if (answers?.has(abs)) return answers.get(abs);
    let isLink: LinkAnswer;
    try {
      // No exception for a missing component: the status screen looks for many files that are not there.
      isLink = lstatSync(abs, { throwIfNoEntry: false })?.isSymbolicLink() ?? ABSENT;
    } catch {
      isLink = undefined;
    }
    answers?.set(abs, isLink);
    return isLink;
  }

  /**
   * Root-relative path of the file `rel` names once its links are resolved (the file a write
   * replaces: writing through a symlinked file changes its target, never the link).
   */
  target(rel: string): string {
    if (!this.isSystem) return this.relative(this.path(rel));
    try {
      if (!lstatSync(join('/', rel)).isSymbolicLink()) return posix.normalize(rel);
      return this.relative(realpathSync(join('/', rel)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return posix.normalize(rel);
      throw e;
    }
  }

  /**
   * Creates the directory `rel` and any missing parent, one component at a time inside the tree (so
   * the error is the real one: EROFS, ENOSPC, EACCES, not the ENOENT a recursive mkdir reports).
   * Returns its absolute path.
   */
  mkdirs(rel: string, mode = 0o755): string {
    const abs = this.path(rel);
    const top = this.isSystem ? '/' : this.base;
    const parts = abs.slice(top.length).split('/').filter(Boolean);
    let cur = top;
    for (const p of parts) {
      cur = join(cur, p);
      try {
        mkdirSync(cur, { mode });
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
    }
    return abs;
  }

  /** Root-relative form of an absolute path inside the root. */
  relative(abs: string): string {
    for (const top of new Set([this.base, this.dir])) {
      if (abs === top) return '';
      const prefix = top.endsWith('/') ? top : top + '/';
      if (abs.startsWith(prefix)) return abs.slice(prefix.length);
    }
    throw new Error(`path ${abs} is outside the root ${this.dir}`);
  }
}
