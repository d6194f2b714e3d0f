// Pure: the iproute2 steps that give one device its IPv6 settings (ttyconf applies them itself
// where no network service does): addresses, the IPv6 default route, and how addresses are got.
import { formatCidr6 } from '../model/ipv6.js';
import type { Live6Address, Live6Route } from '../model/live.js';
import type { Step } from './step.js';
import type { Timeouts } from './types.js';
import type { Ipv6Target } from './verifyIpv6.js';

export interface Ipv6DevicePlan {
  readonly target: Ipv6Target;
  /** The device's global IPv6 addresses now: the ones the target does not list are removed. */
  readonly live: readonly Live6Address[];
  /** The IPv6 default route now. */
  readonly route: Live6Route | null;
}

const cmd = (file: string, args: readonly string[], timeoutMs: number): Step['tries'][number] => ({ file, args, timeoutMs });
const step = (purpose: string, tries: Step['tries'][number][], optional = false): Step => ({ purpose, tries, optional });

export function iproute2Ipv6Steps(dev: string, d: Ipv6DevicePlan, t: Timeouts): Step[] {
  const out: Step[] = [];
  const target = d.target;
  const wanted = target.method === 'static' ? target.addresses : [];
  const sysctl = (key: string, value: string): Step =>
    step(`set ${key} of ${dev} to ${value}`, [cmd('sysctl', ['-q', '-w', `net.ipv6.conf.${dev}.${key}=${value}`], t.commandMs)], true);
  // The kernel's own defaults are left alone otherwise (a rollback from what the kernel held cannot
  // say which of them an earlier change had turned off).
  if (target.method === 'auto') out.push(sysctl('accept_ra', '1'), sysctl('autoconf', '1'));
  if (target.method !== 'dhcp') out.push(step(`stop a DHCPv6 client on ${dev}`, [cmd('dhclient', ['-6', '-r', dev], t.commandMs)], true));
  for (const a of d.live.filter((x) => !wanted.some((w) => w.address === x.address && w.prefix === x.prefix))) {
    if (a.dynamic && target.method !== 'ignore' && target.method !== 'static') continue;
    out.push(step(`remove ${formatCidr6(a)} from ${dev}`, [cmd('ip', ['-6', 'addr', 'del', formatCidr6(a), 'dev', dev], t.commandMs)], true));
  }
  for (const w of wanted) {
    out.push(step(`set ${formatCidr6(w)} on ${dev}`, [cmd('ip', ['-6', 'addr', 'replace', formatCidr6(w), 'dev', dev], t.commandMs)]));
  }
  const gateway = target.method === 'static' ? target.gateway : null;
  if (gateway) {
    out.push(step(`route the IPv6 default route via ${gateway}`, [cmd('ip', ['-6', 'route', 'replace', 'default', 'via', gateway, 'dev', dev], t.commandMs)]));
  } else if (d.route?.dev === dev && target.method !== 'auto' && target.method !== 'dhcp') {
    out.push(step(`remove the IPv6 default route via ${dev}`, [cmd('ip', ['-6', 'route', 'del', 'default', 'dev', dev], t.commandMs)], true));
  }
  if (target.method === 'dhcp') out.push(step(`get a DHCPv6 lease on ${dev}`, [cmd('dhclient', ['-6', '-1', dev], t.activateMs)]));
  return out;
}
