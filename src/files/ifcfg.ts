// ifcfg-* files: which names count, and what a profile says (as NetworkManager reads it).
import { IGNORED_IFCFG_SUFFIX } from '../model/ifname.js';
import { netmaskToPrefix, parseIPv4, parsePrefix } from '../model/ipv4.js';
import type { Profile, Warning } from '../model/state.js';
import type { Ipv4Cidr } from '../model/types.js';
import { readIfcfgIpv6 } from './ifcfgIpv6.js';
import { readIfcfgVlan } from './ifcfgVlan.js';
import type { ShellVarsFile } from './shellVars.js';

export type IfcfgKind = 'profile' | 'alias' | 'range' | 'loopback' | 'ignored';

/** How initscripts and NM treat a file name in network-scripts. */
export function classifyIfcfgName(name: string): IfcfgKind {
  if (!name.startsWith('ifcfg-') || IGNORED_IFCFG_SUFFIX.test(name)) return 'ignored';
  const suffix = name.slice('ifcfg-'.length);
  if (suffix === '') return 'ignored';
  if (suffix === 'lo') return 'loopback';
  if (suffix.includes(':')) return 'alias';
  if (/-range/.test(suffix)) return 'range';
  return 'profile';
}

const TRUE = /^(yes|true|t|y|1)$/i;
const FALSE = /^(no|false|f|n|0)$/i;

function bool(v: string | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (TRUE.test(v)) return true;
  if (FALSE.test(v)) return false;
  return dflt;
}

/** IPADDR/PREFIX pairs in NM's order: unnumbered, 0, 1, 2..., stopping at the first missing index >= 2. */
function addresses(f: ShellVarsFile): Ipv4Cidr[] {
  const out: Ipv4Cidr[] = [];
  const suffixes = ['', '0', '1'];
  for (let i = 2; i < 256 && f.get(`IPADDR${i}`); i++) suffixes.push(String(i));
  for (const s of suffixes) {
    const ip = f.get(`IPADDR${s}`);
    if (!ip || parseIPv4(ip) === null) continue;
    const prefixText = f.get(`PREFIX${s}`);
    const maskText = f.get(`NETMASK${s}`);
    const prefix = prefixText ? parsePrefix(prefixText) : maskText ? netmaskToPrefix(maskText) : null;
    out.push({ address: ip, prefix: prefix ?? 24 });
  }
  return out;
}

function dnsServers(f: ShellVarsFile): string[] {
  const out: string[] = [];
  for (let i = 1; i <= 10; i++) {
    const v = f.get(`DNS${i}`);
    if (v) out.push(v);
  }
  return out;
}

export function readProfile(file: string, fileName: string, doc: ShellVarsFile): { profile: Profile; warnings: Warning[] } {
  const warnings: Warning[] = [];
  for (const e of doc.entries()) {
    if (e.warning) warnings.push({ file, line: e.line, key: e.key, message: `${e.key} ${e.warning}` });
  }
  const refusal = doc.bashRefusal();
  if (refusal) warnings.push({ file, line: refusal.line, message: `ttyconf will not edit this file: ${refusal.reason}` });
  const bootproto = doc.get('BOOTPROTO') ?? '';
  const addrs = addresses(doc);
  const bp = bootproto.toLowerCase();
  const method: Profile['method'] =
    bp === 'dhcp' || bp === 'bootp' ? 'dhcp'
      : bp === 'none' || bp === 'static' || bp === '' ? (addrs.length ? 'static' : 'disabled')
        : 'unknown';
  if (bootproto !== '' && bootproto !== bp && (bp === 'dhcp' || bp === 'bootp')) {
    warnings.push({
      file,
      key: 'BOOTPROTO',
      message: `BOOTPROTO=${bootproto}: NetworkManager uses DHCP (it ignores case); network-scripts do not (ifup-eth compares with "${bp}" exactly) and set the file's static addresses, if any`,
    });
  }
  const priority = Number.parseInt(doc.get('AUTOCONNECT_PRIORITY') ?? '', 10);
  const device = doc.get('DEVICE') || fileName.slice('ifcfg-'.length);
  const vlan = readIfcfgVlan(doc, device);
  const profile: Profile = {
    store: 'ifcfg',
    file,
    editPath: file,
    readOnly: null,
    binding: 'name',
    priority: Number.isFinite(priority) ? priority : 0,
    device,
    name: doc.get('NAME') || null,
    uuid: doc.get('UUID') || null,
    hwaddr: doc.get('HWADDR') || null,
    method,
    bootproto,
    addresses: addrs,
    gateway: doc.get('GATEWAY') || doc.get('GATEWAY0') || null,
    defroute: bool(doc.get('DEFROUTE'), true),
    onboot: bool(doc.get('ONBOOT'), true),
    dns: dnsServers(doc),
    domains: (doc.get('DOMAIN') ?? '').split(/\s+/).filter((d) => d !== ''),
    peerdns: bool(doc.get('PEERDNS'), true),
    nmControlled: bool(doc.get('NM_CONTROLLED'), true),
    ipv6: readIfcfgIpv6(doc),
    ...(vlan ? { vlan } : {}),
  };
  return { profile, warnings };
}
