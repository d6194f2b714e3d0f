// NetworkManager's keyfile store as NM sees it: which files it reads (directories, names,
// permissions), which profile owns each device, and which store a new profile goes to.
import { lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isDemoKernelFile } from '../model/ifname.js';
import type { NewProfileStore, Profile, ProfileStore, Warning } from '../model/state.js';
import { KeyFile } from './keyfile.js';
import { nmConfFiles } from './nmConf.js';
import { isProfileKeyfile, readKeyfileProfile } from './nmProfile.js';
import type { Root } from './root.js';
import { listRootDir, readRootFile } from './safeRead.js';
import { ShellVarsFile } from './shellVars.js';

/** Keyfile directories, in the order NetworkManager lets one shadow another (same UUID): run > etc > lib. */
export const KEYFILE_DIRS = {
  etc: 'etc/NetworkManager/system-connections',
  lib: 'usr/lib/NetworkManager/system-connections',
  run: 'run/NetworkManager/system-connections',
} as const;
type DirKind = keyof typeof KEYFILE_DIRS;
const SHADOW_RANK: Record<DirKind, number> = { run: 3, etc: 2, lib: 1 };

/**
 * Names NetworkManager never reads: hidden files, backups (`~`), temp files (`.XXXXXX`), certificates;
 * outside /etc only `*.nmconnection` counts.
 */
export function keyfileNameIgnored(name: string, dir: DirKind): boolean {
  if (name.startsWith('.') || name.endsWith('~')) return true;
  if (/\.[A-Za-z0-9]{6}$/.test(name) && !name.endsWith('.nmconnection')) return true;
  if (/\.(pem|der)$/i.test(name)) return true;
  return dir !== 'etc' && !name.endsWith('.nmconnection');
}

function listDir(root: Root, rel: string): string[] {
  try {
    return listRootDir(root, rel);
  } catch {
    return [];
  }
}

function readText(root: Root, rel: string): Buffer | null {
  const read = readRootFile(root, rel);
  return read.kind === 'file' ? read.data : null;
}

function isLink(root: Root, rel: string): boolean {
  try {
    return lstatSync(root.linkPath(rel)).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The interfaces under the root's sys/class/net: name -> MAC (lower case). */
export function readMacs(root: Root): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of listDir(root, 'sys/class/net')) {
    if (isDemoKernelFile(name)) continue;
    const mac = readText(root, join('sys/class/net', name, 'address'))?.toString('utf8').trim().toLowerCase();
    if (mac) out.set(name, mac);
  }
  return out;
}

export interface KeyfilesRead {
  readonly profiles: Profile[];
  readonly files: Map<string, Buffer>;
  readonly warnings: Warning[];
  /** Devices configured by a keyfile NetworkManager ignores or cannot read. */
  readonly blocked: Map<string, Warning>;
}

const octal = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/** Reads every keyfile NetworkManager would read under the root (Ethernet and VLAN profiles only become profiles). */
export function readKeyfiles(root: Root, macs: ReadonlyMap<string, string>): KeyfilesRead {
  const profiles: (Profile & { rank: number })[] = [];
  const files = new Map<string, Buffer>();
  const warnings: Warning[] = [];
  const blocked = new Map<string, Warning>();
  const deviceForMac = (mac: string): string | null => [...macs].find(([, m]) => m === mac)?.[0] ?? null;
  const etcNames = new Set(listDir(root, KEYFILE_DIRS.etc));
  const ownUid = process.getuid?.() ?? 0;

  for (const kind of ['etc', 'lib', 'run'] as const) {
    const dir = KEYFILE_DIRS[kind];
    for (const name of listDir(root, dir)) {
      if (keyfileNameIgnored(name, kind)) continue;
      const rel = join(dir, name);
      // NetworkManager follows a symlink to a regular file; under --root, Root resolves it inside the tree.
      const read = readRootFile(root, rel);
      if (read.kind === 'missing') {
        if (isLink(root, rel)) warnings.push({ file: rel, message: 'a symlink to a file that is not there (under --root, links resolve inside the tree): not read' });
        continue;
      }
      if (read.kind === 'unreadable') {
        warnings.push({ file: rel, message: `${read.reason}: not read` });
        continue;
      }
      let st;
      try {
        st = statSync(root.path(rel));
      } catch {
        continue;
      }
      const buf = read.data;
      files.set(rel, buf);
      const rawDevice = /^[ \t]*interface-name[ \t]*=[ \t]*(\S+)/m.exec(buf.toString('latin1'))?.[1];
      const block = (w: Warning): void => {
        warnings.push(w);
        if (rawDevice && !blocked.has(rawDevice)) blocked.set(rawDevice, w);
      };
      const parsed = KeyFile.fromBuffer(buf);
      if (!parsed.ok) {
        block({ file: rel, line: parsed.error.line, message: `NetworkManager cannot read this keyfile: ${parsed.error.message}` });
        continue;
      }
      // NetworkManager ignores a keyfile that others may read or that root does not own.
      if ((st.mode & 0o077) !== 0) {
        block({ file: rel, message: `NetworkManager ignores this keyfile: its permissions (${octal(st.mode)}) are insecure; it needs mode 0600 (chmod 600 it: ttyconf does not change it)` });
        continue;
      }
      if (st.uid !== 0 && !(st.uid === ownUid && !root.isSystem)) {
        block({ file: rel, message: `NetworkManager ignores this keyfile: it is owned by uid ${st.uid}, not root` });
        continue;
      }
      const doc = parsed.value;
      if (!isProfileKeyfile(doc)) continue;
      const r = readKeyfileProfile(rel, doc, deviceForMac);
      warnings.push(...r.warnings);
      if (!r.profile) continue;
      let p: Profile = r.profile;
      if (kind === 'run') {
        p = { ...p, readOnly: p.readOnly ?? 'it is a runtime profile in /run: NetworkManager forgets it at reboot, and ttyconf does not write /run' };
      } else if (kind === 'lib') {
        const copy = join(KEYFILE_DIRS.etc, name);
        p = etcNames.has(name)
          ? { ...p, readOnly: p.readOnly ?? `it is a read-only profile in /usr/lib, and its copy in /etc cannot go to ${copy}: another file has that name` }
          : { ...p, editPath: copy };
      }
      profiles.push({ ...p, rank: SHADOW_RANK[kind] });
    }
  }
  // Same UUID in several directories: NetworkManager uses the one in /run, else /etc, else /usr/lib.
  const kept = profiles.filter((p) => !p.uuid || !profiles.some((q) => q !== p && q.uuid === p.uuid && q.rank > p.rank));
  return { profiles: kept.map(({ rank: _rank, ...p }) => p), files, warnings, blocked };
}

export interface Release {
  readonly id: string;
  readonly like: readonly string[];
  readonly major: number | null;
  readonly pretty: string;
}

/** /etc/os-release (or /usr/lib/os-release), or null. */
export function readRelease(root: Root): Release | null {
  const buf = readText(root, 'etc/os-release') ?? readText(root, 'usr/lib/os-release');
  if (!buf) return null;
  const f = ShellVarsFile.fromBuffer(buf);
  const id = (f.get('ID') ?? '').toLowerCase();
  const major = Number.parseInt(f.get('VERSION_ID') ?? '', 10);
  return {
    id,
    like: (f.get('ID_LIKE') ?? '').toLowerCase().split(/\s+/).filter(Boolean),
    major: Number.isFinite(major) ? major : null,
    pretty: f.get('PRETTY_NAME') || `${id} ${f.get('VERSION_ID') ?? ''}`.trim(),
  };
}

const isFedora = (r: Release): boolean => r.id === 'fedora';
const isEl = (r: Release): boolean => !isFedora(r) && (['rhel', 'centos', 'rocky', 'almalinux', 'ol'].includes(r.id) || r.like.includes('rhel') || r.like.includes('fedora'));

/** True on a release whose NetworkManager has no ifcfg-rh plugin (EL10 and later). */
export function ifcfgIgnored(release: Release | null): boolean {
  return release !== null && isEl(release) && release.major !== null && release.major >= 10;
}

/** `plugins=` of NetworkManager's configuration files (later files override; `plugins+=`/`plugins-=` adjust). */
export function readNmPlugins(root: Root): { plugins: string[] | null; file: string | null; warnings: Warning[] } {
  const warnings: Warning[] = [];
  // NetworkManager's own reading order (nmConf.ts): conf.d of /usr/lib and /run, NetworkManager.conf, /etc's conf.d.
  const order = nmConfFiles((rel) => listDir(root, rel));
  let plugins: string[] | null = null;
  let file: string | null = null;
  for (const rel of order) {
    const buf = readText(root, rel);
    if (!buf) continue;
    const r = KeyFile.fromBuffer(buf);
    if (!r.ok) {
      warnings.push({ file: rel, line: r.error.line, message: `NetworkManager cannot read this file: ${r.error.message}` });
      continue;
    }
    const split = (v: string | undefined): string[] | null => (v === undefined ? null : v.split(/[,;]/).map((s) => s.trim()).filter(Boolean));
    const set = split(r.value.get('main', 'plugins'));
    const add = split(r.value.get('main', 'plugins+'));
    const del = split(r.value.get('main', 'plugins-'));
    if (set) plugins = set;
    if (add) plugins = [...(plugins ?? []), ...add.filter((p) => !(plugins ?? []).includes(p))];
    if (del) plugins = (plugins ?? []).filter((p) => !del.includes(p));
    if (set || add || del) file = rel;
  }
  return { plugins, file, warnings };
}

/** Where NetworkManager would store a new profile on this root. */
export function chooseNewStore(root: Root, hasKeyfiles: boolean, hasIfcfg: boolean, release: Release | null): NewProfileStore & { warnings: Warning[] } {
  const conf = readNmPlugins(root);
  if (conf.plugins && !ifcfgIgnored(release)) {
    const first = conf.plugins.find((p) => p === 'keyfile' || p === 'ifcfg-rh');
    const store: ProfileStore = first === 'ifcfg-rh' ? 'ifcfg' : 'keyfile';
    return { store, why: `plugins=${conf.plugins.join(',')} in ${conf.file}: NetworkManager stores new profiles with the first plugin (${first ?? 'keyfile, always there'})`, warnings: conf.warnings };
  }
  if (release && (isEl(release) || isFedora(release)) && release.major !== null) {
    const keyfile = isFedora(release) ? release.major >= 33 : release.major >= 9;
    return {
      store: keyfile ? 'keyfile' : 'ifcfg',
      why: `${release.pretty}: ${keyfile ? 'NetworkManager keyfiles are the default for new profiles' : 'ifcfg files are the default'}`,
      warnings: conf.warnings,
    };
  }
  if (hasKeyfiles && !hasIfcfg) return { store: 'keyfile', why: 'no os-release and no plugins= setting; the existing profiles are keyfiles', warnings: conf.warnings };
  return { store: 'ifcfg', why: 'no os-release and no plugins= setting: ifcfg files (CentOS 7 and 8)', warnings: conf.warnings };
}

/**
 * Which profile owns each device, as NetworkManager picks among profiles that could all activate:
 * the highest autoconnect-priority first, then the most recently used, then the store NM lists
 * first, then the file name.
 * Unbound profiles go to a device that no other profile names. Returns the profiles with their
 * device filled in and a warning for each device with more than one candidate.
 */
export function chooseOwners(profiles: readonly Profile[], devices: readonly string[], storeOrder: readonly ProfileStore[], ignoreIfcfg: boolean, lastUsed: ReadonlyMap<string, number> = new Map()): { profiles: Profile[]; owners: Map<string, string>; warnings: Warning[] } {
  const warnings: Warning[] = [];
  const bound = new Set(profiles.filter((p) => p.device !== '' && !(ignoreIfcfg && p.store === 'ifcfg')).map((p) => p.device));
  const free = devices.filter((d) => !bound.has(d));
  const all = profiles.map((p) => {
    if (p.device !== '' || p.binding === 'mac') return p;
    const d = free.shift();
    return d ? { ...p, device: d } : p;
  });
  const owners = new Map<string, string>();
  for (const k of all.filter((p) => p.store === 'keyfile' && p.uuid)) {
    const twin = all.find((p) => p.store === 'ifcfg' && p.uuid?.toLowerCase() === k.uuid!.toLowerCase());
    if (twin) warnings.push({ file: k.file, message: `${k.file} and ${twin.file} have the same UUID ${k.uuid}: NetworkManager loads only one of them (remove one, or migrate with nmcli connection migrate)` });
  }
  const byDevice = new Map<string, Profile[]>();
  for (const p of all) {
    if (p.device === '') continue;
    if (ignoreIfcfg && p.store === 'ifcfg') {
      warnings.push({ file: p.file, message: `NetworkManager on this release has no ifcfg plugin: ${p.file} has no effect on ${p.device}` });
      continue;
    }
    byDevice.set(p.device, [...(byDevice.get(p.device) ?? []), p]);
  }
  const rank = (s: ProfileStore): number => (storeOrder.indexOf(s) + 1 || 99);
  const used = (p: Profile): number => Math.max(p.lastUsed ?? 0, (p.uuid && lastUsed.get(p.uuid.toLowerCase())) || 0);
  for (const [device, list] of byDevice) {
    const sorted = [...list].sort((a, b) => Number(b.onboot) - Number(a.onboot) || b.priority - a.priority || used(b) - used(a) ||
      rank(a.store) - rank(b.store) || a.file.localeCompare(b.file));
    const owner = sorted[0]!;
    owners.set(device, owner.file);
    const rivals = sorted.filter((p) => p.onboot);
    if (rivals.length > 1) {
      warnings.push({
        file: owner.file,
        message: `${device} has ${rivals.length} profiles that NetworkManager could activate (${rivals.map((p) => p.file).join(', ')}): ` +
          `it picks the highest autoconnect-priority, then the most recently used; ttyconf edits ${owner.file}`,
      });
    }
  }
  return { profiles: all, owners, warnings };
}

/** NetworkManager's record of when each profile was last active: /var/lib/NetworkManager/timestamps (UUID -> seconds). */
export function readTimestamps(root: Root): Map<string, number> {
  const out = new Map<string, number>();
  const buf = readText(root, 'var/lib/NetworkManager/timestamps');
  const r = buf ? KeyFile.fromBuffer(buf) : null;
  if (!r?.ok) return out;
  for (const e of r.value.entries()) {
    const n = Number.parseInt(e.raw, 10);
    if (e.group === 'timestamps' && n > 0) out.set(e.key.toLowerCase(), n);
  }
  return out;
}

export interface Discovery {
  readonly profiles: Profile[];
  readonly owners: Map<string, string>;
  readonly blocked: Map<string, Warning>;
  readonly newStore: NewProfileStore;
  readonly files: Map<string, Buffer>;
  readonly warnings: Warning[];
}

/** Both stores together: the keyfiles read here beside the ifcfg profiles read by the caller. */
export function discoverProfiles(root: Root, ifcfgProfiles: readonly Profile[]): Discovery {
  const macs = readMacs(root);
  const kf = readKeyfiles(root, macs);
  const release = readRelease(root);
  const ignoreIfcfg = ifcfgIgnored(release);
  const chosen = chooseNewStore(root, kf.profiles.length > 0, ifcfgProfiles.length > 0, release);
  const storeOrder: ProfileStore[] = chosen.store === 'ifcfg' ? ['ifcfg', 'keyfile'] : ['keyfile', 'ifcfg'];
  const devices = [...macs.keys()].filter((d) => d !== 'lo');
  const owned = chooseOwners([...ifcfgProfiles, ...kf.profiles], devices, storeOrder, ignoreIfcfg, readTimestamps(root));
  const { warnings: newStoreWarnings, ...newStore } = chosen;
  return {
    profiles: owned.profiles,
    owners: owned.owners,
    blocked: kf.blocked,
    newStore,
    files: kf.files,
    warnings: [...kf.warnings, ...newStoreWarnings, ...owned.warnings],
  };
}

/** The mode of a new file: keyfiles 0600 (NetworkManager ignores any other); undefined: the default. */
export function newFileMode(rel: string): number | undefined {
  return isKeyfilePath(rel) ? 0o600 : undefined;
}

/** True for a path in one of NetworkManager's keyfile directories. */
export function isKeyfilePath(rel: string): boolean {
  return Object.values(KEYFILE_DIRS).some((d) => rel.startsWith(`${d}/`));
}

/**
 * On the real root NetworkManager says which profile is active on each device (`nmcli -t -f
 * NAME,UUID,TYPE,DEVICE,FILENAME connection show`): that one owns the device, whatever the rules say.
 */
export function preferActive(owners: ReadonlyMap<string, string>, profiles: readonly Profile[], root: Root, active: readonly { device: string | null; filename: string | null }[]): Map<string, string> {
  const out = new Map(owners);
  for (const c of active) {
    if (!c.device || !c.filename || !c.filename.startsWith('/')) continue;
    let rel: string;
    try {
      rel = root.relative(c.filename);
    } catch {
      continue;
    }
    const p = profiles.find((x) => x.file === rel || x.editPath === rel);
    if (p && p.device === c.device) out.set(c.device, p.file);
  }
  return out;
}
