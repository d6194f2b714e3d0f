// Raw text from the CLI or a form -> validated Change, or every error at once.
import { type FieldError, fieldError } from './fieldError.js';
import { hostnameErrors, nameErrors } from './hostname.js';
import { interfaceNameErrors } from './ifname.js';
import {
  broadcastOf, formatIPv4, ipv6SpecialUse, isIPAddress, netmaskToPrefix, networkOf, parseIPv4, parsePrefix, sameSubnet, specialUse,
} from './ipv4.js';
import { type Result, err, ok } from './result.js';
import { type Change, type DnsConfig, MAX_DNS_SERVERS, MAX_SEARCH_DOMAINS, MAX_SEARCH_LENGTH } from './types.js';

export type IpInput =
  | { readonly device: string; readonly method: 'dhcp' }
  | {
      readonly device: string;
      readonly method: 'static';
      /** `a.b.c.d/NN`, or `a.b.c.d` with `netmask` */
      readonly address: string;
      /** dotted netmask (`255.255.255.0`) or a prefix length (`24`, `/24`) */
      readonly netmask?: string;
      readonly gateway?: string;
    };

export interface DnsInput {
  readonly servers: readonly string[];
  readonly search: readonly string[];
}


function hostAddressErrors(field: string, text: string, addr: number, prefix: number): FieldError[] {
  const special = specialUse(addr);
  if (special) return [fieldError(field, text, special)];
  if (prefix <= 30) {
    if (addr === networkOf(addr, prefix)) {
      return [fieldError(field, text, `is the network address of ${formatIPv4(networkOf(addr, prefix))}/${prefix}`)];
    }
    if (addr === broadcastOf(addr, prefix)) {
      return [fieldError(field, text, `is the broadcast address of ${formatIPv4(networkOf(addr, prefix))}/${prefix}`)];
    }
  }
  return [];
}

function parseMask(text: string): number | null {
  const t = text.trim();
  if (t.includes('.')) return netmaskToPrefix(t);
  return parsePrefix(t.startsWith('/') ? t.slice(1) : t);
}

function netmaskError(netmask: string): FieldError {
  return fieldError('netmask', netmask,
    netmask.includes('.') && parseIPv4(netmask) !== null
      ? 'is not a contiguous netmask (its one-bits must come first, like 255.255.255.0)'
      : 'is not a netmask: use a dotted mask like 255.255.255.0 or a prefix length 0-32');
}

export function validateIp(input: IpInput): Result<Change & { kind: 'ip' }, FieldError[]> {
  const errors = interfaceNameErrors(input.device);
  if (input.method === 'dhcp') {
    return errors.length ? err(errors) : ok({ kind: 'ip', device: input.device, ipv4: { method: 'dhcp' } });
  }
  const raw = input.address.trim();
  const netmask = input.netmask?.trim() ?? '';
  let addrText = raw;
  let prefix: number | null = null;
  const slash = raw.indexOf('/');
  if (slash >= 0) {
    addrText = raw.slice(0, slash);
    prefix = parsePrefix(raw.slice(slash + 1));
    if (prefix === null) errors.push(fieldError('address', raw, 'has an invalid prefix length: use /0 to /32'));
    if (netmask !== '') {
      const p2 = parseMask(netmask);
      if (p2 === null) errors.push(netmaskError(netmask));
      else if (prefix !== null && p2 !== prefix) {
        errors.push(fieldError('netmask', netmask, `disagrees with the prefix /${prefix} given in the address`));
      }
    }
  } else if (netmask !== '') {
    prefix = parseMask(netmask);
    if (prefix === null) errors.push(netmaskError(netmask));
  } else if (raw !== '') {
    errors.push(fieldError('address', raw, 'has no prefix: write it as ADDRESS/PREFIX (192.0.2.10/24) or give a netmask'));
  }
  const addr = parseIPv4(addrText);
  if (raw === '') errors.push(fieldError('address', raw, 'is required for a static address'));
  else if (addr === null) errors.push(fieldError('address', raw, 'is not an IPv4 address (four numbers 0-255 separated by dots)'));
  else if (prefix !== null) {
    if (prefix === 0) errors.push(fieldError('address', raw, 'has prefix /0, which is not a subnet'));
    else errors.push(...hostAddressErrors('address', raw, addr, prefix));
  }

  let gateway: string | null = null;
  const gwText = input.gateway?.trim() ?? '';
  if (gwText !== '') {
    const gw = parseIPv4(gwText);
    if (gw === null) errors.push(fieldError('gateway', gwText, 'is not an IPv4 address'));
    else {
      const special = specialUse(gw);
      if (special) errors.push(fieldError('gateway', gwText, special));
      else if (addr !== null && gw === addr) errors.push(fieldError('gateway', gwText, 'is the same as the address'));
      else if (addr !== null && prefix !== null && prefix > 0) {
        if (!sameSubnet(gw, addr, prefix)) {
          errors.push(fieldError('gateway', gwText,
            `is outside the subnet ${formatIPv4(networkOf(addr, prefix))}/${prefix} of the address`));
        } else errors.push(...hostAddressErrors('gateway', gwText, gw, prefix));
      }
      gateway = formatIPv4(gw);
    }
  }
  if (errors.length || addr === null || prefix === null) return err(errors);
  return ok({
    kind: 'ip',
    device: input.device,
    ipv4: { method: 'static', address: { address: formatIPv4(addr), prefix }, gateway },
  });
}

export function validateDns(input: DnsInput): Result<Change & { kind: 'dns' }, FieldError[]> {
  const errors: FieldError[] = [];
  const servers = input.servers.map((s) => s.trim()).filter((s) => s !== '');
  const search = input.search.map((s) => s.trim()).filter((s) => s !== '');
  if (servers.length > MAX_DNS_SERVERS) {
    errors.push(fieldError('dns', servers.join(' '), `lists ${servers.length} servers; at most ${MAX_DNS_SERVERS} are used by the resolver`));
  }
  const seen = new Set<string>();
  servers.forEach((s, i) => {
    const field = `dns${i + 1}`;
    if (!isIPAddress(s)) errors.push(fieldError(field, s, 'is not an IPv4 or IPv6 address'));
    else if (seen.has(s.toLowerCase())) errors.push(fieldError(field, s, 'is listed twice'));
    else if (parseIPv4(s) !== null && specialUse(parseIPv4(s)!) && !s.startsWith('127.')) {
      errors.push(fieldError(field, s, specialUse(parseIPv4(s)!)!));
    } else if (ipv6SpecialUse(s)) errors.push(fieldError(field, s, ipv6SpecialUse(s)!));
    seen.add(s.toLowerCase());
  });
  if (search.length > MAX_SEARCH_DOMAINS) {
    errors.push(fieldError('search', search.join(' '), `lists ${search.length} domains; at most ${MAX_SEARCH_DOMAINS} are allowed`));
  }
  const total = search.join(' ').length;
  if (total > MAX_SEARCH_LENGTH) {
    errors.push(fieldError('search', search.join(' '), `is ${total} characters long; at most ${MAX_SEARCH_LENGTH} are allowed`));
  }
  const seenDomains = new Set<string>();
  for (const d of search) {
    errors.push(...nameErrors('search', d, 253));
    if (seenDomains.has(d.toLowerCase())) errors.push(fieldError('search', d, 'is listed twice'));
    seenDomains.add(d.toLowerCase());
  }
  if (errors.length) return err(errors);
  const dns: DnsConfig = { servers, search };
  return ok({ kind: 'dns', dns });
}

export function validateHostname(name: string): Result<Change & { kind: 'hostname' }, FieldError[]> {
  const trimmed = name.trim();
  const errors = hostnameErrors(trimmed);
  return errors.length ? err(errors) : ok({ kind: 'hostname', hostname: trimmed });
}
