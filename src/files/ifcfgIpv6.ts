// The IPv6 keys of an ifcfg file: what NetworkManager reads from them, and the edit ttyconf makes.
// IPV6INIT is always written (NetworkManager reads a missing one as off, network-scripts as on).
import { type Ipv6Cidr, type Ipv6Config, type Ipv6Profile, formatCidr6, isLinkLocal6, normalizeIPv6, parsePrefix6 } from '../model/ipv6.js';
import type { ShellVarsFile } from './shellVars.js';

const TRUE = /^(yes|true|t|y|1)$/i;
const FALSE = /^(no|false|f|n|0)$/i;

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined || v === '') return dflt;
  if (TRUE.test(v)) return true;
  if (FALSE.test(v)) return false;
  return dflt;
}

/** `addr[/plen]` (plen 64 when missing, as both readers take it), or null. */
function parseCidr6(text: string): Ipv6Cidr | null {
  const [a = '', p] = text.split('/');
  const address = normalizeIPv6(a);
  const prefix = p === undefined ? 64 : parsePrefix6(p);
  return address && prefix !== null && prefix > 0 ? { address, prefix } : null;
}

/** The keys one IPv6 edit owns (IPV6_FAILURE_FATAL, IPV6_DEFROUTE, IPV6_PEERDNS... stay the admin's). */
export const IFCFG_IPV6_KEYS = /^(IPV6INIT|IPV6_AUTOCONF|DHCPV6C|IPV6ADDR|IPV6ADDR_SECONDARIES|IPV6_DEFAULTGW)$/;

/** IPv6 as NetworkManager's ifcfg-rh reader takes it from the file's keys. */
export function readIfcfgIpv6(doc: ShellVarsFile): Ipv6Profile {
  const init = doc.get('IPV6INIT');
  const addresses: Ipv6Cidr[] = [];
  for (const t of [doc.get('IPV6ADDR') ?? '', ...(doc.get('IPV6ADDR_SECONDARIES') ?? '').split(/\s+/)]) {
    const c = t === '' ? null : parseCidr6(t);
    if (c && !addresses.some((x) => x.address === c.address)) addresses.push(c);
  }
  const gwRaw = (doc.get('IPV6_DEFAULTGW') ?? '').split('%')[0]!;
  const gateway = gwRaw ? normalizeIPv6(gwRaw) : null;
  if (!bool(init, false)) return { method: 'ignore', raw: init === undefined ? 'IPV6INIT unset' : `IPV6INIT=${init}`, addresses: [], gateway: null };
  const autoconf = bool(doc.get('IPV6_AUTOCONF'), !bool(doc.get('IPV6FORWARDING'), false));
  const dhcp = bool(doc.get('DHCPV6C'), false);
  const method: Ipv6Profile['method'] = autoconf ? 'auto' : dhcp ? 'dhcp' : addresses.length ? 'static' : 'unknown';
  const raw = method === 'unknown' ? 'link-local' : `IPV6_AUTOCONF=${doc.get('IPV6_AUTOCONF') ?? '(unset)'}${dhcp ? ' DHCPV6C=yes' : ''}`;
  // NetworkManager takes the gateway only beside static addresses.
  return { method, raw, addresses, gateway: addresses.length ? gateway : null };
}

/** Sets the IPv6 method, addresses and gateway of `device`'s ifcfg file, keeping every other key. */
export function editIfcfgIpv6(doc: ShellVarsFile, device: string, cfg: Ipv6Config): void {
  if (cfg.method === 'ignore') {
    doc.set('IPV6INIT', 'no');
    for (const k of ['IPV6_AUTOCONF', 'DHCPV6C', 'IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'IPV6_DEFAULTGW']) doc.delete(k);
    return;
  }
  doc.set('IPV6INIT', 'yes');
  doc.set('IPV6_AUTOCONF', cfg.method === 'auto' ? 'yes' : 'no');
  if (cfg.method === 'dhcp') doc.set('DHCPV6C', 'yes');
  else doc.delete('DHCPV6C');
  if (cfg.method !== 'static') {
    for (const k of ['IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'IPV6_DEFAULTGW']) doc.delete(k);
    return;
  }
  const [first, ...rest] = cfg.addresses;
  doc.set('IPV6ADDR', formatCidr6(first!));
  if (rest.length) doc.set('IPV6ADDR_SECONDARIES', rest.map(formatCidr6).join(' '), { quote: true });
  else doc.delete('IPV6ADDR_SECONDARIES');
  // network-scripts needs the device of a link-local gateway (GW%DEV); NetworkManager strips it.
  if (cfg.gateway) doc.set('IPV6_DEFAULTGW', isLinkLocal6(cfg.gateway) ? `${cfg.gateway}%${device}` : cfg.gateway);
  else doc.delete('IPV6_DEFAULTGW');
}
