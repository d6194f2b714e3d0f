// The review's IPv6 lines for one profile: method, addresses and gateway before and after, in the
// status screen's words. Pure.
import { type Ipv6Profile, IPV6_OFF, formatCidr6, ipv6MethodWord } from './model/ipv6.js';

const NONE = '(none)';

/** `[field, old, new]` for each IPv6 setting whose meaning differs (a missing reading is off). */
export function ipv6SummaryLines(before: Ipv6Profile | undefined, after: Ipv6Profile | undefined): [string, string, string][] {
  const b = before ?? IPV6_OFF;
  const a = after ?? IPV6_OFF;
  const addrs = (p: Ipv6Profile): string => (p.method === 'ignore' || !p.addresses.length ? NONE : p.addresses.map(formatCidr6).join(' '));
  const gw = (p: Ipv6Profile): string => (p.method === 'ignore' ? NONE : p.gateway ?? NONE);
  const out: [string, string, string][] = [
    ['IPv6 method', ipv6MethodWord(b), ipv6MethodWord(a)],
    ['IPv6 address', addrs(b), addrs(a)],
    ['IPv6 gateway', gw(b), gw(a)],
  ];
  return out.filter(([, o, n]) => o !== n);
}
