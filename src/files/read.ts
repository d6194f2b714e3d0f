// Reads a machine's network files under a root into a snapshot: their bytes plus what they say.
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FilesState, type Profile, type ResolvOwner, type Warning, ownerOf } from '../model/state.js';
import { classifyIfcfgName, readProfile } from './ifcfg.js';
import { nmLeavesResolvConf, readNmDnsConfig } from './nmConf.js';
import { readRouteFiles } from './routeFile.js';
import { parseHostnameFile } from './hosts.js';
import { discoverProfiles } from './nmStore.js';
import { parseResolvConf } from './resolvConf.js';
import { PATHS, type Root } from './root.js';
import { ShellVarsFile } from './shellVars.js';

/** The files as read, by root-relative path (null: the file does not exist). */
export interface Snapshot {
  readonly root: Root;
  readonly files: ReadonlyMap<string, Buffer | null>;
  readonly state: FilesState;
}

function readOrNull(root: Root, rel: string): Buffer | null {
  try {
    return readFileSync(root.path(rel));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

function listDir(root: Root, rel: string): string[] {
  try {
    return readdirSync(root.path(rel)).sort();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

function resolvOwner(root: Root, generatedBy: ResolvOwner | null, exists: boolean): ResolvOwner {
  try {
    if (lstatSync(root.path(PATHS.resolvConf)).isSymbolicLink()) return 'symlink';
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

  const scriptNames = listDir(root, PATHS.networkScripts);
  for (const name of scriptNames) {
    const kind = classifyIfcfgName(name);
    if (kind === 'ignored' || kind === 'loopback') continue;
    const rel = join(PATHS.networkScripts, name);
    const buf = readOrNull(root, rel);
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
    const buf = readOrNull(root, rel);
    files.set(rel, buf);
    return buf;
  });
  warnings.push(...routeFiles.flatMap((r) => r.warnings));
  const nmLeavesAlone = nmLeavesResolvConf(readNmDnsConfig((rel) => readOrNull(root, rel), (rel) => listDir(root, rel)));

  const resolvBuf = readOrNull(root, PATHS.resolvConf);
  files.set(PATHS.resolvConf, resolvBuf);
  const resolv = parseResolvConf(resolvBuf?.toString('utf8') ?? '');

  const hostnameBuf = readOrNull(root, PATHS.hostname);
  files.set(PATHS.hostname, hostnameBuf);
  files.set(PATHS.hosts, readOrNull(root, PATHS.hosts));

  const netBuf = readOrNull(root, PATHS.sysconfigNetwork);
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
