// Current files + desired changes -> one plan: the new bytes of every file, a summary the user
// reviews, and what must be applied to the running system. Pure: no I/O.
import { randomUUID } from 'node:crypto';
import { basename, join } from 'node:path';
import { fieldError } from './model/fieldError.js';
import type { PlanError } from './model/planError.js';
import type { LiveState } from './model/live.js';
import { type FilesState, type Profile, type ProfileStore, ownedProfiles, readOnlyReason } from './model/state.js';
import { type Result, err, ok } from './model/result.js';
import type { Change, DnsConfig, Ipv4Config } from './model/types.js';
import type { Current } from './current.js';
import { unifiedDiff } from './files/diff.js';
import { editHosts, hostnameFileText, managedHostsLine, removeManagedHostsLine } from './files/hosts.js';
import { isLocalhostName } from './model/hostname.js';
import { profileFor, type Snapshot } from './files/read.js';
import { editResolvConf } from './files/resolvConf.js';
import { PATHS } from './files/root.js';
import { ShellVarsFile } from './files/shellVars.js';
import { unwritableReason } from './files/shvar.js';
import { planRoutes } from './planRoutes.js';
import { KeyFile, keyfileNameFor } from './files/keyfile.js';
import { editKeyfileDns, editKeyfileIpv4, newKeyfileText } from './files/nmProfile.js';
import { KEYFILE_DIRS } from './files/nmStore.js';
import { meaningSummary } from './planSummary.js';
import type { FileEdit, SummaryLine } from './model/edits.js';
import { planIpv6 } from './planIpv6.js';
import { ipv6DnsRefusal } from './files/keyfileIpv6.js';
import { type VlanAction, planVlan, withVlanTargets } from './planVlan.js';
import type { DnsTarget } from './model/target.js';
import { type InterfaceAction, dnsInUse, interfaceAction, interfaceActions, rollbackLimits } from './planTargets.js';

export type { FileEdit, SummaryLine } from './model/edits.js';

/** What the running system must do once the files are written. */
export type Action =
  | InterfaceAction
  | { readonly kind: 'hostname'; readonly hostname: string }
  | VlanAction;

export interface Plan {
  readonly changes: readonly Change[];
  readonly edits: readonly FileEdit[];
  readonly summary: readonly SummaryLine[];
  readonly actions: readonly Action[];
  /** The DNS servers to ask once the change is applied. */
  readonly dns: DnsTarget;
  /** Things the user should know (e.g. resolv.conf left to NetworkManager). */
  readonly notes: readonly string[];
  /** What a rollback of this change could not put back exactly (the review says it before Y). */
  readonly rollbackLimits: readonly string[];
  /** What made this plan when it is not a change typed in (for the backup's record and the audit log). */
  readonly origin?: PlanOrigin;
}

export type PlanOrigin =
  /** Back to how the files were before the change of backup `backup` (src/restore.ts). */
  | { readonly kind: 'restore'; readonly backup: string }
  /** The emergency reset of one interface to DHCP (src/reset.ts). */
  | { readonly kind: 'reset'; readonly device: string };

export interface PlanOptions {
  readonly live?: LiveState | null;
  /**
   * True when NetworkManager cannot be running here (another stack applies the change): a
   * resolv.conf it generated earlier is then nobody's, and ttyconf rewrites it.
   */
  readonly nmAbsent?: boolean;
  /**
   * network-scripts apply the change: ifdown-post copies /etc/resolv.conf.save (ifup-post's copy of
   * the file before its last edit) back over /etc/resolv.conf, and ifup-post then puts DOMAIN in
   * front of that file's search domains and keeps them.
   */
  readonly networkScripts?: boolean;
  readonly newUuid?: () => string;
  /** Where a profile for a device without one goes (--store); default: where NetworkManager would put it. */
  readonly store?: ProfileStore;
}

const NUMBERED_STATIC = /^(IPADDR|PREFIX|NETMASK|GATEWAY)\d+$/;
const ANY_STATIC = /^(IPADDR|PREFIX|NETMASK|GATEWAY)\d*$/;

/**
 * DEFROUTE is the admin's: it is left as the file says, except when a gateway is typed for an
 * interface that keeps its default route off (DEFROUTE=no) and had another gateway or none: that
 * moves the default route there, and the review says so.
 */
function defaultRouteMoves(p: Profile | undefined, c: Ipv4Config): boolean {
  return c.method === 'static' && c.gateway !== null && p !== undefined && !p.defroute && p.gateway !== c.gateway;
}

/** The profile that carries the default route once the ip changes are made. */
function defaultRouteDevice(state: FilesState, ipChanges: Map<string, Ipv4Config>, live: LiveState | null | undefined): string | null {
  const devices = [...new Set([...ownedProfiles(state).map((p) => p.device), ...state.blocked.keys(), ...ipChanges.keys()])];
  const effective = (d: string): { gateway: boolean; dhcp: boolean; defroute: boolean } => {
    const c = ipChanges.get(d);
    const p = profileFor(state, d);
    if (c) return { gateway: c.method === 'static' && c.gateway !== null, dhcp: c.method === 'dhcp', defroute: defaultRouteMoves(p, c) || (p?.defroute ?? true) };
    return { gateway: p?.method === 'static' && p.gateway !== null, dhcp: p?.method === 'dhcp', defroute: p?.defroute ?? true };
  };
  const withGateway = devices.find((d) => effective(d).gateway && effective(d).defroute);
  if (withGateway) return withGateway;
  const liveDev = live?.defaultRoute?.dev;
  if (liveDev && devices.includes(liveDev)) return liveDev;
  return devices.find((d) => effective(d).dhcp && effective(d).defroute) ?? devices[0] ?? null;
}

/** Builds the plan, or every reason it cannot be built. */
export function planChanges(snapshot: Snapshot, changes: readonly Change[], opts: PlanOptions = {}): Result<Plan, PlanError[]> {
  const { state } = snapshot;
  const errors: PlanError[] = [];
  const docs = new Map<string, ShellVarsFile>();
  const texts = new Map<string, string>();
  const actions: Action[] = [];
  const notes: string[] = [];
  const touchedDevices = new Map<string, string>();
  /** Files edited as bytes (route-DEV files), and the device each belongs to. */
  const rawEdits = new Map<string, Buffer>();
  const rawDevice = new Map<string, string>();
  /** Summary lines that no file's meaning says by itself (static keys dropped beside DHCP). */
  const sideSummary: SummaryLine[] = [];
  /** Files the plan removes (a deleted VLAN's profile). */
  const removals = new Set<string>();

  const doc = (path: string): ShellVarsFile => {
    let d = docs.get(path);
    if (!d) {
      const buf = snapshot.files.get(path);
      d = buf ? ShellVarsFile.fromBuffer(buf) : ShellVarsFile.parse('');
      docs.set(path, d);
    }
    return d;
  };
  const text = (path: string): string => texts.get(path) ?? snapshot.files.get(path)?.toString('utf8') ?? '';
  // Keyfiles by the path they are written to (a /usr/lib profile's copy in /etc starts from its bytes).
  const keyfiles = new Map<string, KeyFile>();
  const keyfile = (path: string, from: Buffer | string | null | undefined): KeyFile => {
    let k = keyfiles.get(path);
    if (!k) {
      const r = KeyFile.parse(typeof from === 'string' ? from : (from ?? Buffer.alloc(0)).toString('latin1'));
      // Unreadable keyfiles never own a device (nmStore.ts), so this is a file NM reads.
      k = r.ok ? r.value : KeyFile.empty();
      keyfiles.set(path, k);
    }
    return k;
  };
  const keyfileOf = (p: Profile): KeyFile => keyfile(p.editPath, snapshot.files.get(p.file));

  const ipChanges = new Map<string, Ipv4Config>();
  for (const c of changes) if (c.kind === 'ip') ipChanges.set(c.device, c.ipv4);

  for (const c of changes) {
    if (c.kind !== 'vlan-add' && c.kind !== 'vlan-id' && c.kind !== 'vlan-del') continue;
    const r = planVlan({
      state, live: opts.live, files: snapshot.files, store: opts.store ?? state.newStore.store, newUuid: opts.newUuid ?? randomUUID,
      ifcfg: doc, keyfile, remove: (p) => removals.add(p),
    }, c);
    if (!r.ok) errors.push(...r.errors);
    else {
      notes.push(...r.notes);
      actions.push(r.action);
    }
  }

  const knownLinks = opts.live?.links ?? [];
  for (const c of changes) {
    if (c.kind !== 'ip') continue;
    const profile = profileFor(state, c.device);
    if (!profile && knownLinks.length && !knownLinks.some((l) => l.name === c.device)) {
      errors.push(fieldError('device', c.device, `is not an interface of this machine (known: ${knownLinks.map((l) => l.name).join(', ')})`));
      continue;
    }
    const readOnly = readOnlyReason(state, c.device);
    if (readOnly) {
      errors.push(fieldError('device', c.device, `cannot be changed by ttyconf: ${readOnly}`));
      continue;
    }
    const store = profile?.store ?? opts.store ?? state.newStore.store;
    let path = profile?.editPath;
    if (store === 'keyfile') {
      if (!path) {
        path = join(KEYFILE_DIRS.etc, keyfileNameFor(c.device));
        if (snapshot.files.get(path)) {
          errors.push(fieldError('device', c.device, `has no profile, but ${path} exists for another device`));
          continue;
        }
        keyfile(path, newKeyfileText(c.device, (opts.newUuid ?? randomUUID)()));
        notes.push(`${path} is new: ${c.device} had no profile (${opts.store ? `--store ${opts.store}` : state.newStore.why})`);
      } else if (profile && profile.editPath !== profile.file) {
        notes.push(`${profile.file} is read-only: the change goes to a copy, ${profile.editPath}, with the same UUID`);
      }
      const k = profile ? keyfileOf(profile) : keyfile(path, null);
      editKeyfileIpv4(k, c.ipv4);
    }
    if (store === 'ifcfg' && !path) {
      path = join(PATHS.networkScripts, `ifcfg-${c.device}`);
      if (snapshot.files.get(path)) {
        errors.push(fieldError('device', c.device, `has no profile, but ${path} exists for another device`));
        continue;
      }
      const d = doc(path);
      d.set('DEVICE', c.device);
      d.set('NAME', c.device, { quote: true });
      d.set('TYPE', 'Ethernet');
      d.set('UUID', (opts.newUuid ?? randomUUID)());
      d.set('ONBOOT', 'yes');
      d.set('IPV6INIT', 'no');
      notes.push(`${path} is new: ${c.device} had no configuration file`);
    }
    if (!path) continue;
    // Route files (route-DEV) belong to ifcfg profiles; a keyfile holds its routes itself.
    const routes = store === 'ifcfg' ? planRoutes(state, snapshot.files, c.device, profile, c.ipv4) : null;
    routes?.edits.forEach((bytes, p) => {
      rawEdits.set(p, bytes);
      rawDevice.set(p, c.device);
    });
    if (routes) notes.push(...routes.notes);
    if (store === 'ifcfg') {
      const d = doc(path);
      if (c.ipv4.method === 'dhcp') {
        d.set('BOOTPROTO', 'dhcp');
        d.deleteMatching(ANY_STATIC);
      } else {
        d.set('BOOTPROTO', 'none');
        d.deleteMatching(NUMBERED_STATIC);
        d.delete('NETMASK');
        d.set('IPADDR', c.ipv4.address.address);
        d.set('PREFIX', String(c.ipv4.address.prefix));
        if (c.ipv4.gateway && !routes?.gatewayInRouteFile) d.set('GATEWAY', c.ipv4.gateway);
        else d.delete('GATEWAY');
        if (defaultRouteMoves(profile, c.ipv4)) d.set('DEFROUTE', 'yes');
        else if (profile && !profile.defroute && c.ipv4.gateway) {
          notes.push(`${c.device} keeps DEFROUTE=no: its gateway is not used for the default route`);
        }
      }
    }
    if (routes) sideSummary.push(...routes.summary);
    touchedDevices.set(c.device, path);
  }

  for (const c of changes) {
    if (c.kind !== 'ip6') continue;
    const r = planIpv6({
      state, live: opts.live, touched: touchedDevices, ifcfg: doc, keyfile, isKeyfile: (p) => keyfiles.has(p), files: snapshot.files,
    }, c);
    if (!r.ok) errors.push(r.error);
    else {
      notes.push(...r.notes);
      touchedDevices.set(c.device, r.path);
    }
  }

  const dnsChange = changes.find((c): c is Change & { kind: 'dns' } => c.kind === 'dns');
  if (dnsChange) planDns(dnsChange.dns);

  function planDns(dns: DnsConfig): void {
    const target = defaultRouteDevice(state, ipChanges, opts.live);
    const targetProfile = target ? profileFor(state, target) : undefined;
    const targetPath = target ? (targetProfile?.editPath ?? touchedDevices.get(target)) : undefined;
    const targetIsKeyfile = (targetPath !== undefined && keyfiles.has(targetPath)) || targetProfile?.store === 'keyfile';
    const readOnly = target ? readOnlyReason(state, target) : null;
    if (readOnly && target) errors.push(fieldError('dns', dns.servers.join(' ') || '(none)', `goes to the profile of ${target}, which ttyconf cannot change: ${readOnly}`));
    const domain = dns.search.join(' ');
    const reason = targetIsKeyfile ? null : unwritableReason(domain);
    if (reason) errors.push(fieldError('search', domain, reason));

    for (const p of ownedProfiles(state)) {
      const path = p.editPath;
      const isTarget = path === targetPath;
      if (!isTarget && p.dns.length === 0 && p.domains.length === 0) continue;
      if (!isTarget && readOnlyReason(state, p.device)) continue;
      if (p.store === 'keyfile') {
        if (!isTarget) {
          editKeyfileDns(keyfileOf(p), null, false);
          notes.push(`DNS settings removed from ${basename(path)}: ${target ?? 'the default-route interface'} now holds them`);
        }
        touchedDevices.set(p.device, path);
        continue;
      }
      const d = doc(path);
      d.deleteMatching(/^DNS\d+$/);
      if (!isTarget) {
        d.delete('DOMAIN');
        notes.push(`DNS settings removed from ${basename(path)}: ${target ?? 'the default-route interface'} now holds them`);
      }
      touchedDevices.set(p.device, path);
    }
    if (targetPath && target && !readOnly) {
      const method = ipChanges.get(target)?.method ?? targetProfile?.method;
      if (targetIsKeyfile) {
        const k = targetProfile ? keyfileOf(targetProfile) : keyfile(targetPath, null);
        const refusal = ipv6DnsRefusal(k, dns.servers);
        if (refusal) errors.push(fieldError('dns', dns.servers.join(' '), refusal));
        editKeyfileDns(k, dns, method === 'dhcp');
      } else {
        const d = doc(targetPath);
        d.deleteMatching(/^DNS\d+$/);
        dns.servers.forEach((s, i) => d.set(`DNS${i + 1}`, s));
        if (domain) d.set('DOMAIN', domain);
        else d.delete('DOMAIN');
        if (method === 'dhcp') {
          if (dns.servers.length) d.set('PEERDNS', 'no');
          else d.delete('PEERDNS');
        }
      }
      touchedDevices.set(target, targetPath);
    }
    const owner = state.resolv.owner;
    const ownedElsewhere = owner === 'symlink' || owner === 'systemd-resolved' || (owner === 'networkmanager' && !opts.nmAbsent);
    if (ownedElsewhere) {
      notes.push(`/etc/resolv.conf is managed by ${owner === 'symlink' ? 'whatever it links to' : owner}; it takes the new DNS settings when they are applied`);
    } else {
      if (state.resolv.nmLeavesAlone) notes.push(`NetworkManager leaves /etc/resolv.conf alone (${state.resolv.nmLeavesAlone}): ttyconf writes the servers there`);
      texts.set(PATHS.resolvConf, editResolvConf(text(PATHS.resolvConf), dns.servers, dns.search));
      if (opts.networkScripts && snapshot.files.get(PATHS.resolvConfSave)) {
        // Else ifdown puts the old copy back and ifup-post keeps its search domains after the new ones.
        texts.set(PATHS.resolvConfSave, editResolvConf(text(PATHS.resolvConfSave), dns.servers, dns.search));
        notes.push('/etc/resolv.conf.save gets the same DNS lines: ifdown puts that copy back before ifup, and ifup-post would keep its old search domains after the new ones');
      }
    }
  }

  const hostChange = changes.find((c): c is Change & { kind: 'hostname' } => c.kind === 'hostname');
  const newHostname = hostChange?.hostname;
  if (hostChange) {
    texts.set(PATHS.hostname, hostnameFileText(hostChange.hostname));
    if (state.legacyHostname !== null) doc(PATHS.sysconfigNetwork).set('HOSTNAME', hostChange.hostname);
    actions.push({ kind: 'hostname', hostname: hostChange.hostname });
  }
  // The managed /etc/hosts line follows the hostname and the default-route static address.
  const hostsText = text(PATHS.hosts);
  const managed = managedHostsLine(hostsText);
  if (newHostname || (managed && ipChanges.size)) {
    const name = newHostname ?? managed?.names[0] ?? state.hostname;
    const target = defaultRouteDevice(state, ipChanges, opts.live);
    const cfg = target ? ipChanges.get(target) : undefined;
    const p = target ? profileFor(state, target) : undefined;
    const address = cfg ? (cfg.method === 'static' ? cfg.address.address : '127.0.0.1')
      : p?.method === 'static' && p.addresses[0] ? p.addresses[0].address : '127.0.0.1';
    if (name && isLocalhostName(name)) {
      // localhost must keep meaning this machine's loopback: no managed line maps it to a LAN address.
      if (managed) texts.set(PATHS.hosts, removeManagedHostsLine(hostsText));
      notes.push(`/etc/hosts gets no line for ${name}: it is a localhost name; set a real hostname`);
    } else if (name) texts.set(PATHS.hosts, editHosts(hostsText, name, address));
  }

  // A file whose bash reading ttyconf cannot follow exactly is not edited at all (see files/bashSpans.ts).
  for (const [path, d] of docs) {
    const refusal = d.refused();
    if (refusal) errors.push({ file: path, line: refusal.line, reason: refusal.reason });
  }
  if (errors.length) return err(errors);

  const edits: FileEdit[] = [];
  const push = (path: string, after: Buffer): void => {
    const before = snapshot.files.get(path) ?? null;
    if (before && before.equals(after)) return;
    edits.push({ path, before, after });
  };
  for (const [path, d] of docs) push(path, d.toBuffer());
  for (const [path, k] of keyfiles) push(path, k.toBuffer());
  for (const [path, t] of texts) push(path, Buffer.from(t, 'utf8'));
  for (const [path, b] of rawEdits) push(path, b);
  for (const path of removals) {
    const before = snapshot.files.get(path);
    if (before) edits.push({ path, before, after: Buffer.alloc(0), remove: true });
  }
  // The summary is what the files mean after minus what they meant before; when that is nothing,
  // the edits only rewrite how values are written, and nothing is written at all.
  const summary = [
    ...meaningSummary(edits, (path) => {
      const device = rawDevice.get(path);
      const owner = device ? profileFor(state, device) : undefined;
      return device ? { device, file: owner?.file ?? join(PATHS.networkScripts, `ifcfg-${device}`) } : undefined;
    }),
    ...sideSummary,
  ];
  if (summary.length === 0) edits.length = 0;
  const changedPaths = new Set(edits.map((e) => e.path));
  for (const [device, path] of touchedDevices) {
    const routesChanged = [...rawDevice].some(([p, d]) => d === device && changedPaths.has(p));
    if (changedPaths.has(path) || routesChanged) actions.unshift(interfaceAction(state, edits, device, path));
  }
  const dns: DnsTarget = dnsChange ? { servers: dnsChange.dns.servers, required: true } : dnsInUse(state, opts.live, edits);
  // A VLAN action with nothing written (the ID it has already) has nothing to apply; the others
  // carry the VLAN's IPv4 settings on each side, read from the plan's bytes as an interface's are.
  const vlanActions = actions.filter((a): a is VlanAction => a.kind === 'vlan' && changedPaths.has(a.file)).map((a) => withVlanTargets(a, interfaceAction(state, edits, a.name, a.file)));
  const applied = [...actions.filter((a) => a.kind !== 'vlan'), ...vlanActions];
  return ok({ changes, edits, summary, actions: applied, dns, notes, rollbackLimits: rollbackLimits(interfaceActions(applied)) });
}

export function planDiff(plan: Plan): string {
  return plan.edits
    .map((e) => unifiedDiff(e.path, e.before?.toString('latin1') ?? null, e.remove ? null : e.after.toString('latin1')))
    .join('');
}

/** The plan for `changes` on what readCurrent read: what the stack in charge allows and needs. */
export function preparePlan(current: Current, changes: readonly Change[], opts: { store?: ProfileStore } = {}): Result<Plan, PlanError[]> {
  const s = current.stack;
  const nmAbsent = s !== null && s.name !== 'nm' && s.source !== 'root' && !s.nmRunning;
  const networkScripts = s !== null && s.name === 'network-scripts';
  return planChanges(current.snapshot, changes, { live: current.live, nmAbsent, networkScripts, store: opts.store });
}
