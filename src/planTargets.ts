// What each device must end up with once a plan's files are written, and what it had before: read
// once, from the plan's own bytes, when the plan is made. The engine applies and verifies the one
// side and rolls back to the other without reading the files again. Pure.
import type { FileEdit } from './model/edits.js';
import type { LiveState } from './model/live.js';
import type { FilesState, Profile } from './model/state.js';
import { type DeviceSettings, type DnsTarget, settingsOf } from './model/target.js';
import { profileFor } from './files/read.js';
import { profileFromBytes } from './files/profileBytes.js';
import { parseResolvConf } from './files/resolvConf.js';
import { PATHS } from './files/root.js';
import { buildStatus } from './status.js';

/** A device whose profile (or its route file) the plan writes: what to apply, and what to go back to. */
export interface InterfaceAction {
  readonly kind: 'interface';
  readonly device: string;
  /** Root-relative path of the profile file the device is applied from. */
  readonly file: string;
  /** The device's settings once the files are written. */
  readonly after: DeviceSettings;
  /** What it had before: a rollback applies these again (NetworkManager, network-scripts). */
  readonly before: DeviceSettings;
  /** Whether `file` exists before and after the change (a new profile; a restore that removes one). */
  readonly fileBefore: boolean;
  readonly fileAfter: boolean;
}

/** Another profile of the device than `file`: what owns it once `file` is gone. */
function otherOwner(state: FilesState, device: string, file: string): Profile | undefined {
  const owner = profileFor(state, device);
  if (owner && owner.file !== file && owner.editPath !== file) return owner;
  return state.profiles.find((p) => p.device === device && p.file !== file && p.editPath !== file && !p.readOnly);
}

/**
 * The interface action of `device` applied from `file`. `state` is the files as they are before the
 * change; `devices` (MAC -> name) binds a keyfile that names only a MAC.
 */
export function interfaceAction(state: FilesState, edits: readonly FileEdit[], device: string, file: string,
  devices: ReadonlyMap<string, string> = new Map()): InterfaceAction {
  const edit = edits.find((e) => e.path === file);
  const now = state.profiles.find((p) => p.file === file || p.editPath === file);
  const fileBefore = edit ? edit.before !== null : true;
  const fileAfter = edit ? !edit.remove : true;
  // A file the change creates takes the device from whatever owned it before (nothing, or a /usr/lib profile).
  const before = edit ? (edit.before ? profileFromBytes(file, edit.before, devices) : profileFor(state, device)) : (now ?? profileFor(state, device));
  const after = !edit ? (now ?? profileFor(state, device)) : edit.remove ? otherOwner(state, device, file) : profileFromBytes(file, edit.after, devices);
  return { kind: 'interface', device, file, after: settingsOf(after), before: settingsOf(before), fileBefore, fileAfter };
}

/** The DNS servers to ask after a change that sets none: what resolv.conf will say, else what is in use now. */
export function dnsInUse(state: FilesState, live: LiveState | null | undefined, edits: readonly FileEdit[]): DnsTarget {
  const resolv = edits.find((e) => e.path === PATHS.resolvConf && !e.remove);
  if (resolv) return { servers: parseResolvConf(resolv.after.toString('utf8')).servers, required: false };
  const status = buildStatus(state, live ?? { addresses: {}, defaultRoute: null, hostname: null, links: [] });
  return { servers: status.dns.servers, required: false };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * What a rollback could not put back exactly, one line per device: the files always come back byte
 * for byte, but an address a server handed out is asked for again, and a device that had no profile
 * is left to the stack's default for such a device.
 */
export function rollbackLimits(actions: readonly InterfaceAction[]): string[] {
  const out: string[] = [];
  for (const a of actions) {
    const { device, before, after } = a;
    if (!a.fileBefore && before.profile === null) {
      out.push(`${device} had no profile: a rollback removes the new one, and ${device} then runs as the network stack runs a device without a profile, not necessarily as it runs now`);
      continue;
    }
    if (before.ipv4.method === 'dhcp' && !sameJson(before.ipv4, after.ipv4)) {
      out.push(`${device} uses DHCP now: a rollback asks the DHCP server again, and it may hand out another address than ${device} has now`);
    }
    if ((before.ipv6.method === 'auto' || before.ipv6.method === 'dhcp') && !sameJson(before.ipv6, after.ipv6)) {
      out.push(`${device} takes its IPv6 address from ${before.ipv6.method === 'auto' ? 'router advertisements' : 'DHCPv6'} now: after a rollback it asks again, and the address may differ`);
    }
  }
  return out;
}

export function interfaceActions(actions: readonly { readonly kind: string }[]): InterfaceAction[] {
  return actions.filter((a): a is InterfaceAction => a.kind === 'interface');
}
