// `ttyconf console enable|disable`: put ttyconf on a terminal and give the terminal back.
//
// Compute, then execute: the plan (links to create, replace or remove under a root) is pure; the
// executor applies it path by path (each change an atomic rename) and undoes what it did if one fails.
// Before the first change, enable records what every path held in var/lib/ttyconf/console/<tty>.json,
// so disable puts back exactly that, even after an interrupted enable.
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsyncPath, renameInto, tempPathBeside, writeFileAtomic } from '../files/atomicWrite.js';
import type { Root } from '../files/root.js';
import { type Result, err, ok } from '../model/result.js';
import type { Tty } from './tty.js';
import type { Via } from './via.js';
import { CONSOLE_STATE_DIR, type DesiredLink, ETC_UNITS, SERIAL_DROPIN_NAME, SERIAL_DROPIN_SOURCE, TEMPLATE, UNIT_DIRS, unitName } from './units.js';

/** What a path holds. `other` (a directory, a device...) is never touched. */
export type PathState =
  | { readonly kind: 'absent' }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'file'; readonly mode: number; readonly uid: number; readonly gid: number; readonly base64: string }
  | { readonly kind: 'other'; readonly what: string };

export interface Op {
  readonly path: string;
  readonly from: PathState;
  readonly to: PathState;
  readonly why: string;
}

/** One path enable changed: what it held before and what enable left there. */
export interface Change {
  readonly path: string;
  readonly before: PathState;
  readonly after: PathState;
}

export interface ConsoleRecord {
  readonly version: 1;
  readonly tty: string;
  readonly kind: Tty['kind'];
  readonly changes: readonly Change[];
  /** Directories enable created (deepest last); disable removes them when they are empty again. */
  readonly createdDirs: readonly string[];
  /** Getty units that were running when enable ran on the live system (null: offline). */
  readonly wasActive: readonly string[] | null;
  /** How ttyconf is on the terminal (absent in older records: its own unit). See via.ts. */
  readonly via?: Via;
  /** --via autologin: what ttyconf added for its account, so disable removes exactly that. */
  readonly account?: { readonly created: boolean; readonly shellListed: boolean };
}

export const ABSENT: PathState = { kind: 'absent' };

export function sameState(a: PathState, b: PathState): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'absent':
      return true;
    case 'symlink':
      return a.target === (b as typeof a).target;
    case 'file': {
      const f = b as typeof a;
      return a.base64 === f.base64 && a.mode === f.mode;
    }
    case 'other':
      return false;
  }
}

export function describeState(s: PathState): string {
  switch (s.kind) {
    case 'absent':
      return 'nothing';
    case 'symlink':
      return s.target === '/dev/null' ? 'a mask (link to /dev/null)' : `a link to ${s.target}`;
    case 'file':
      return `a file (mode ${s.mode.toString(8).padStart(4, '0')})`;
    case 'other':
      return s.what;
  }
}

// ---------------------------------------------------------------------------------------------
// Pure planning

export interface EnablePlan {
  readonly ops: readonly Op[];
  /** Paths that hold something enable must not replace (a directory...), with the reason. */
  readonly refused: readonly string[];
}

export function planEnable(desired: readonly DesiredLink[], current: ReadonlyMap<string, PathState>): EnablePlan {
  const ops: Op[] = [];
  const refused: string[] = [];
  for (const d of desired) {
    const from = current.get(d.path) ?? ABSENT;
    const to: PathState = { kind: 'symlink', target: d.target };
    if (from.kind === 'other') refused.push(`${d.path} is ${from.what}; ttyconf replaces only links and files there`);
    else if (!sameState(from, to)) ops.push({ path: d.path, from, to, why: d.why });
  }
  return { ops, refused };
}

/** The record after enable: earlier records keep their `before` (the state from the very first enable). */
export function mergeRecord(prior: ConsoleRecord | null, tty: Tty, ops: readonly Op[], createdDirs: readonly string[], wasActive: readonly string[] | null): ConsoleRecord {
  const changes = new Map<string, Change>((prior?.changes ?? []).map((c) => [c.path, c]));
  for (const op of ops) changes.set(op.path, { path: op.path, before: changes.get(op.path)?.before ?? op.from, after: op.to });
  const dirs = [...(prior?.createdDirs ?? [])];
  for (const d of createdDirs) if (!dirs.includes(d)) dirs.push(d);
  return { version: 1, tty: tty.name, kind: tty.kind, changes: [...changes.values()], createdDirs: dirs, wasActive: prior?.wasActive ?? wasActive };
}

export interface DisablePlan {
  readonly ops: readonly Op[];
  /** Paths changed by someone else since enable: left as they are, with the reason. */
  readonly skipped: readonly string[];
}

/** Restores each path enable changed, unless it no longer holds what enable left there. */
export function planDisable(record: ConsoleRecord, current: ReadonlyMap<string, PathState>): DisablePlan {
  const ops: Op[] = [];
  const skipped: string[] = [];
  for (const c of record.changes) {
    const now = current.get(c.path) ?? ABSENT;
    if (sameState(now, c.before)) continue;
    if (sameState(now, c.after)) ops.push({ path: c.path, from: now, to: c.before, why: `restore ${c.path}` });
    else skipped.push(`${c.path} now holds ${describeState(now)}, not what enable left (${describeState(c.after)}): left as it is`);
  }
  return { ops, skipped };
}

/** The links that are ttyconf's alone (not the masks). */
export function ownLinks(tty: Tty): string[] {
  return [`${ETC_UNITS}/getty.target.wants/${unitName(tty)}`, `${ETC_UNITS}/${unitName(tty)}.d/${SERIAL_DROPIN_NAME}`];
}

/** Without a record: remove only ttyconf's own links (the masks may not be ours to lift). */
export function planDisableUnrecorded(tty: Tty, current: ReadonlyMap<string, PathState>): Op[] {
  return ownLinks(tty).flatMap((path) => {
    const from = current.get(path) ?? ABSENT;
    return from.kind === 'symlink' ? [{ path, from, to: ABSENT, why: `remove ${path}` }] : [];
  });
}

// ---------------------------------------------------------------------------------------------
// Reading and executing

export async function readPathState(root: Root, rel: string): Promise<PathState> {
  const abs = root.linkPath(rel);
  let st;
  try {
    st = await fs.lstat(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return ABSENT;
    throw e;
  }
  if (st.isSymbolicLink()) return { kind: 'symlink', target: await fs.readlink(abs) };
  if (st.isFile()) return { kind: 'file', mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, base64: (await fs.readFile(abs)).toString('base64') };
  return { kind: 'other', what: st.isDirectory() ? 'a directory' : 'a special file' };
}

export async function readPathStates(root: Root, paths: Iterable<string>): Promise<Map<string, PathState>> {
  const m = new Map<string, PathState>();
  for (const p of paths) m.set(p, await readPathState(root, p));
  return m;
}

/** The directories (root-relative, outermost first) that must be created to hold `paths`. */
export async function missingDirs(root: Root, paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    const chain: string[] = [];
    for (let d = dirname(p); d !== '.' && d !== '/'; d = dirname(d)) chain.unshift(d);
    for (const d of chain) {
      if (out.includes(d)) continue;
      const exists = await fs.lstat(root.linkPath(d)).then(() => true, () => false);
      if (!exists) out.push(d);
    }
  }
  return out;
}

export interface ApplyHooks {
  /** Runs after each path is in place (restorecon where SELinux is on). */
  readonly relabel?: (absPath: string) => Promise<void>;
  /** Test seam: called before each change; throwing simulates a failure there. */
  readonly beforeChange?: (op: Op) => void | Promise<void>;
}

/** Makes one path hold `to`, atomically (temp beside it, then rename). */
async function put(root: Root, rel: string, to: PathState, hooks: ApplyHooks): Promise<void> {
  const abs = root.linkPath(rel);
  if (to.kind === 'other') throw new Error(`internal: cannot recreate ${describeState(to)} at ${rel}`);
  if (to.kind === 'absent') {
    await fs.rm(abs, { force: true });
    await fsyncPath(dirname(abs));
    return;
  }
  await fs.mkdir(dirname(abs), { recursive: true, mode: 0o755 });
  if (to.kind === 'file') {
    await writeFileAtomic(abs, Buffer.from(to.base64, 'base64'), { mode: to.mode, owner: { uid: to.uid, gid: to.gid } });
  } else {
    const tmp = tempPathBeside(abs);
    await fs.symlink(to.target, tmp);
    await renameInto(tmp, abs);
  }
  await hooks.relabel?.(abs);
}

export interface ApplyError {
  readonly path: string;
  readonly cause: string;
  /** Paths that could not be put back after the failure (empty: all as before). */
  readonly unrestored: readonly string[];
}

/** Applies the ops in order; on a failure puts back every path already changed. */
export async function applyOps(root: Root, ops: readonly Op[], hooks: ApplyHooks = {}): Promise<Result<void, ApplyError>> {
  const done: Op[] = [];
  for (const op of ops) {
    try {
      await hooks.beforeChange?.(op);
      await put(root, op.path, op.to, hooks);
      done.push(op);
    } catch (e) {
      const unrestored: string[] = [];
      for (const d of done.reverse()) {
        await put(root, d.path, d.from, hooks).catch(() => unrestored.push(d.path));
      }
      return err({ path: op.path, cause: errorText(e), unrestored });
    }
  }
  return ok(undefined);
}

/** Removes the directories, deepest first, that are empty. */
export async function removeEmptyDirs(root: Root, dirs: readonly string[]): Promise<void> {
  for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
    await fs.rmdir(root.linkPath(d)).catch(() => undefined);
  }
}

export function errorText(e: unknown): string {
  const x = e as NodeJS.ErrnoException;
  return x?.code ? `${x.code}: ${x.message}` : String((e as Error)?.message ?? e);
}

// ---------------------------------------------------------------------------------------------
// The record

const SAFE_UNIT_PATH = /^etc\/systemd\/system\/[^/]+(\/[^/]+)?$/;
const SAFE_DIR = /^(etc|var)(\/[^/]+)*$/;

export const recordPath = (tty: Tty): string => `${CONSOLE_STATE_DIR}/${tty.name}.json`;

export async function readRecord(root: Root, tty: Tty): Promise<Result<ConsoleRecord | null, string>> {
  let text: string;
  try {
    text = await fs.readFile(root.path(recordPath(tty)), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return ok(null);
    return err(`cannot read ${recordPath(tty)}: ${errorText(e)}`);
  }
  try {
    const r = JSON.parse(text) as ConsoleRecord;
    if (r.version !== 1 || r.tty !== tty.name || !Array.isArray(r.changes) || !Array.isArray(r.createdDirs)) throw new Error('not a ttyconf console record');
    // The record names paths to restore: only ever under /etc/systemd/system (and its own directories).
    const unsafe = (re: RegExp) => (p: unknown): boolean => typeof p !== 'string' || !re.test(p) || p.split('/').includes('..');
    const bad = [...r.changes.map((c) => c.path).filter(unsafe(SAFE_UNIT_PATH)), ...r.createdDirs.filter(unsafe(SAFE_DIR))];
    if (bad.length > 0) throw new Error(`it names paths ttyconf never changes: ${bad.join(', ')}`);
    return ok(r);
  } catch (e) {
    return err(`${recordPath(tty)} is damaged (${errorText(e)}); fix or remove it by hand`);
  }
}

export async function writeRecord(root: Root, tty: Tty, record: ConsoleRecord): Promise<void> {
  const content = Buffer.from(JSON.stringify(record, null, 2) + '\n').toString('base64');
  await put(root, recordPath(tty), { kind: 'file', mode: 0o600, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, base64: content }, {});
}

// ---------------------------------------------------------------------------------------------
// Finding the units under the root

/** The directory (root-relative) holding ttyconf@.service, or null when the package is not installed there. */
export async function findTemplateDir(root: Root): Promise<string | null> {
  for (const d of UNIT_DIRS) {
    const s = await readPathState(root, `${d}/${TEMPLATE}`);
    if (s.kind === 'file' || s.kind === 'symlink') return d;
  }
  return null;
}

export async function serialDropinInstalled(root: Root): Promise<boolean> {
  return (await readPathState(root, SERIAL_DROPIN_SOURCE)).kind !== 'absent';
}
