// The IPv6 line of an interface in `ttyconf show` and on the status screen. Pure.
import { formatCidr6, ipv6MethodWord } from './model/ipv6.js';
import { type Ipv6Status, live6Text } from './statusIpv6.js';

/** `IPv6 static 2001:db8::10/64 gw fe80::1`; null when IPv6 is off and the kernel holds no global address. */
export function ipv6TextLine(v: Ipv6Status): string | null {
  if ((v.method === null || v.method === 'ignore') && v.live.length === 0) return null;
  const method = v.method === null ? 'no file' : v.method === 'unknown' ? (v.raw ?? '?') : ipv6MethodWord({ method: v.method, raw: '', addresses: [], gateway: null });
  const live = v.live.map(live6Text);
  const running = v.live.filter((a) => !v.addresses.includes(formatCidr6(a))).map(live6Text);
  // A configured address the kernel holds is shown with the kernel's mark (tentative, DUPLICATE).
  const configured = v.addresses.map((c) => {
    const held = v.live.find((a) => formatCidr6(a) === c);
    return held ? live6Text(held) : c;
  });
  const addrs = v.method === 'static'
    ? [...configured, ...(running.length ? [`(running: ${running.join(' ')})`] : [])]
    : live.length ? live : [v.method === 'auto' || v.method === 'dhcp' ? '(no address yet)' : ''];
  return ['IPv6', method, ...addrs, v.gateway ? `gw ${v.gateway}` : ''].filter(Boolean).join(' ');
}
