// Reads a machine's network files under a root into a snapshot: their bytes plus what they say.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { type FilesState, type Profile, type ResolvOwner, type Warning, ownerOf } from '../model/state.js';
import { classifyIfcfgName, readProfile } from './ifcfg.js';
import { nmLeavesResolvConf, readNmDnsConfig } from './nmConf.js';
import { readRouteFiles } from './routeFile.js';
import { parseHostnameFile } from './hosts.js';
import { discoverProfiles } from './nmStore.js';
import { parseResolvConf } from './resolvConf.js';
import { causeText } from './errors.js';
import { PATHS, type Root } from './root.js';
import { listRootDir, readRootFile } from './safeRead.js';
import { ShellVarsFile } from './shellVars.js';

/** The files as read, by root-relative path (null: the file does not exist). */
export interface Snapshot {
  readonly root: Root;
  readonly files: ReadonlyMap<string, Buffer | null>;
  readonly state: FilesState;
}

/** A file's bytes, or null when it is missing or cannot be read (then a warning names it). */
function readOrNull(root: Root, rel: string, warnings: Warning[]): Buffer | null {
  const r = readRootFile(root, rel);
  if (r.kind === 'file') return r.data;
  if (r.kind === 'unreadable') warnings.push({ file: rel, message: `${r.reason}; ttyconf ignores it` });
  return null;
}

function listDir(root: Root, rel: string, warnings: Warning[]): string[] {
  try {
    return listRootDir(root, rel);
  } catch (e) {
    warnings.push({ file: rel, message: `cannot be listed: ${causeText(e)}; ttyconf ignores it` });
    return [];
  }
}

function resolvOwner(root: Root, generatedBy: ResolvOwner | null, exists: boolean): ResolvOwner {
  try {
    if (lstatSync(root.linkPath(PATHS.resolvConf)).isSymbolicLink()) return 'symlink';
  } catch {
    /* missing */
  }
  if (!exists) return 'missing';
  return generatedBy ?? 'file';
}

export function readSnapshot(root: Root): Snapshot {
  const files = new Map<string, Buffer | null>();
  const warnings: Warning[] = [];
  const profiles: Profile[] = [];
  const readOnlyFiles: string[] = [];

  const scriptNames = listDir(root, PATHS.networkScripts, warnings);
  for (const name of scriptNames) {
    const kind = classifyIfcfgName(name);
    if (kind === 'ignored' || kind === 'loopback') continue;
    const rel = join(PATHS.networkScripts, name);
    const buf = readOrNull(root, rel, warnings);
    if (buf === null) continue;
    files.set(rel, buf);
    if (kind !== 'profile') {
      readOnlyFiles.push(rel);
      continue;
    }
    const r = readProfile(rel, name, ShellVarsFile.fromBuffer(buf));
    profiles.push(r.profile);
    warnings.push(...r.warnings);
  }
  // NetworkManager keyfiles beside them, and which profile owns each device (nmStore.ts).
  const found = discoverProfiles(root, profiles);
  for (const [rel, buf] of found.files) files.set(rel, buf);
  warnings.push(...found.warnings);

  const routeFiles = readRouteFiles(profiles, scriptNames, (rel) => {
    const buf = readOrNull(root, rel, warnings);
    files.set(rel, buf);
    return buf;
  });
  warnings.push(...routeFiles.flatMap((r) => r.warnings));
  const nmLeavesAlone = nmLeavesResolvConf(readNmDnsConfig((rel) => readOrNull(root, rel, warnings), (rel) => listDir(root, rel, warnings)));

  const resolvBuf = readOrNull(root, PATHS.resolvConf, warnings);
  files.set(PATHS.resolvConf, resolvBuf);
  files.set(PATHS.resolvConfSave, readOrNull(root, PATHS.resolvConfSave, warnings));
  const resolv = parseResolvConf(resolvBuf?.toString('utf8') ?? '');

  const hostnameBuf = readOrNull(root, PATHS.hostname, warnings);
  files.set(PATHS.hostname, hostnameBuf);
  files.set(PATHS.hosts, readOrNull(root, PATHS.hosts, warnings));

  const netBuf = readOrNull(root, PATHS.sysconfigNetwork, warnings);
  files.set(PATHS.sysconfigNetwork, netBuf);
  const legacyHostname = netBuf ? (ShellVarsFile.fromBuffer(netBuf).get('HOSTNAME') ?? null) : null;

  const state: FilesState = {
    profiles: found.profiles,
    owners: found.owners,
    blocked: found.blocked,
    newStore: found.newStore,
    readOnlyFiles,
    routeFiles,
    resolv: {
      servers: resolv.servers,
      search: resolv.search,
      // A header NetworkManager wrote once does not make it the owner when its settings leave the file alone.
      owner: resolvOwner(root, nmLeavesAlone && resolv.generatedBy === 'networkmanager' ? null : resolv.generatedBy, resolvBuf !== null),
      nmLeavesAlone,
    },
    hostname: hostnameBuf ? parseHostnameFile(hostnameBuf.toString('utf8')) : null,
    legacyHostname: legacyHostname || null,
    warnings,
  };
  return { root, files, state };
}

/** The profile ttyconf edits for a device: the one NetworkManager would activate on it. */
export function profileFor(state: FilesState, device: string): Profile | undefined {
  return ownerOf(state, device);
}
