// The status screen's verdict on an IPv6-only network: no interface has an IPv4 address, but one
// holds a usable global IPv6 address. Pure.
import type { Current } from '../core.js';
import { ipv6MethodWord } from '../model/ipv6.js';
import type { InterfaceStatus } from '../status.js';

/** The verdict line when IPv6 carries the machine, or null when it does not either. */
export function ipv6Verdict(c: Current, shown: readonly InterfaceStatus[]): { connected: boolean; text: string } | null {
  const route = c.status.defaultGateway6;
  const usable = (i: InterfaceStatus) => i.ipv6.live.filter((a) => !a.tentative && !a.dadfailed);
  const withV6 = shown.filter((i) => i.link === 'up' && usable(i).length > 0);
  const main = withV6.find((i) => i.name === route?.dev) ?? withV6[0];
  if (!main) return null;
  const how = main.ipv6.method === null || main.ipv6.method === 'unknown' || main.ipv6.method === 'ignore' ? 'IPv6' : `IPv6 ${ipv6MethodWord({ method: main.ipv6.method, raw: '', addresses: [], gateway: null })}`;
  const where = `${usable(main)[0]!.address} on ${main.name} (${how})`;
  return route
    ? { connected: true, text: `Network: ${where}, gateway ${route.via}` }
    : { connected: false, text: `Network: NOT CONNECTED: no default gateway (${where} reaches only its own link)` };
}
