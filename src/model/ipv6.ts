// IPv6 settings of one interface: the types, the address arithmetic, and the validation of what
// was typed (every error at once, each naming the field, the value and the rule). Pure.
import { isIPv6 } from 'node:net';
import { type FieldError, fieldError } from './fieldError.js';
import { interfaceNameErrors } from './ifname.js';
import { isIPv4, parseIPv6 } from './ipv4.js';
import { type Result, err, ok } from './result.js';

export interface Ipv6Cidr {
  /** Lower case, compressed as RFC 5952 writes it. */
  readonly address: string;
  readonly prefix: number;
}

/** ignore: IPv6 off; auto: router advertisements (SLAAC); dhcp: DHCPv6; static: the addresses given. */
export type Ipv6Method = 'ignore' | 'auto' | 'dhcp' | 'static';
export const IPV6_METHODS: readonly Ipv6Method[] = ['ignore', 'auto', 'dhcp', 'static'];

export type Ipv6Config =
  | { readonly method: 'ignore' | 'auto' | 'dhcp' }
  | {
      readonly method: 'static';
      /** At least one; the first is the primary address (IPV6ADDR, address1). */
      readonly addresses: readonly Ipv6Cidr[];
      /** A link-local gateway is reached through the interface it is set on. */
      readonly gateway: string | null;
    };

/** What a profile file says about IPv6, as NetworkManager reads it. */
export interface Ipv6Profile {
  /** unknown: a method ttyconf does not set (link-local, shared...): `raw` says which. */
  readonly method: Ipv6Method | 'unknown';
  /** The method as written (`IPV6INIT=no`, `[ipv6] method=disabled`...). */
  readonly raw: string;
  readonly addresses: readonly Ipv6Cidr[];
  readonly gateway: string | null;
}

export const IPV6_OFF: Ipv6Profile = { method: 'ignore', raw: 'off', addresses: [], gateway: null };

export function formatCidr6(c: Ipv6Cidr): string {
  return `${c.address}/${c.prefix}`;
}

/** The eight groups as RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
export function formatIPv6(groups: readonly number[]): string {
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The canonical text of an IPv6 address (its zone dropped), or null when it is not one. */
export function normalizeIPv6(text: string): string | null {
  const g = parseIPv6(text);
  return g ? formatIPv6(g) : null;
}

/** A prefix length 0..128 written as plain decimal. */
export function parsePrefix6(text: string): number | null {
  if (!/^(0|[1-9][0-9]{0,2})$/.test(text)) return null;
  const v = Number(text);
  return v <= 128 ? v : null;
}

export function isLinkLocal6(text: string): boolean {
  const g = parseIPv6(text);
  return g !== null && (g[0]! & 0xffc0) === 0xfe80;
}

/** True when `a` lies in `net`/`prefix`. */
export function inPrefix6(a: string, net: string, prefix: number): boolean {
  const x = parseIPv6(a);
  const y = parseIPv6(net);
  if (!x || !y) return false;
  for (let bit = 0; bit < prefix; bit += 16) {
    const n = Math.min(16, prefix - bit);
    const mask = (0xffff << (16 - n)) & 0xffff;
    if ((x[bit / 16]! & mask) !== (y[bit / 16]! & mask)) return false;
  }
  return true;
}

/** Why an IPv6 address can be neither this host's static address nor its gateway, or null. */
export function ipv6HostUse(text: string): string | null {
  const g = parseIPv6(text);
  if (!g) return null;
  if (g.every((x) => x === 0)) return 'is the unspecified address ::';
  if (g.slice(0, 7).every((x) => x === 0) && g[7] === 1) return 'is the loopback address ::1';
  if (g[0]! >= 0xff00) return 'is a multicast address (ff00::/8)';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return 'is an IPv4-mapped address (::ffff:0:0/96), not an IPv6 host address';
  return null;
}

export interface Ip6Input {
  readonly device: string;
  readonly method: string;
  /** `ADDR/PREFIX`, one or more (static only). */
  readonly addresses?: readonly string[];
  /** `GW`, or `GW%DEV` for a link-local gateway (DEV must be the interface). */
  readonly gateway?: string;
}

export type Ip6Change = { readonly kind: 'ip6'; readonly device: string; readonly ipv6: Ipv6Config };

function notIpv6(field: string, text: string, addr = text): FieldError {
  if (isIPv4(addr)) return fieldError(field, text, 'is an IPv4 address; this field takes an IPv6 address (set IPv4 with "set ip")');
  return fieldError(field, text, 'is not an IPv6 address (eight groups of hex digits separated by ":", "::" for a run of zeros)');
}

function addressErrors(field: string, raw: string): { errors: FieldError[]; cidr: Ipv6Cidr | null } {
  const slash = raw.indexOf('/');
  const addrText = slash >= 0 ? raw.slice(0, slash) : raw;
  const errors: FieldError[] = [];
  let prefix: number | null = null;
  if (slash < 0) errors.push(fieldError(field, raw, 'has no prefix length: write it as ADDRESS/PREFIX (2001:db8::10/64)'));
  else {
    prefix = parsePrefix6(raw.slice(slash + 1));
    if (prefix === null) errors.push(fieldError(field, raw, 'has an invalid prefix length: use /1 to /128 (/64 on a LAN)'));
    else if (prefix === 0) errors.push(fieldError(field, raw, 'has prefix /0, which is not a subnet: use /1 to /128 (/64 on a LAN)'));
  }
  if (addrText.includes('%')) errors.push(fieldError(field, raw, 'has a zone (%...): a static address takes none'));
  else if (!isIPv6(addrText)) errors.push(notIpv6(field, raw, addrText));
  else {
    const why = ipv6HostUse(addrText);
    if (why) errors.push(fieldError(field, raw, why));
    else if (isLinkLocal6(addrText)) {
      errors.push(fieldError(field, raw, 'is link-local (fe80::/10): the kernel makes that address itself; give a global or unique-local address'));
    }
  }
  if (errors.length || prefix === null) return { errors, cidr: null };
  return { errors, cidr: { address: normalizeIPv6(addrText)!, prefix } };
}

/** Raw text from the CLI or a form -> a validated IPv6 change, or every error at once. */
export function validateIp6(input: Ip6Input): Result<Ip6Change, FieldError[]> {
  const errors = interfaceNameErrors(input.device);
  const method = input.method.trim();
  const texts = (input.addresses ?? []).map((a) => a.trim()).filter((a) => a !== '');
  const gwText = input.gateway?.trim() ?? '';
  if (!(IPV6_METHODS as readonly string[]).includes(method)) {
    errors.push(fieldError('ipv6 method', method, `is not an IPv6 method: use ${IPV6_METHODS.join(', ')}`));
    return err(errors);
  }
  if (method !== 'static') {
    if (texts.length) errors.push(fieldError('ipv6 address', texts.join(' '), `is only for the static method, not ${method}`));
    if (gwText) errors.push(fieldError('ipv6 gateway', gwText, `is only for the static method, not ${method}`));
    return errors.length ? err(errors) : ok({ kind: 'ip6', device: input.device, ipv6: { method: method as 'ignore' | 'auto' | 'dhcp' } });
  }
  if (texts.length === 0) errors.push(fieldError('ipv6 address', '', 'is required for a static IPv6 setting (ADDRESS/PREFIX, one or more)'));
  const cidrs: Ipv6Cidr[] = [];
  texts.forEach((t, i) => {
    const field = texts.length > 1 ? `ipv6 address ${i + 1}` : 'ipv6 address';
    const r = addressErrors(field, t);
    errors.push(...r.errors);
    if (!r.cidr) return;
    if (cidrs.some((c) => c.address === r.cidr!.address)) errors.push(fieldError(field, t, 'is listed twice'));
    else cidrs.push(r.cidr);
  });
  let gateway: string | null = null;
  if (gwText !== '') {
    const [gw = '', zone] = gwText.split('%');
    if (!isIPv6(gw)) errors.push(notIpv6('ipv6 gateway', gw));
    else {
      const why = ipv6HostUse(gw);
      const linkLocal = isLinkLocal6(gw);
      if (why) errors.push(fieldError('ipv6 gateway', gwText, why));
      else if (zone !== undefined && !linkLocal) errors.push(fieldError('ipv6 gateway', gwText, 'has a zone (%...), which only a link-local gateway takes'));
      else if (zone !== undefined && zone !== input.device) {
        errors.push(fieldError('ipv6 gateway', gwText, `names the interface ${zone}, but the setting is for ${input.device}: a link-local gateway is reached through the interface it is set on`));
      } else if (cidrs.some((c) => c.address === normalizeIPv6(gw))) errors.push(fieldError('ipv6 gateway', gwText, 'is one of the addresses'));
      else if (!linkLocal && cidrs.length && !cidrs.some((c) => inPrefix6(gw, c.address, c.prefix))) {
        errors.push(fieldError('ipv6 gateway', gwText,
          `is outside the prefixes of the addresses (${cidrs.map(formatCidr6).join(', ')}): give a gateway on the link, or the router's link-local address (fe80::...)`));
      }
      gateway = normalizeIPv6(gw);
    }
  }
  if (errors.length) return err(errors);
  return ok({ kind: 'ip6', device: input.device, ipv6: { method: 'static', addresses: cidrs, gateway } });
}

/** Things the review says about a valid setting that is unusual but allowed (a prefix other than /64). */
export function ipv6Remarks(device: string, c: Ipv6Config): string[] {
  if (c.method !== 'static') return [];
  return c.addresses.filter((a) => a.prefix !== 64).map((a) =>
    `${device} IPv6 address ${formatCidr6(a)} has prefix /${a.prefix}, not /64: allowed, but a LAN is /64 (SLAAC and most routers expect it)`);
}

/** The words the status screen and the review use for an IPv6 method. */
export function ipv6MethodWord(p: Ipv6Profile | null | undefined): string {
  if (!p) return 'off';
  switch (p.method) {
    case 'ignore': return 'off';
    case 'auto': return 'auto (SLAAC)';
    case 'dhcp': return 'DHCPv6';
    case 'static': return 'static';
    default: return p.raw;
  }
}
