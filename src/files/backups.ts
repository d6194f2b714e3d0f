// Reading the backups that every commit leaves under var/lib/ttyconf/backups/<ID>/ (manifest.json
// plus the old files under files/), for `ttyconf backups` and restores. A manifest is data from disk:
// anyone with root could have edited it, so every path it names is checked before a restore reads or
// writes anything: only the network files ttyconf manages, no `..`, no symbolic links on the way.
import * as fs from 'node:fs/promises';
import { join } from 'node:path';
import { type Result, err, ok } from '../model/result.js';
import type { BackupEntry, ChangeNote } from './commit.js';
import { classifyIfcfgName } from './ifcfg.js';
import { PATHS, type Root } from './root.js';

/** A backup's ID is its folder's name: the UTC time of the change and 4 random hex digits. */
export const BACKUP_ID = /^\d{8}-\d{6}-[0-9a-f]{4}$/;

export interface Backup {
  readonly id: string;
  /** Root-relative folder. */
  readonly dir: string;
  /** ISO time the change was made. */
  readonly created: string;
  /** Who made the change and what it was; null for backups written before ttyconf recorded it. */
  readonly change: ChangeNote | null;
  readonly files: readonly BackupEntry[];
}

export interface DamagedBackup {
  readonly id: string;
  readonly reason: string;
}

/** Files outside the network settings that also go through the commit (the first-boot root password). */
const NOT_NETWORK = new Set(['etc/shadow']);

const SINGLE_FILES = new Set<string>([PATHS.resolvConf, PATHS.hostname, PATHS.hosts, PATHS.sysconfigNetwork]);
const KEYFILES = 'etc/NetworkManager/system-connections';

/** The files a restore may write: the ones ttyconf edits, and nothing else. */
export function isManagedPath(rel: string): boolean {
  if (SINGLE_FILES.has(rel)) return true;
  const slash = rel.lastIndexOf('/');
  const dir = rel.slice(0, slash);
  const name = rel.slice(slash + 1);
  if (!/^[A-Za-z0-9._:@+-]+$/.test(name) || name.startsWith('.')) return false;
  if (dir === PATHS.networkScripts) return classifyIfcfgName(name) === 'profile' || isRouteFileName(name);
  return dir === KEYFILES && name.endsWith('.nmconnection');
}

/** route-NAME: the IPv4 routes of the profile ifcfg-NAME (backup leftovers such as .bak do not count). */
export function isRouteFileName(name: string): boolean {
  return name.startsWith('route-') && name.length > 'route-'.length && classifyIfcfgName(`ifcfg-${name.slice('route-'.length)}`) === 'profile';
}

function pathProblem(p: unknown): string | null {
  if (typeof p !== 'string' || p === '') return `a path that is not a string: ${JSON.stringify(p)}`;
  if (p.startsWith('/')) return `an absolute path "${p}"`;
  if (p.split('/').some((s) => s === '..' || s === '.' || s === '')) return `the path "${p}", which has "..", "." or an empty part`;
  if (!isManagedPath(p)) return `"${p}", which is not one of the network files ttyconf manages`;
  return null;
}

const isNote = (c: unknown): c is ChangeNote => {
  const n = c as ChangeNote;
  return typeof n === 'object' && n !== null && ['change', 'restore', 'reset'].includes(n.kind) && typeof n.user === 'string' &&
    (n.tty === null || typeof n.tty === 'string') && Array.isArray(n.summary) &&
    n.summary.every((s) => typeof s?.field === 'string' && typeof s.old === 'string' && typeof s.new === 'string');
};

/** Parses and checks one manifest; `null` for a backup that holds no network files (a password change). */
export function parseManifest(id: string, text: string): Result<Backup | null, string> {
  let m: { created?: unknown; change?: unknown; files?: unknown };
  try {
    m = JSON.parse(text) as typeof m;
  } catch (e) {
    return err(`its manifest.json is not JSON (${(e as Error).message})`);
  }
  if (typeof m !== 'object' || m === null || !Array.isArray(m.files)) return err('its manifest.json has no list of files');
  const files: BackupEntry[] = [];
  const problems: string[] = [];
  for (const f of m.files as unknown[]) {
    const e = f as BackupEntry;
    if (typeof e !== 'object' || e === null || typeof e.existed !== 'boolean') {
      problems.push(`an entry that is not a file record: ${JSON.stringify(f)}`);
      continue;
    }
    if (typeof e.path === 'string' && NOT_NETWORK.has(e.path)) continue;
    const problem = pathProblem(e.path);
    if (problem) problems.push(problem);
    else if (files.some((x) => x.path === e.path)) problems.push(`"${e.path}" twice`);
    else files.push({ path: e.path, existed: e.existed, ...(typeof e.mode === 'number' ? { mode: e.mode & 0o7777 } : {}) });
  }
  if (problems.length) return err(`its manifest.json names ${problems.join('; ')}`);
  if (files.length === 0 && (m.files as unknown[]).length > 0) return ok(null);
  const created = typeof m.created === 'string' && !Number.isNaN(Date.parse(m.created)) ? m.created : idTime(id);
  return ok({ id, dir: join(PATHS.backups, id), created, change: isNote(m.change) ? m.change : null, files });
}

/** The time in an ID (20261204-152000-ab12 -> 2026-12-04T15:20:00Z). */
function idTime(id: string): string {
  const d = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(id)!;
  return `${d[1]}-${d[2]}-${d[3]}T${d[4]}:${d[5]}:${d[6]}.000Z`;
}

/** Why `rel` under the root cannot be trusted as a plain path (a symbolic link on the way), or null. */
export async function linkOnTheWay(root: Root, rel: string): Promise<string | null> {
  const parts = rel.split('/');
  for (let i = 1; i <= parts.length; i++) {
    const sub = parts.slice(0, i).join('/');
    try {
      // The components before this one are known to be no links, so linkPath is the path as written.
      const abs = root.linkPath(sub);
      const st = await fs.lstat(abs);
      if (st.isSymbolicLink()) return `${sub} is a symbolic link (to ${await fs.readlink(abs).catch(() => '?')})`;
      if (i < parts.length && !st.isDirectory()) return `${sub} is not a directory`;
      if (i === parts.length && !st.isFile()) return `${sub} is not a regular file`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  }
  return null;
}

/** Every backup, newest first; damaged ones (unreadable or tampered manifests) apart, with the reason. */
export async function listBackups(root: Root): Promise<{ backups: Backup[]; damaged: DamagedBackup[] }> {
  let names: string[];
  try {
    names = await fs.readdir(root.path(PATHS.backups));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { backups: [], damaged: [] };
    throw e;
  }
  const backups: Backup[] = [];
  const damaged: DamagedBackup[] = [];
  for (const id of names.filter((n) => BACKUP_ID.test(n)).sort().reverse()) {
    const r = await readBackup(root, id);
    if (!r.ok) damaged.push({ id, reason: r.error });
    else if (r.value) backups.push(r.value);
  }
  // Two changes in the same second have IDs in random order: the manifest's time (ms) decides.
  backups.sort((a, b) => (a.created === b.created ? (a.id < b.id ? 1 : -1) : a.created < b.created ? 1 : -1));
  return { backups, damaged };
}

/** One backup by ID, checked; null when it holds no network files. */
export async function readBackup(root: Root, id: string): Promise<Result<Backup | null, string>> {
  if (!BACKUP_ID.test(id)) return err(`"${id}" is not a backup ID (they look like 20261204-152000-ab12: see "ttyconf backups")`);
  const dir = join(PATHS.backups, id);
  const link = await linkOnTheWay(root, join(dir, 'manifest.json'));
  if (link) return err(`backup ${id} cannot be trusted: ${link}`);
  let text: string;
  try {
    text = await fs.readFile(root.path(join(dir, 'manifest.json')), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      const exists = await fs.lstat(root.path(dir)).then(() => true, () => false);
      return err(exists ? `backup ${id} has no manifest.json` : `there is no backup ${id} (see "ttyconf backups")`);
    }
    return err(`cannot read backup ${id}: ${code ?? (e as Error).message}`);
  }
  const m = parseManifest(id, text);
  return m.ok ? m : err(`backup ${id} cannot be trusted: ${m.error}`);
}

/** The old bytes of one file of a backup: a regular file reached without symbolic links. */
export async function readBackedUpFile(root: Root, b: Backup, path: string): Promise<Result<Buffer, string>> {
  const rel = join(b.dir, 'files', path);
  const link = await linkOnTheWay(root, rel);
  if (link) return err(`backup ${b.id} cannot be trusted: ${link}`);
  try {
    return ok(await fs.readFile(root.path(rel)));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return err(`backup ${b.id} is missing its copy of ${path}${code === 'ENOENT' ? '' : ` (${code})`}`);
  }
}
