// The [ipv6] group of a NetworkManager keyfile: what NetworkManager reads from it, and the edit
// ttyconf makes. Only the keys an edit owns change; addr-gen-mode, routes, dns and the rest stay.
import { isIPv6 } from 'node:net';
import { type Ipv6Cidr, type Ipv6Config, type Ipv6Profile, formatCidr6, normalizeIPv6, parsePrefix6 } from '../model/ipv6.js';
import type { KeyFile } from './keyfile.js';

/** `address`, `address1`, `addresses`, `addresses2`... in the order NetworkManager reads them. */
const ADDRESS_KEY = /^(address|addresses)(\d*)$/;

function addressKeys(doc: KeyFile): string[] {
  return doc.keys('ipv6').filter((k) => ADDRESS_KEY.test(k)).sort((a, b) => {
    const [, na = '', ia = ''] = ADDRESS_KEY.exec(a)!;
    const [, nb = '', ib = ''] = ADDRESS_KEY.exec(b)!;
    return (Number(ia || '0') - Number(ib || '0')) || na.length - nb.length;
  });
}

/** `IP[/plen][,gw]` or the legacy `IP;plen;gw;` (plen 64 when missing, as NetworkManager reads it). */
function parseAddress6(raw: string): { cidr: Ipv6Cidr; gateway: string | null } | null {
  const parts = raw.trim().replace(/;$/, '').split(/[;,]/);
  const [ip = '', givenPrefix] = parts[0]!.split('/');
  let plen = givenPrefix;
  let rest = parts.slice(1);
  if (plen === undefined && rest.length && /^\d+$/.test(rest[0]!)) {
    plen = rest[0];
    rest = rest.slice(1);
  }
  const address = normalizeIPv6(ip.trim());
  const prefix = plen === undefined ? 64 : parsePrefix6(plen.trim());
  if (!address || prefix === null) return null;
  const gw = rest[0]?.trim();
  return { cidr: { address, prefix }, gateway: gw && isIPv6(gw) && normalizeIPv6(gw) !== '::' ? normalizeIPv6(gw) : null };
}

/** IPv6 as NetworkManager reads the keyfile (no [ipv6] group: auto). */
export function readKeyfileIpv6(doc: KeyFile): Ipv6Profile {
  const raw = doc.hasGroup('ipv6') ? (doc.get('ipv6', 'method')?.trim() ?? 'auto') : 'auto';
  const addresses: Ipv6Cidr[] = [];
  let addrGateway: string | null = null;
  for (const k of addressKeys(doc)) {
    const a = parseAddress6(doc.get('ipv6', k) ?? '');
    if (!a) continue;
    if (!addresses.some((x) => x.address === a.cidr.address)) addresses.push(a.cidr);
    addrGateway ??= a.gateway;
  }
  const gwKey = doc.get('ipv6', 'gateway')?.trim();
  const gateway = (gwKey ? normalizeIPv6(gwKey) : null) ?? addrGateway;
  const method: Ipv6Profile['method'] =
    raw === 'ignore' || raw === 'disabled' ? 'ignore'
      : raw === 'auto' ? 'auto'
        : raw === 'dhcp' ? 'dhcp'
          : raw === 'manual' ? 'static'
            : 'unknown';
  return { method, raw: `method=${raw}`, addresses, gateway };
}

/** Keys NetworkManager refuses beside method=ignore or disabled (the whole profile fails to load). */
const NOT_WHEN_OFF = ['dns', 'dns-search'];

/**
 * Sets [ipv6] method, addressN and gateway. Off keeps `disabled` where the file says so (it turns
 * the kernel's IPv6 off too) and writes `ignore` otherwise, which every NetworkManager knows.
 * Returns the keys that had to go with it (`[ipv6] dns=...`: NetworkManager rejects them when off).
 */
export function editKeyfileIpv6(doc: KeyFile, cfg: Ipv6Config): string[] {
  const dropped: string[] = [];
  const dropAddresses = (keep: string | null): void => {
    for (const k of addressKeys(doc)) if (k !== keep) doc.delete('ipv6', k);
  };
  if (cfg.method !== 'static') {
    const now = doc.get('ipv6', 'method')?.trim();
    const method = cfg.method === 'ignore' ? (now === 'disabled' ? 'disabled' : 'ignore') : cfg.method;
    doc.set('ipv6', 'method', method);
    dropAddresses(null);
    doc.delete('ipv6', 'gateway');
    if (cfg.method === 'ignore') {
      for (const k of NOT_WHEN_OFF) {
        const v = doc.get('ipv6', k);
        if (v === undefined) continue;
        dropped.push(`[ipv6] ${k}=${v}`);
        doc.delete('ipv6', k);
      }
    }
    return dropped;
  }
  doc.set('ipv6', 'method', 'manual');
  // address1.. keep their lines where they exist; any other address key (legacy forms too) goes.
  const wanted = new Set(cfg.addresses.map((_, i) => `address${i + 1}`));
  for (const k of addressKeys(doc)) if (!wanted.has(k)) doc.delete('ipv6', k);
  cfg.addresses.forEach((a, i) => doc.set('ipv6', `address${i + 1}`, formatCidr6(a)));
  if (cfg.gateway) doc.set('ipv6', 'gateway', cfg.gateway);
  else doc.delete('ipv6', 'gateway');
  if (cfg.gateway) doc.delete('ipv6', 'never-default');
  return dropped;
}

/** [ipv6] dns: the IPv6 servers (NetworkManager drops an IPv6 server from [ipv4] dns). */
export function keyfileIpv6Dns(doc: KeyFile): string[] {
  return (doc.getList('ipv6', 'dns') ?? []).map((s) => s.trim()).filter((s) => s !== '');
}

/**
 * Why IPv6 DNS servers cannot go to this keyfile, or null: NetworkManager rejects the whole profile
 * when [ipv6] dns is set beside method=ignore or disabled.
 */
export function ipv6DnsRefusal(doc: KeyFile, servers: readonly string[]): string | null {
  const v6 = servers.filter((s) => isIPv6(s));
  const method = doc.get('ipv6', 'method')?.trim();
  if (!v6.length || (method !== 'ignore' && method !== 'disabled')) return null;
  return `${v6.length === 1 ? 'is an IPv6 server' : 'lists IPv6 servers'} (${v6.join(' ')}), but IPv6 is off in this profile ([ipv6] method=${method}), and NetworkManager refuses IPv6 DNS servers there: turn IPv6 on first (set ip6), or give IPv4 servers`;
}
