// Pure: the IPv6 checks. A static address must be there with its prefix and have passed duplicate
// address detection (not tentative, not dadfailed); the IPv6 default route must go through the
// wanted gateway; auto and DHCPv6 must have brought a global address. The probing happens elsewhere.
import { type Ipv6Config, formatCidr6 } from '../model/ipv6.js';
import type { Live6Address, LiveNet } from '../model/live.js';
import type { CheckResult } from './types.js';

/** What one interface must show for IPv6 (absent from a WantedIface: IPv6 is not checked). */
export type Ipv6Target = Ipv6Config;

const pass = (name: string, detail: string, required = true): CheckResult => ({ name, status: 'passed', passed: true, required, detail });
const fail = (name: string, detail: string, required = true): CheckResult => ({ name, status: 'failed', passed: false, required, detail });
const skip = (name: string, detail: string, required = false): CheckResult => ({ name, status: 'skipped', passed: true, required, detail });

const global6 = (list: readonly Live6Address[]): Live6Address[] => list.filter((a) => a.scope === 'global' || a.scope === 'site');

function liveText(list: readonly Live6Address[]): string {
  const g = global6(list);
  return g.length ? g.map((a) => `${formatCidr6(a)}${a.dadfailed ? ' (dadfailed)' : a.tentative ? ' (tentative)' : ''}`).join(' ') : 'none';
}

/** What the kernel had before the change (the iproute2 rollback puts exactly that back). */
export function ipv6TargetFromLive(device: string, live: LiveNet): Ipv6Target {
  const had = global6(live.addresses6?.[device] ?? []).filter((a) => !a.dynamic);
  const route = live.defaultRoute6?.dev === device ? live.defaultRoute6.via : null;
  if (had.length === 0 && route === null) return { method: 'ignore' };
  return { method: 'static', addresses: had.map((a) => ({ address: a.address, prefix: a.prefix })), gateway: route };
}

/** The IPv6 address and route checks of one device. */
export function verifyIpv6Links(device: string, target: Ipv6Target, live: LiveNet): CheckResult[] {
  const got = live.addresses6?.[device] ?? [];
  const out: CheckResult[] = [];
  if (target.method === 'static') {
    for (const a of target.addresses) {
      const name = `${device} IPv6 address`;
      const held = got.find((g) => g.address === a.address && g.prefix === a.prefix);
      const wanted = `wanted ${formatCidr6(a)}`;
      if (!held) out.push(fail(name, `${wanted}, got ${liveText(got)}`));
      else if (held.dadfailed) out.push(fail(name, `${wanted}: duplicate address detection failed (another host on the link has it)`));
      else if (held.tentative) out.push(fail(name, `${wanted}: still tentative (duplicate address detection has not finished)`));
      else out.push(pass(name, `${wanted}, got ${liveText(got)}`));
    }
    if (target.gateway) {
      const r = live.defaultRoute6;
      const ok = r?.via === target.gateway && r.dev === device;
      out.push((ok ? pass : fail)('IPv6 default route', `wanted default via ${target.gateway} dev ${device}, got ${r ? `default via ${r.via} dev ${r.dev}` : 'no IPv6 default route'}`));
    }
  } else if (target.method === 'auto' || target.method === 'dhcp') {
    const usable = global6(got).filter((a) => !a.tentative && !a.dadfailed);
    const how = target.method === 'auto' ? 'an address from router advertisements' : 'a DHCPv6 address';
    out.push((usable.length ? pass : fail)(`${device} IPv6 ${target.method === 'auto' ? 'autoconfiguration' : 'DHCPv6'}`, `wanted ${how}, got ${liveText(got)}`));
  }
  return out;
}

/** The IPv6 gateway to ask once the links look right: the wanted static one, on its device. */
export function ipv6GatewayToProbe(wanted: readonly { device: string; ipv6?: Ipv6Target }[]): { address: string; device: string } | null {
  for (const w of wanted) if (w.ipv6?.method === 'static' && w.ipv6.gateway) return { address: w.ipv6.gateway, device: w.device };
  return null;
}

export function ipv6GatewayCheck(gw: { address: string }, answer: { answered: boolean; detail: string } | undefined, linksOk: boolean): CheckResult {
  const name = `IPv6 gateway ${gw.address}`;
  if (!answer) return skip(name, linksOk ? 'not tested' : 'not tested: the address or route is wrong', true);
  return (answer.answered ? pass : fail)(name, answer.detail);
}
