// What a plan changes, read back from the files themselves: every setting whose meaning differs
// between the bytes before and after, as `field: old -> new`. Built from the files, not from what
// was asked, so a key the plan touched on the side (DEFROUTE, PEERDNS, the /etc/hosts line) is
// listed, and a change that only rewrites how a value is written lists nothing. The review, the
// backups' record, the audit log and `ttyconf backups` all show these lines, for a change typed in, a
// restore and a reset alike. Pure.
import { basename, dirname } from 'node:path';
import type { Profile } from './model/state.js';
import { formatCidr } from './model/types.js';
import { managedHostsLine, parseHostnameFile } from './files/hosts.js';
import { classifyIfcfgName, readProfile } from './files/ifcfg.js';
import { KeyFile } from './files/keyfile.js';
import { readKeyfileProfile } from './files/nmProfile.js';
import { KEYFILE_DIRS } from './files/nmStore.js';
import { parseResolvConf } from './files/resolvConf.js';
import { PATHS } from './files/root.js';
import { parseRouteFile } from './files/routeFile.js';
import { type RouteFile, type StaticRoute, formatRoute, isDefaultRoute } from './model/routes.js';
import { ShellVarsFile } from './files/shellVars.js';
import type { FileEdit, SummaryLine } from './model/edits.js';
import { ipv6SummaryLines } from './planSummaryIpv6.js';
import { IFCFG_IPV6_KEYS } from './files/ifcfgIpv6.js';
import { IFCFG_VLAN_KEYS } from './files/ifcfgVlan.js';
import { vlanSummaryLine } from './planSummaryVlan.js';

const NONE = '(none)';
const list = (xs: readonly string[]): string => (xs.length ? xs.join(' ') : NONE);
const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

/** The words the status screen uses for a method. */
export function methodWord(p: Profile | null): string {
  if (!p) return '(no file)';
  switch (p.method) {
    case 'dhcp': return 'DHCP';
    case 'static': return 'static';
    case 'disabled': return 'off';
    default: return p.bootproto || NONE;
  }
}

/** Keys whose meaning is said by a named line below; any other key is listed by its own name. */
const NAMED_KEYS = /^(BOOTPROTO|IPADDR\d*|PREFIX\d*|NETMASK\d*|GATEWAY\d*|DEFROUTE|DNS\d+|DOMAIN|PEERDNS|ONBOOT)$/;

/** The settings of one profile before and after (null: no file), in the status screen's words. */
function profileLines(path: string, before: Profile | null, after: Profile | null, out: SummaryLine[]): void {
  if (!before && !after) return;
  const dev = after?.device || before?.device || basename(path);
  const add = (field: string, old: string, now: string): void => {
    if (old !== now) out.push({ field: `${dev} ${field}`, old, new: now });
  };
  const staticOf = (p: Profile | null): { address: string; gateway: string } => (
    !p || p.method === 'dhcp' ? { address: NONE, gateway: NONE }
      : { address: list(p.addresses.map(formatCidr)), gateway: p.gateway ?? NONE });
  const vlan = vlanSummaryLine(before, after);
  if (vlan) add(...vlan);
  add('method', methodWord(before), methodWord(after));
  add('address', staticOf(before).address, staticOf(after).address);
  add('gateway', staticOf(before).gateway, staticOf(after).gateway);
  if (before && after) {
    add('default route (DEFROUTE)', yesNo(before.defroute), yesNo(after.defroute));
    add('DNS from DHCP (PEERDNS)', yesNo(before.peerdns), yesNo(after.peerdns));
    add('starts at boot (ONBOOT)', yesNo(before.onboot), yesNo(after.onboot));
  } else if (after) {
    // A new file: its defaults are what the readers assume, so only a key written against them counts.
    if (!after.defroute) add('default route (DEFROUTE)', 'yes', 'no');
    if (!after.peerdns) add('DNS from DHCP (PEERDNS)', 'yes', 'no');
  }
  for (const [field, old, now] of ipv6SummaryLines(before?.ipv6, after?.ipv6)) add(field, old, now);
  add('DNS servers', list(before?.dns ?? []), list(after?.dns ?? []));
  add('search domains', list(before?.domains ?? []), list(after?.domains ?? []));
}

/** The bytes after an edit; null when the edit removes the file. */
const afterBytes = (edit: FileEdit): Buffer | null => (edit.remove ? null : edit.after);

function ifcfgLines(edit: FileEdit, out: SummaryLine[]): void {
  const name = basename(edit.path);
  const bytes = afterBytes(edit);
  const afterDoc = bytes ? ShellVarsFile.fromBuffer(bytes) : null;
  const beforeDoc = edit.before ? ShellVarsFile.fromBuffer(edit.before) : null;
  const after = afterDoc ? readProfile(edit.path, name, afterDoc).profile : null;
  const before = beforeDoc ? readProfile(edit.path, name, beforeDoc).profile : null;
  profileLines(edit.path, before, after, out);
  if (!beforeDoc || !afterDoc || !after) return;
  const keys = [...new Set([...beforeDoc.keys(), ...afterDoc.keys()])].filter((k) => !NAMED_KEYS.test(k) && !IFCFG_IPV6_KEYS.test(k) && !IFCFG_VLAN_KEYS.test(k));
  for (const k of keys) {
    const old = beforeDoc.get(k) ?? '(unset)';
    const now = afterDoc.get(k) ?? '(unset)';
    if (old !== now) out.push({ field: `${after.device} ${k}`, old, new: now });
  }
}

const isKeyfilePath = (path: string): boolean => Object.values(KEYFILE_DIRS).includes(dirname(path) as never);

/** A keyfile's settings as NetworkManager reads them; false when this summary cannot read it. */
function keyfileLines(edit: FileEdit, out: SummaryLine[]): boolean {
  const read = (b: Buffer | null): Profile | null => {
    if (!b) return null;
    const doc = KeyFile.fromBuffer(b);
    return doc.ok ? readKeyfileProfile(edit.path, doc.value, () => null).profile ?? null : null;
  };
  const bytes = afterBytes(edit);
  const after = read(bytes);
  const before = read(edit.before);
  // A keyfile this summary cannot read (after, or before when it is removed) is said by the caller.
  if (bytes ? !after : !before) return false;
  profileLines(edit.path, before, after, out);
  return true;
}

function hostsText(b: Buffer | null): string {
  const m = b ? managedHostsLine(b.toString('utf8')) : null;
  return m ? `${m.address} ${m.names.join(' ')}` : NONE;
}

/** A route-DEV file and the profile it belongs to. */
export type RouteFileOwner = (path: string) => { readonly device: string; readonly file: string } | undefined;

function routeText(r: StaticRoute): string {
  return formatRoute(r);
}

function routeLines(e: FileEdit, owner: { device: string; file: string }, out: SummaryLine[]): void {
  const read = (b: Buffer | null): RouteFile | null => (b ? parseRouteFile(e.path, owner, b) : null);
  const before = read(e.before);
  const after = read(e.after);
  const name = basename(e.path);
  // The default route of route-DEV is the interface's gateway, said as GATEWAY would be.
  const gateway = (f: RouteFile | null): string => {
    const r = f?.routes.find(isDefaultRoute);
    return r ? (r.via ?? routeText(r)) : NONE;
  };
  const others = (f: RouteFile | null): string => list((f?.routes ?? []).filter((r) => !isDefaultRoute(r)).map(routeText));
  const add = (field: string, old: string, now: string): void => {
    if (old !== now) out.push({ field: `${owner.device} ${field}`, old, new: now });
  };
  add('gateway', gateway(before), gateway(after));
  add(`static routes (${name})`, others(before), others(after));
}

/** Every setting whose meaning the edits change, file by file. */
export function meaningSummary(edits: readonly FileEdit[], routeOwner: RouteFileOwner = () => undefined): SummaryLine[] {
  const out: SummaryLine[] = [];
  const add = (field: string, old: string, now: string): void => {
    if (old !== now) out.push({ field, old, new: now });
  };
  const text = (b: Buffer | null): string => b?.toString('utf8') ?? '';
  for (const edit of edits) {
    // A removed file reads as an empty one below (no hostname, no servers); ifcfg and keyfile
    // profiles say "(no file)".
    const e = edit.remove ? { ...edit, after: Buffer.alloc(0) } : edit;
    const routes = routeOwner(e.path);
    if (routes) {
      routeLines(e, routes, out);
    } else if (dirname(e.path) === PATHS.networkScripts && classifyIfcfgName(basename(e.path)) === 'profile') {
      ifcfgLines(edit, out);
    } else if (isKeyfilePath(e.path) && keyfileLines(edit, out)) {
      // said by keyfileLines
    } else if (e.path === PATHS.hostname) {
      add('hostname', parseHostnameFile(text(e.before)) ?? NONE, parseHostnameFile(text(e.after)) ?? NONE);
    } else if (e.path === PATHS.hosts) {
      add('/etc/hosts line', hostsText(e.before), hostsText(e.after));
    } else if (e.path === PATHS.resolvConf || e.path === PATHS.resolvConfSave) {
      const b = parseResolvConf(text(e.before));
      const a = parseResolvConf(text(e.after));
      const of = e.path === PATHS.resolvConf ? '' : ' (resolv.conf.save)';
      add(`DNS servers${of}`, list(b.servers), list(a.servers));
      add(`search domains${of}`, list(b.search), list(a.search));
    } else if (e.path === PATHS.sysconfigNetwork) {
      const b = ShellVarsFile.parse(text(e.before));
      const a = ShellVarsFile.parse(text(e.after));
      for (const k of [...new Set([...b.keys(), ...a.keys()])]) add(`${k} (/etc/sysconfig/network)`, b.get(k) ?? '(unset)', a.get(k) ?? '(unset)');
    } else if (edit.remove) {
      if (e.before !== null) add(e.path, 'as it is', '(no file)');
    } else if (e.before === null || !e.before.equals(e.after)) {
      // A file this summary cannot read: say that it changes rather than nothing.
      add(e.path, e.before === null ? '(no file)' : 'as it is', e.before === null ? 'new file' : 'changed (see the diff)');
    }
  }
  return out;
}
