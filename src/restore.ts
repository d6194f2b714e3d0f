// A restore: back to how the files were just before the change of one backup. That backup and every
// later one are undone: each file any of them replaced gets the bytes the oldest of them saved, and a
// file one of them created (the backup says it did not exist) is removed. The result is an ordinary
// plan (new bytes, a summary, what to apply), so it goes through the same review, apply, verify,
// keep-or-revert and rollback as any change, and is itself backed up.
import { basename } from 'node:path';
import type { Current } from './current.js';
import { type Backup, isRouteFileName, listBackups, linkOnTheWay, readBackedUpFile, readBackup } from './files/backups.js';
import { classifyIfcfgName } from './files/ifcfg.js';
import { profileFromBytes } from './files/profileBytes.js';
import { parseHostnameFile } from './files/hosts.js';
import { KEYFILE_DIRS, readMacs } from './files/nmStore.js';
import { PATHS, type Root } from './files/root.js';
import { readRootFile } from './files/safeRead.js';
import type { Profile } from './model/state.js';
import { type Result, err, ok } from './model/result.js';
import type { Change } from './model/types.js';
import type { Action, FileEdit, Plan } from './plan.js';
import { meaningSummary } from './planSummary.js';
import { vlanActionOf } from './planVlan.js';
import { dnsInUse, interfaceAction, interfaceActions, rollbackLimits } from './planTargets.js';

const isIfcfgPath = (p: string): boolean => p.startsWith(PATHS.networkScripts + '/') && classifyIfcfgName(basename(p)) === 'profile';
// A restore writes only /etc's keyfiles (see isManagedPath): a /usr/lib profile's copy lives there too.
const isKeyfilePath = (p: string): boolean => p.startsWith(KEYFILE_DIRS.etc + '/') && p.endsWith('.nmconnection');
const isProfilePath = (p: string): boolean => isIfcfgPath(p) || isKeyfilePath(p);

/** The device a profile file is named after (ifcfg-eth0, eth0.nmconnection), when its contents do not say. */
const deviceByName = (path: string): string =>
  isIfcfgPath(path) ? basename(path).slice('ifcfg-'.length) : basename(path, '.nmconnection');

/** The profile a route file (route-NAME) belongs to: ifcfg-NAME and its device. */
function routeOwner(current: Current, path: string): { device: string; file: string } | undefined {
  if (!path.startsWith(PATHS.networkScripts + '/') || !isRouteFileName(basename(path))) return undefined;
  const file = `${PATHS.networkScripts}/ifcfg-${basename(path).slice('route-'.length)}`;
  const device = current.snapshot.state.profiles.find((p) => p.file === file)?.device ?? basename(file).slice('ifcfg-'.length);
  return { device, file };
}

/** The ip change the restored profile amounts to (for verification and "Keep these settings?"). */
function ipChange(p: Profile | undefined): Change | null {
  if (!p) return null;
  if (p.method === 'dhcp') return { kind: 'ip', device: p.device, ipv4: { method: 'dhcp' } };
  const first = p.addresses[0];
  if (p.method === 'static' && first) return { kind: 'ip', device: p.device, ipv4: { method: 'static', address: first, gateway: p.gateway } };
  return null;
}

export interface RestoreTarget {
  /** The backup chosen. */
  readonly backup: Backup;
  /** The later backups undone with it, newest first. */
  readonly later: readonly Backup[];
}

/** Finds the backup and the later ones; every one of them must be intact. */
export async function restoreChain(root: Root, id: string): Promise<Result<RestoreTarget, string[]>> {
  const one = await readBackup(root, id);
  if (!one.ok) return err([one.error]);
  if (!one.value) return err([`backup ${id} holds no network files (it is a password change): nothing to restore`]);
  const all = await listBackups(root);
  // A damaged backup from the same second or later may be a later change: refuse rather than guess.
  const laterDamaged = all.damaged.filter((d) => d.id.slice(0, 15) >= id.slice(0, 15) && d.id !== id);
  if (laterDamaged.length) {
    return err(laterDamaged.map((d) => `a later backup is damaged, so ttyconf cannot tell what that change did: ${d.reason}`));
  }
  const at = all.backups.findIndex((b) => b.id === id);
  return ok({ backup: one.value, later: all.backups.slice(0, Math.max(0, at)) });
}

async function currentBytes(root: Root, path: string): Promise<Result<Buffer | null, string>> {
  const link = await linkOnTheWay(root, path);
  if (link) return err(`${link}; ttyconf restores only plain files, never through a link`);
  const r = readRootFile(root, path);
  if (r.kind === 'file') return ok(r.data);
  if (r.kind === 'missing') return ok(null);
  return err(`${path} ${r.reason}; ttyconf restores only regular files`);
}

/** The plan that brings the files back to how they were before backup `id`'s change; or every reason it cannot. */
export async function planRestore(current: Current, id: string): Promise<Result<Plan, string[]>> {
  const { root } = current;
  const chain = await restoreChain(root, id);
  if (!chain.ok) return chain;
  const { backup, later } = chain.value;
  // Oldest first wins: the bytes a file had before the first of these changes that touched it.
  const wanted = new Map<string, { from: Backup; existed: boolean }>();
  for (const b of [...later, backup]) for (const f of b.files) wanted.set(f.path, { from: b, existed: f.existed });

  const errors: string[] = [];
  const edits: FileEdit[] = [];
  for (const [path, w] of [...wanted].sort(([a], [b]) => a.localeCompare(b))) {
    const now = await currentBytes(root, path);
    const then = w.existed ? await readBackedUpFile(root, w.from, path) : ok(null);
    if (!now.ok) errors.push(now.error);
    if (!then.ok) errors.push(then.error);
    if (!now.ok || !then.ok) continue;
    const before = now.value;
    const after = then.value;
    if (before === null ? after === null : after !== null && before.equals(after)) continue;
    edits.push(after === null ? { path, before, after: Buffer.alloc(0), remove: true } : { path, before, after });
  }
  if (errors.length) return err(errors);
  // The review's own summary, read from the files as for any change: `ttyconf backups` then lists
  // the restore with the very lines its review showed.
  const summary = meaningSummary(edits, (path) => routeOwner(current, path));

  const state = current.snapshot.state;
  const actions: Action[] = [];
  const changes: Change[] = [];
  const macs = new Map([...readMacs(root)].map(([name, mac]) => [mac, name]));
  for (const e of edits) {
    if (isProfilePath(e.path)) {
      const after = e.remove ? undefined : profileFromBytes(e.path, e.after, macs);
      const known = current.snapshot.state.profiles.find((p) => p.file === e.path || p.editPath === e.path)?.device;
      const before = profileFromBytes(e.path, e.before, macs);
      const device = after?.device || known || before?.device || deviceByName(e.path);
      // A VLAN that comes back or goes is created or deleted, not only brought up or down.
      const vlan = vlanActionOf(e.path, before, after);
      actions.push(vlan ?? interfaceAction(state, edits, device, e.path, macs));
      const c = ipChange(after);
      if (c) changes.push(c);
    } else if (routeOwner(current, e.path)) {
      // A route file is applied with its profile (ifcfg-NAME for route-NAME).
      const { device, file } = routeOwner(current, e.path)!;
      if (!actions.some((a) => a.kind === 'interface' && a.file === file)) actions.push(interfaceAction(state, edits, device, file, macs));
    } else if (e.path === PATHS.hostname) {
      const name = e.remove ? null : parseHostnameFile(e.after.toString('utf8'));
      if (name) {
        actions.push({ kind: 'hostname', hostname: name });
        changes.push({ kind: 'hostname', hostname: name });
      }
    }
  }
  const when = backup.created.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC');
  const notes = [`this brings back the files as they were before the change of ${when} (backup ${backup.id})`];
  if (later.length) notes.push(`it also undoes the ${later.length} later change(s): ${later.map((b) => b.id).join(', ')}`);
  if (edits.length) notes.push('the diff (D in the review, --dry-run on the command line) shows everything the restore overwrites, edits made by hand since included');
  const dns = dnsInUse(state, current.live, edits);
  const limits = rollbackLimits(interfaceActions(actions));
  return ok({ changes, edits, summary, actions, dns, notes, rollbackLimits: limits, origin: { kind: 'restore', backup: backup.id } });
}
