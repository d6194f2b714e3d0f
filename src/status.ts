// What the status screen and `ttyconf show` present: files and live state merged. Pure.
import type { FilesState, LinkStatus, LiveState, Warning } from './model/state.js';
import { formatCidr } from './model/types.js';
import type { StackName } from './apply/types.js';
import { type StackInfo, stackForDevice } from './system/stack.js';

export interface InterfaceStatus {
  readonly name: string;
  readonly mac: string | null;
  readonly link: LinkStatus;
  /** From the ifcfg file; null when the interface has none. */
  readonly method: 'dhcp' | 'static' | 'disabled' | 'unknown' | null;
  /** The configured static addresses (CIDR). */
  readonly addresses: readonly string[];
  /** What the running system holds (CIDR), when ttyconf can see it. */
  readonly liveAddresses: readonly string[];
  readonly gateway: string | null;
  readonly onboot: boolean | null;
  readonly file: string | null;
  /** Who applies this interface's settings; null when the stack is not known. */
  readonly stack: StackName | null;
  /** Why (e.g. "NetworkManager does not manage eth1 (unmanaged)"). */
  readonly stackWhy: string | null;
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
  readonly dns: { readonly servers: readonly string[]; readonly search: readonly string[] };
  readonly resolvConf: { readonly servers: readonly string[]; readonly search: readonly string[]; readonly owner: string };
  readonly warnings: readonly Warning[];
  /** Who applies settings on this machine; null when not detected (no programs run). */
  readonly stack: StackStatus | null;
}

export function buildStatus(files: FilesState, live: LiveState, stack: StackInfo | null = null): Status {
  const names = [...new Set([...files.profiles.map((p) => p.device), ...live.links.filter((l) => !l.virtual).map((l) => l.name)])];
  const interfaces: InterfaceStatus[] = names.map((name) => {
    const p = files.profiles.find((x) => x.device === name) ?? null;
    const l = live.links.find((x) => x.name === name) ?? null;
    return {
      name,
      mac: l?.mac ?? p?.hwaddr?.toLowerCase() ?? null,
      link: l?.link ?? 'unknown',
      method: p?.method ?? null,
      addresses: p && p.method !== 'dhcp' ? p.addresses.map(formatCidr) : [],
      liveAddresses: (l?.addresses ?? []).map(formatCidr),
      gateway: p && p.method !== 'dhcp' ? p.gateway : null,
      onboot: p?.onboot ?? null,
      file: p?.file ?? null,
      ...deviceStack(stack, name, p ?? undefined),
    };
  });
  const staticGateway = files.profiles.find((p) => p.method === 'static' && p.gateway && p.defroute)?.gateway ?? null;
  const defaultGateway = live.defaultGateway?.via ?? staticGateway;
  const routeDev = live.defaultGateway?.dev ?? files.profiles.find((p) => p.gateway && p.defroute)?.device;
  const dnsProfile = files.profiles.find((p) => p.device === routeDev && p.dns.length)
    ?? files.profiles.find((p) => p.dns.length);
  const dns = dnsProfile
    ? { servers: dnsProfile.dns, search: dnsProfile.domains.length ? dnsProfile.domains : files.resolv.search }
    : { servers: files.resolv.servers, search: files.resolv.search };

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
  return {
    hostname: files.hostname,
    liveHostname: live.hostname,
    interfaces,
    defaultGateway,
    dns,
    resolvConf: { servers: files.resolv.servers, search: files.resolv.search, owner: files.resolv.owner },
    warnings,
    stack: stack ? { name: stack.name, source: stack.source, why: stack.why } : null,
  };
}

function deviceStack(stack: StackInfo | null, name: string, p: FilesState['profiles'][number] | undefined): { stack: StackName | null; stackWhy: string | null } {
  if (!stack) return { stack: null, stackWhy: null };
  const d = stackForDevice(stack, name, p);
  return { stack: d.stack, stackWhy: d.why };
}
