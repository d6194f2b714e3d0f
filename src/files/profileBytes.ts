// A profile read from bytes that are not (or no longer) on disk: a plan's file before or after it,
// a backup's copy.
import { basename } from 'node:path';
import type { Profile } from '../model/state.js';
import { readProfile } from './ifcfg.js';
import { KeyFile } from './keyfile.js';
import { isProfileKeyfile, readKeyfileProfile } from './nmProfile.js';
import { isKeyfilePath } from './nmStore.js';
import { ShellVarsFile } from './shellVars.js';

/**
 * The profile that `bytes` hold as the file `path` (root-relative): an ifcfg file or an Ethernet or
 * VLAN keyfile; undefined for no bytes or an unreadable keyfile. `devices` (MAC -> name) binds a keyfile
 * that names only a MAC.
 */
export function profileFromBytes(path: string, bytes: Buffer | null, devices: ReadonlyMap<string, string> = new Map()): Profile | undefined {
  if (!bytes) return undefined;
  if (!isKeyfilePath(path)) return readProfile(path, basename(path), ShellVarsFile.fromBuffer(bytes)).profile;
  const doc = KeyFile.fromBuffer(bytes);
  if (!doc.ok || !isProfileKeyfile(doc.value)) return undefined;
  return readKeyfileProfile(path, doc.value, (mac) => devices.get(mac.toLowerCase()) ?? null).profile ?? undefined;
}
