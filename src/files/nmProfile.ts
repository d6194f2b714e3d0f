// A NetworkManager keyfile as a ttyconf profile: what NM reads from it, and the edits ttyconf makes
// (IPv4 method, addresses, gateway, DNS). Only the keys an edit owns change; everything else stays.
import { parseIPv4, parsePrefix } from '../model/ipv4.js';
import type { Profile, Warning } from '../model/state.js';
import type { DnsConfig, Ipv4Config, Ipv4Cidr } from '../model/types.js';
import { formatCidr } from '../model/types.js';
import type { KeyFile } from './keyfile.js';
import { keyfileIpv6Dns, readKeyfileIpv6 } from './keyfileIpv6.js';
import { isVlanKeyfile, keyfileVlanDevice, readKeyfileVlan } from './keyfileVlan.js';
import { isIPv6 } from 'node:net';

/** `address`, `address1`, `addresses`, `addresses2`... in the order NM reads them. */
const ADDRESS_KEY = /^(address|addresses)(\d*)$/;
const ROUTE_KEY = /^(route|routes)(\d*)$/;

function ordered(doc: KeyFile, pattern: RegExp): string[] {
  return doc.keys('ipv4').filter((k) => pattern.test(k)).sort((a, b) => {
    const [, na = '', ia = ''] = pattern.exec(a)!;
    const [, nb = '', ib = ''] = pattern.exec(b)!;
    return (Number(ia || '0') - Number(ib || '0')) || na.length - nb.length;
  });
}

/** `IP[/plen][,gw]` or the legacy `IP;plen;gw;`: the address and the gateway NM reads from it. */
function parseAddress(raw: string): { cidr: Ipv4Cidr; gateway: string | null } | null {
  const parts = raw.replace(/;$/, '').split(/[;,]/);
  let [ip = '', plen] = parts[0]!.split('/');
  let rest = parts.slice(1);
  if (plen === undefined && rest.length && /^\d+$/.test(rest[0]!)) {
    plen = rest[0];
    rest = rest.slice(1);
  }
  ip = ip.trim();
  if (parseIPv4(ip) === null) return null;
  const prefix = plen === undefined ? 24 : parsePrefix(plen);
  const gw = rest[0]?.trim();
  return { cidr: { address: ip, prefix: prefix ?? 24 }, gateway: gw && parseIPv4(gw) !== null && gw !== '0.0.0.0' ? gw : null };
}

/** The `routeN` key that is a default route (`0.0.0.0/0,GW`), and its gateway. */
function defaultRoute(doc: KeyFile): { key: string; gateway: string } | null {
  for (const key of ordered(doc, ROUTE_KEY)) {
    const raw = doc.get('ipv4', key) ?? '';
    const m = /^0\.0\.0\.0\/0[,;]([0-9.]+)/.exec(raw);
    if (m && parseIPv4(m[1]!) !== null) return { key, gateway: m[1]! };
  }
  return null;
}

/** `[ethernet] mac-address`, also in the old form of six decimal bytes (`0;17;34;51;68;85;`). */
export function keyfileMac(doc: KeyFile): string | null {
  const raw = doc.get('ethernet', 'mac-address');
  if (!raw) return null;
  const bytes = raw.replace(/;$/, '').split(';');
  if (bytes.length === 6 && bytes.every((b) => /^\d{1,3}$/.test(b) && Number(b) < 256)) {
    return bytes.map((b) => Number(b).toString(16).padStart(2, '0')).join(':');
  }
  return raw.trim().toLowerCase();
}

const TRUE = /^(true|1)[ \t]*$/;
const FALSE = /^(false|0)[ \t]*$/;

function bool(doc: KeyFile, group: string, key: string, dflt: boolean): boolean {
  const v = doc.get(group, key);
  if (v === undefined) return dflt;
  if (TRUE.test(v)) return true;
  if (FALSE.test(v)) return false;
  return dflt;
}

export interface KeyfileRead {
  readonly profile: Profile | null;
  readonly warnings: Warning[];
}

/** The connection types ttyconf configures; other keyfiles (Wi-Fi, bridges, VPNs) are left alone. */
export function isEthernetKeyfile(doc: KeyFile): boolean {
  const type = doc.get('connection', 'type')?.trim();
  return type === 'ethernet' || type === '802-3-ethernet' || (type === undefined && doc.hasGroup('ethernet'));
}

/** The keyfiles ttyconf reads as profiles: Ethernet and VLAN. */
export function isProfileKeyfile(doc: KeyFile): boolean {
  return isEthernetKeyfile(doc) || isVlanKeyfile(doc);
}

/**
 * What NetworkManager reads from an Ethernet keyfile. `device` is the interface it binds to
 * (interface-name, else the device with its MAC, else none: `deviceForMac` decides).
 */
export function readKeyfileProfile(file: string, doc: KeyFile, deviceForMac: (mac: string) => string | null): KeyfileRead {
  const warnings: Warning[] = [];
  const ifname = doc.get('connection', 'interface-name')?.trim() || null;
  const isVlan = isVlanKeyfile(doc);
  const vlan = readKeyfileVlan(doc);
  // A VLAN's [ethernet] mac-address is the MAC it takes, not a device it binds to; without
  // interface-name NetworkManager names it PARENT.ID (a VLAN whose parent ttyconf cannot name binds to nothing).
  const mac = isVlan ? null : keyfileMac(doc);
  const macDevice = mac ? deviceForMac(mac) : null;
  const vlanDevice = isVlan ? keyfileVlanDevice(doc) : null;
  const binding: Profile['binding'] = ifname || vlanDevice ? 'name' : mac || isVlan ? 'mac' : 'unbound';
  const device = ifname ?? vlanDevice ?? macDevice ?? '';

  const methodRaw = doc.hasGroup('ipv4') ? (doc.get('ipv4', 'method')?.trim() ?? 'auto') : 'auto';
  const addresses: Ipv4Cidr[] = [];
  let addrGateway: string | null = null;
  for (const key of ordered(doc, ADDRESS_KEY)) {
    const e = doc.entry('ipv4', key)!;
    const a = parseAddress(doc.get('ipv4', key) ?? '');
    if (!a) {
      warnings.push({ file, line: e.line, key, message: `[ipv4] ${key}=${e.raw} is not an IPv4 address` });
      continue;
    }
    if (!addresses.some((x) => formatCidr(x) === formatCidr(a.cidr))) addresses.push(a.cidr);
    addrGateway ??= a.gateway;
  }
  const gatewayKey = doc.get('ipv4', 'gateway')?.trim();
  const route = defaultRoute(doc);
  const gateway = gatewayKey || addrGateway || route?.gateway || null;
  const method: Profile['method'] =
    methodRaw === 'auto' ? 'dhcp'
      : methodRaw === 'manual' ? (addresses.length ? 'static' : 'disabled')
        : methodRaw === 'disabled' || methodRaw === 'link-local' ? 'disabled'
          : 'unknown';
  const port = doc.get('connection', 'master') ?? doc.get('connection', 'controller');
  const rejected = rejectedBy(doc, methodRaw, addresses.length);
  if (rejected) warnings.push({ file, message: `NetworkManager rejects this profile: ${rejected}` });
  const readOnly = port
    ? `it is a port of ${port} (${doc.get('connection', 'slave-type') ?? doc.get('connection', 'port-type') ?? 'bond or bridge'}): NetworkManager takes no IP settings on a port`
    // An IPv4 edit cures a manual method without an address; anything else ttyconf cannot fix.
    : rejected && !rejected.startsWith('[ipv4]') ? `NetworkManager rejects this profile (${rejected}); fix it by hand or remove it` : null;
  const priority = Number.parseInt(doc.get('connection', 'autoconnect-priority') ?? '', 10);
  const profile: Profile = {
    store: 'keyfile',
    file,
    editPath: file,
    readOnly,
    device,
    binding,
    name: doc.get('connection', 'id') ?? null,
    uuid: doc.get('connection', 'uuid')?.trim() || null,
    hwaddr: mac,
    method,
    bootproto: methodRaw,
    addresses,
    gateway,
    defroute: !bool(doc, 'ipv4', 'never-default', false),
    onboot: bool(doc, 'connection', 'autoconnect', true),
    dns: [...(doc.getList('ipv4', 'dns') ?? []).map((s) => s.trim()).filter((s) => s !== ''), ...keyfileIpv6Dns(doc)],
    domains: (doc.getList('ipv4', 'dns-search') ?? []).map((s) => s.trim()).filter((s) => s !== ''),
    peerdns: !bool(doc, 'ipv4', 'ignore-auto-dns', false),
    nmControlled: true,
    priority: Number.isFinite(priority) ? priority : 0,
    lastUsed: Number.parseInt(doc.get('connection', 'timestamp') ?? '', 10) || 0,
    ...(route && !gatewayKey && !addrGateway ? { gatewayRoute: route.key } : {}),
    ipv6: readKeyfileIpv6(doc),
    ...(vlan ? { vlan } : {}),
  };
  return { profile, warnings };
}

/** Why NetworkManager refuses to load the profile (the checks it makes that files in the wild fail), or null. */
function rejectedBy(doc: KeyFile, ipv4Method: string, ipv4Addresses: number): string | null {
  if (ipv4Method === 'manual' && ipv4Addresses === 0) return '[ipv4] method=manual without an address';
  const v6 = doc.get('ipv6', 'method')?.trim();
  if (v6 === 'manual' && !doc.keys('ipv6').some((k) => ADDRESS_KEY.test(k))) return '[ipv6] method=manual without an address';
  return null;
}

/**
 * Sets the IPv4 method, address and gateway. A gateway held as a default route (`routeN=0.0.0.0/0,GW`)
 * stays a route: that very key is replaced (or removed), never a second default added beside it.
 */
export function editKeyfileIpv4(doc: KeyFile, cfg: Ipv4Config): void {
  const route = defaultRoute(doc);
  if (cfg.method === 'dhcp') {
    doc.set('ipv4', 'method', 'auto');
    for (const k of ordered(doc, ADDRESS_KEY)) doc.delete('ipv4', k);
    doc.delete('ipv4', 'gateway');
    if (route) {
      doc.delete('ipv4', route.key);
      doc.delete('ipv4', `${route.key}_options`);
    }
    return;
  }
  doc.set('ipv4', 'method', 'manual');
  // address1 keeps its line when it exists; every other address key (legacy forms too) goes.
  for (const k of ordered(doc, ADDRESS_KEY)) if (k !== 'address1') doc.delete('ipv4', k);
  doc.set('ipv4', 'address1', formatCidr(cfg.address));
  const gatewayAsRoute = route !== null && doc.get('ipv4', 'gateway') === undefined;
  if (gatewayAsRoute && route) {
    if (cfg.gateway) doc.set('ipv4', route.key, `0.0.0.0/0,${cfg.gateway}`);
    else {
      doc.delete('ipv4', route.key);
      doc.delete('ipv4', `${route.key}_options`);
    }
  } else if (cfg.gateway) doc.set('ipv4', 'gateway', cfg.gateway);
  else doc.delete('ipv4', 'gateway');
  if (cfg.gateway) doc.delete('ipv4', 'never-default');
}

/** Servers and search domains of the default-route profile; ignore-auto-dns when DHCP must not replace them. */
export function editKeyfileDns(doc: KeyFile, dns: DnsConfig | null, dhcp: boolean): void {
  if (!dns) {
    doc.delete('ipv4', 'dns');
    doc.delete('ipv6', 'dns');
    doc.delete('ipv4', 'dns-search');
    return;
  }
  // NetworkManager drops an IPv6 server from [ipv4] dns (and an IPv4 one from [ipv6]): each family has its own list.
  const v4 = dns.servers.filter((s) => !isIPv6(s));
  const v6 = dns.servers.filter((s) => isIPv6(s));
  if (v4.length) doc.setList('ipv4', 'dns', v4);
  else doc.delete('ipv4', 'dns');
  if (v6.length) doc.setList('ipv6', 'dns', v6);
  else doc.delete('ipv6', 'dns');
  if (dns.search.length) doc.setList('ipv4', 'dns-search', dns.search);
  else doc.delete('ipv4', 'dns-search');
  if (dhcp && dns.servers.length) doc.setBoolean('ipv4', 'ignore-auto-dns', true);
  else doc.delete('ipv4', 'ignore-auto-dns');
}

/** A new profile for a device, as NetworkManager itself would write it. */
export function newKeyfileText(device: string, uuid: string): string {
  return [
    '[connection]',
    `id=${device}`,
    `uuid=${uuid}`,
    'type=ethernet',
    `interface-name=${device}`,
    'autoconnect=true',
    '',
    '[ethernet]',
    '',
    '[ipv4]',
    'method=auto',
    '',
    '[ipv6]',
    'addr-gen-mode=stable-privacy',
    'method=disabled',
    '',
    '[proxy]',
    '',
  ].join('\n');
}
