// What the status screen and `ttyconf show` present: files and live state merged. Pure.
import { type FilesState, type ProfileStore, type Warning, ownedProfiles, ownerOf, readOnlyReason } from './model/state.js';
import { formatCidr } from './model/types.js';
import { defaultRouteOf, formatRoute, isDefaultRoute } from './model/routes.js';
import { type Readings, describeStaticKeys, profileReadings, staticKeysUnderDhcp } from './model/readings.js';
import { RESOLVER_MAX_SERVERS, dnsMismatch, resolvWriter, shownDns } from './model/resolver.js';
import { type LinkStatus, type LiveState, linkAddresses } from './model/live.js';
import type { StackName } from './model/stack.js';
import { type StackInfo, stackForDevice } from './system/stack.js';
import { type Ipv6Status, ipv6Status } from './statusIpv6.js';
import type { VlanConfig } from './model/vlan.js';
import { underParents } from './statusVlan.js';

export interface InterfaceStatus {
  readonly name: string;
  readonly mac: string | null;
  readonly link: LinkStatus;
  /** From its profile (ifcfg file or keyfile); null when the interface has none. */
  readonly method: 'dhcp' | 'static' | 'disabled' | 'unknown' | null;
  /** The configured static addresses (CIDR). */
  readonly addresses: readonly string[];
  /** What the running system holds (CIDR), when ttyconf can see it. */
  readonly liveAddresses: readonly string[];
  readonly gateway: string | null;
  /** The file that holds the gateway: the ifcfg file (GATEWAY) or a route-DEV file (its default route). */
  readonly gatewayFile: string | null;
  /** Static routes from the route-DEV files other than the default route (`10.1.0.0/16 via 192.0.2.254`). */
  readonly routes: readonly string[];
  /** How NetworkManager and network-scripts each read the profile, when they differ. */
  readonly readings: Readings | null;
  readonly onboot: boolean | null;
  readonly file: string | null;
  /** Which store the file belongs to (ifcfg file or NetworkManager keyfile); null without a file. */
  readonly store: ProfileStore | null;
  /** Why ttyconf cannot change this interface (its profile is read-only or unreadable), or null. */
  readonly readOnly: string | null;
  /** Who applies this interface's settings; null when the stack is not known. */
  readonly stack: StackName | null;
  /** Why (e.g. "NetworkManager does not manage eth1 (unmanaged)"). */
  readonly stackWhy: string | null;
  readonly ipv6: Ipv6Status;
  /** The VLAN this interface is (its parent and ID), or null. */
  readonly vlan: VlanConfig | null;
}

export interface StackStatus {
  readonly name: StackName;
  readonly source: StackInfo['source'];
  readonly why: string;
}

export interface Status {
  readonly hostname: string | null;
  readonly liveHostname: string | null;
  readonly interfaces: readonly InterfaceStatus[];
  readonly defaultGateway: string | null;
  /** The kernel's IPv6 default route, when there is one. */
  readonly defaultGateway6: { readonly via: string; readonly dev: string } | null;
  /** What the resolver uses: resolv.conf, or the profile's DNSn/DOMAIN where resolv.conf is written from them. */
  readonly dns: { readonly servers: readonly string[]; readonly search: readonly string[] };
  /** DNS1..3/DOMAIN of the profile ttyconf writes DNS to; null when no profile has any. */
  readonly configuredDns: { readonly servers: readonly string[]; readonly search: readonly string[]; readonly file: string } | null;
  readonly resolvConf: { readonly servers: readonly string[]; readonly search: readonly string[]; readonly owner: string };
  readonly resolver: {
    /** Where `dns` comes from: resolv.conf itself, or the profile's DNSn/DOMAIN (resolv.conf is written from them). */
    readonly dnsFrom: 'resolv.conf' | 'profile';
    /** Who writes resolv.conf, in words (e.g. "nobody rewrites it from the profiles (NetworkManager: dns=none in ...)"). */
    readonly writer: string;
    /** Why NetworkManager leaves resolv.conf alone (dns=none or rc-manager=unmanaged, with the file); null otherwise. */
    readonly nmLeavesAlone: string | null;
  };
  readonly warnings: readonly Warning[];
  /** Who applies settings on this machine; null when not detected (no programs run). */
  readonly stack: StackStatus | null;
}

export function buildStatus(files: FilesState, live: LiveState, stack: StackInfo | null = null): Status {
  const owned = ownedProfiles(files);
  const names = [...new Set([...owned.map((p) => p.device), ...live.links.filter((l) => !l.virtual).map((l) => l.name)])];
  const interfaces: InterfaceStatus[] = underParents(names.map((name): InterfaceStatus => {
    const p = ownerOf(files, name) ?? null;
    const l = live.links.find((x) => x.name === name) ?? null;
    const routeFiles = p ? files.routeFiles.filter((r) => r.profile === p.file) : [];
    const routeDefault = defaultRouteOf(routeFiles);
    const ifcfgGateway = p && p.method !== 'dhcp' ? p.gateway : null;
    const gateway = p && p.method !== 'dhcp' ? (ifcfgGateway ?? routeDefault?.route.via ?? null) : null;
    return {
      name,
      mac: l?.mac ?? p?.hwaddr?.toLowerCase() ?? null,
      link: l?.link ?? 'unknown',
      method: p?.method ?? null,
      addresses: p && p.method !== 'dhcp' ? p.addresses.map(formatCidr) : [],
      liveAddresses: linkAddresses(live, name).map(formatCidr),
      gateway,
      gatewayFile: gateway === null ? null : ifcfgGateway !== null ? p!.file : routeDefault!.file.file,
      routes: routeFiles.flatMap((r) => r.routes.filter((x) => !isDefaultRoute(x)).map(formatRoute)),
      readings: p ? profileReadings(p) : null,
      onboot: p?.onboot ?? null,
      file: p?.file ?? null,
      store: p?.store ?? null,
      readOnly: readOnlyReason(files, name),
      ...deviceStack(stack, name, p ?? undefined),
      ipv6: ipv6Status(p, l ? live.addresses6?.[name] : undefined),
      vlan: p?.vlan ?? null,
    };
  }));
  // A default route in route-DEV counts as the interface's gateway (ifup-routes adds it whatever DEFROUTE says).
  const defroute = (i: InterfaceStatus): boolean => ownerOf(files, i.name)?.defroute ?? true;
  const gatewayIface = interfaces.find((i) => i.method === 'static' && i.gateway !== null && (i.gatewayFile !== i.file || defroute(i)));
  const defaultGateway = live.defaultRoute?.via ?? gatewayIface?.gateway ?? null;
  const routeDev = live.defaultRoute?.dev ?? gatewayIface?.name;
  const dnsProfile = owned.find((p) => p.device === routeDev && p.dns.length)
    ?? owned.find((p) => p.dns.length);
  const shown = shownDns(files, dnsProfile);
  const dns = { servers: shown.servers, search: shown.search };

  const warnings: Warning[] = [...files.warnings];
  const hostname = files.hostname ?? live.hostname;
  if (!hostname || /^localhost(\.localdomain)?$/.test(hostname)) {
    warnings.push({ message: `hostname is ${hostname ?? 'not set'}: set a real name` });
  }
  for (const i of interfaces) {
    if (i.method === 'static' && i.addresses.length === 0) warnings.push({ file: i.file ?? undefined, message: `${i.name} is static but has no address` });
    if (i.link === 'up' && i.liveAddresses.length === 0 && i.addresses.length === 0) {
      warnings.push({ message: `${i.name} has link but no IPv4 address${i.method === 'dhcp' ? ' (no DHCP lease yet)' : ''}` });
    }
  }
  if (dns.servers.length === 0) warnings.push({ message: 'no DNS servers are set' });
  warnings.push(...routeAndReadingWarnings(files));
  const mismatch = dnsMismatch(files, dnsProfile);
  if (mismatch) warnings.push({ file: 'etc/resolv.conf', message: mismatch });
  if (files.resolv.servers.length > RESOLVER_MAX_SERVERS) {
    warnings.push({ file: 'etc/resolv.conf', message: `resolv.conf lists ${files.resolv.servers.length} name servers; the resolver uses the first ${RESOLVER_MAX_SERVERS}` });
  }
  return {
    hostname: files.hostname,
    liveHostname: live.hostname,
    interfaces,
    defaultGateway,
    defaultGateway6: live.defaultRoute6 ?? null,
    dns,
    configuredDns: dnsProfile ? { servers: dnsProfile.dns, search: dnsProfile.domains, file: dnsProfile.file } : null,
    resolvConf: { servers: files.resolv.servers, search: files.resolv.search, owner: files.resolv.owner },
    resolver: { dnsFrom: shown.from, writer: resolvWriter(files), nmLeavesAlone: files.resolv.nmLeavesAlone },
    warnings,
    stack: stack ? { name: stack.name, source: stack.source, why: stack.why } : null,
  };
}

function deviceStack(stack: StackInfo | null, name: string, p: FilesState['profiles'][number] | undefined): { stack: StackName | null; stackWhy: string | null } {
  if (!stack) return { stack: null, stackWhy: null };
  const d = stackForDevice(stack, name, p);
  return { stack: d.stack, stackWhy: d.why };
}

/** Two default routes for one interface, and profiles the two stacks read differently. */
function routeAndReadingWarnings(files: FilesState): Warning[] {
  const out: Warning[] = [];
  for (const p of files.profiles) {
    const routeDefault = defaultRouteOf(files.routeFiles.filter((r) => r.profile === p.file));
    if (routeDefault && p.gateway && p.method !== 'dhcp') {
      out.push({
        file: routeDefault.file.file,
        line: routeDefault.route.line,
        message: `${p.device} has two default routes: GATEWAY=${p.gateway} in ${p.file} and "${formatRoute(routeDefault.route)}" in ${routeDefault.file.file}`,
      });
    }
    const extra = staticKeysUnderDhcp(p);
    // BOOTPROTO=DHCP (not in lower case) is static to network-scripts: the file's own warning says so.
    if (extra && (p.store !== 'ifcfg' || p.bootproto === 'dhcp' || p.bootproto === 'bootp')) {
      out.push({
        file: p.file,
        key: 'BOOTPROTO',
        message: `BOOTPROTO=dhcp with static keys: NetworkManager adds ${describeStaticKeys(extra)} beside the DHCP lease; network-scripts ignores them`,
      });
    }
  }
  return out;
}
