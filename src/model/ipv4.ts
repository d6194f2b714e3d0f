// Pure IPv4 arithmetic. Addresses are unsigned 32-bit numbers.
import { isIPv6 } from 'node:net';

const OCTET = /^(0|[1-9][0-9]{0,2})$/;

/** Strict dotted quad: four decimal octets, no leading zeros (bash tools read 010 as octal). */
export function parseIPv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!OCTET.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function isIPv4(text: string): boolean {
  return parseIPv4(text) !== null;
}

export function isIPAddress(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** A prefix length 0..32 written as plain decimal. */
export function parsePrefix(text: string): number | null {
  if (!/^(0|[1-9][0-9]?)$/.test(text)) return null;
  const v = Number(text);
  return v <= 32 ? v : null;
}

export function prefixToMask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

export function prefixToNetmask(prefix: number): string {
  return formatIPv4(prefixToMask(prefix));
}

/** Dotted netmask -> prefix; null when the mask is not a dotted quad or its ones are not contiguous. */
export function netmaskToPrefix(text: string): number | null {
  const m = parseIPv4(text);
  if (m === null) return null;
  for (let p = 0; p <= 32; p++) if (prefixToMask(p) === m) return p;
  return null;
}

export function networkOf(addr: number, prefix: number): number {
  return (addr & prefixToMask(prefix)) >>> 0;
}

export function broadcastOf(addr: number, prefix: number): number {
  return (networkOf(addr, prefix) | (~prefixToMask(prefix) >>> 0)) >>> 0;
}

export function sameSubnet(a: number, b: number, prefix: number): boolean {
  return networkOf(a, prefix) === networkOf(b, prefix);
}

/** Why an address can never be a host's own address or gateway, or null when it can. */
export function specialUse(addr: number): string | null {
  const first = addr >>> 24;
  if (addr === 0) return 'is the unspecified address 0.0.0.0';
  if (first === 0) return 'is in 0.0.0.0/8 ("this network"), not a host address';
  if (first === 127) return 'is a loopback address (127.0.0.0/8)';
  if (first >= 224 && first <= 239) return 'is a multicast address (224.0.0.0/4)';
  if (addr === 0xffffffff) return 'is the limited broadcast address';
  if (first >= 240) return 'is a reserved address (240.0.0.0/4)';
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a zone after % ignored), or null. */
export function parseIPv6(text: string): number[] | null {
  if (!isIPv6(text)) return null;
  const halves = text.split('%')[0]!.split('::');
  const split = (h: string | undefined): string[] => (h ? h.split(':') : []);
  const left = split(halves[0]);
  const right = split(halves[1]);
  const tail = halves.length > 1 ? right : left;
  if (tail.length && tail[tail.length - 1]!.includes('.')) {
    const v4 = parseIPv4(tail.pop()!);
    if (v4 === null) return null;
    tail.push((v4 >>> 16).toString(16), (v4 & 0xffff).toString(16));
  }
  const zeros = halves.length > 1 ? Array<string>(8 - left.length - right.length).fill('0') : [];
  const groups = [...left, ...zeros, ...right].map((g) => parseInt(g, 16));
  return groups.length === 8 && groups.every((g) => g >= 0 && g <= 0xffff) ? groups : null;
}

/** Why an IPv6 address cannot be a server's address (as specialUse for IPv4; loopback ::1 allowed), or null. */
export function ipv6SpecialUse(text: string): string | null {
  const g = parseIPv6(text);
  if (!g) return null;
  if (g.every((x) => x === 0)) return 'is the unspecified address ::';
  if (g[0]! >= 0xff00) return 'is a multicast address (ff00::/8)';
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) {
    const v4 = ((g[6]! << 16) | g[7]!) >>> 0;
    const why = v4 >>> 24 === 127 ? null : specialUse(v4);
    if (why) return `is IPv4-mapped: ${formatIPv4(v4)} ${why}`;
  }
  return null;
}
