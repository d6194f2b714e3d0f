// Pure: compares what was wanted with what the running system shows, one check per item, each
// saying "wanted X, got Y". The probing (ip, ping, DNS queries) happens elsewhere.
import { formatCidr } from '../model/types.js';
import type { DnsAnswer, GatewayAnswer } from '../system/observe.js';
import type { DefaultRoute, LiveNet } from '../model/live.js';
import type { IfaceTarget } from '../model/target.js';
import type { CheckResult } from './types.js';
import { type Ipv6Target, ipv6GatewayCheck, ipv6GatewayToProbe, verifyIpv6Links } from './verifyIpv6.js';

export interface WantedIface {
  readonly device: string;
  readonly target: IfaceTarget;
  /** The default route this device must carry: via a static gateway, any via DHCP, or none to check. */
  readonly defaultRoute: { readonly via: string } | 'dhcp' | null;
  /** IPv6 to check (absent: the change leaves IPv6 alone). */
  readonly ipv6?: Ipv6Target;
}

export interface Wanted {
  readonly interfaces: readonly WantedIface[];
  readonly dns: { readonly servers: readonly string[]; readonly required: boolean };
  readonly hostname: string | null;
  /** Test network: one more address to ping. */
  readonly ping?: string;
}

export interface Observed {
  readonly live: LiveNet;
  /** Undefined: not probed (an earlier check failed, or there is no gateway to ask). */
  readonly gateway?: { readonly address: string; readonly device: string | null; readonly answer: GatewayAnswer };
  readonly gateway6?: { readonly address: string; readonly answer: GatewayAnswer };
  readonly dns: Readonly<Record<string, DnsAnswer>>;
  readonly ping?: GatewayAnswer;
}

const pass = (name: string, detail: string, required = true): CheckResult => ({ name, status: 'passed', passed: true, required, detail });
const fail = (name: string, detail: string, required = true): CheckResult => ({ name, status: 'failed', passed: false, required, detail });
const skip = (name: string, detail: string, required = false): CheckResult => ({ name, status: 'skipped', passed: true, required, detail });

const routeText = (r: DefaultRoute | null): string => (r ? `default via ${r.via} dev ${r.dev}` : 'no default route');
const isLinkLocal = (a: string): boolean => a.startsWith('169.254.');

/** The address and route checks: cheap, and what the waits poll on. */
export function verifyLinks(wanted: Wanted, live: LiveNet): CheckResult[] {
  const out: CheckResult[] = [];
  for (const w of wanted.interfaces) {
    const got = live.addresses[w.device] ?? [];
    const gotText = got.length ? got.map(formatCidr).join(' ') : 'none';
    if (w.target.method === 'static') {
      for (const a of w.target.addresses) {
        const ok = got.some((g) => g.address === a.address && g.prefix === a.prefix);
        out.push((ok ? pass : fail)(`${w.device} address`, `wanted ${formatCidr(a)}, got ${gotText}`));
      }
      if (w.target.addresses.length === 0) {
        out.push((got.length === 0 ? pass : fail)(`${w.device} address`, `wanted no address, got ${gotText}`));
      }
    } else if (w.target.method === 'dhcp') {
      const lease = got.filter((g) => !isLinkLocal(g.address));
      out.push((lease.length ? pass : fail)(`${w.device} DHCP lease`, `wanted a DHCP address, got ${lease.length ? lease.map(formatCidr).join(' ') : 'none'}`));
    }
    if (w.defaultRoute === 'dhcp') {
      const ok = live.defaultRoute?.dev === w.device;
      out.push((ok ? pass : fail)('default route', `wanted a default route via ${w.device} (from DHCP), got ${routeText(live.defaultRoute)}`));
    } else if (w.defaultRoute) {
      const via = w.defaultRoute.via;
      const first = live.defaultRoute?.via === via && live.defaultRoute.dev === w.device;
      // Behind another device's default route with a lower metric (NetworkManager: eth0 100, a VLAN 400) it is still there.
      const behind = !first && (live.defaultRoutes ?? []).some((r) => r.via === via && r.dev === w.device);
      const got = behind ? `default via ${via} dev ${w.device}, behind ${routeText(live.defaultRoute)} (a lower metric)` : routeText(live.defaultRoute);
      out.push((first || behind ? pass : fail)('default route', `wanted default via ${via} dev ${w.device}, got ${got}`));
    }
    if (w.ipv6) out.push(...verifyIpv6Links(w.device, w.ipv6, live));
  }
  return out;
}

/** Which gateway to ask once the links look right: the wanted one (required), else the live default route's. */
export function gatewayToProbe(wanted: Wanted, live: LiveNet): { address: string; device: string | null; required: boolean } | null {
  for (const w of wanted.interfaces) {
    if (w.defaultRoute && w.defaultRoute !== 'dhcp') return { address: w.defaultRoute.via, device: w.device, required: true };
    if (w.defaultRoute === 'dhcp' && live.defaultRoute?.dev === w.device) return { address: live.defaultRoute.via, device: w.device, required: true };
  }
  // Nothing wanted says which gateway: ask the live default route's, for information only.
  return live.defaultRoute ? { address: live.defaultRoute.via, device: live.defaultRoute.dev, required: false } : null;
}

const notTested = (linksOk: boolean): string => (linksOk ? 'not tested' : 'not tested: the address or route is wrong');

/** The gateway's check from its answer (undefined: not asked). */
export function gatewayCheck(gw: { address: string; required: boolean }, answer: GatewayAnswer | undefined, linksOk: boolean): CheckResult {
  const name = `gateway ${gw.address}`;
  return answer ? (answer.answered ? pass : fail)(name, answer.detail, gw.required) : skip(name, notTested(linksOk), gw.required);
}

/** One DNS server's check from its answer (undefined: not asked). */
export function dnsCheck(dns: Wanted['dns'], server: string, answer: DnsAnswer | undefined, linksOk: boolean): CheckResult {
  const name = `DNS ${server}`;
  if (!answer) return skip(name, notTested(linksOk), dns.required);
  return (answer.answered ? pass : fail)(name, answer.answered ? 'answered a query' : answer.detail, dns.required);
}

export const noDnsCheck = (): CheckResult => skip('DNS', 'no DNS server is set');

export function hostnameCheck(wanted: Wanted, live: LiveNet): CheckResult | null {
  if (wanted.hostname === null) return null;
  return (live.hostname === wanted.hostname ? pass : fail)('hostname', `wanted ${wanted.hostname}, got ${live.hostname ?? 'none'}`);
}

/** The extra ping's check (Test network), from its answer (undefined: not asked). */
export function pingCheck(target: string, answer: GatewayAnswer | undefined): CheckResult {
  const name = `ping ${target}`;
  return answer ? (answer.answered ? pass : fail)(name, answer.detail, false) : skip(name, 'not tested');
}

/** Every check, in a fixed order: addresses, route, gateway, DNS, hostname, extra ping. */
export function verify(wanted: Wanted, obs: Observed): CheckResult[] {
  const out = verifyLinks(wanted, obs.live);
  const linksOk = out.every((c) => c.passed || !c.required);
  const gw = gatewayToProbe(wanted, obs.live);
  if (gw) out.push(gatewayCheck(gw, obs.gateway && obs.gateway.address === gw.address ? obs.gateway.answer : undefined, linksOk));
  const gw6 = ipv6GatewayToProbe(wanted.interfaces);
  if (gw6) out.push(ipv6GatewayCheck(gw6, obs.gateway6?.address === gw6.address ? obs.gateway6.answer : undefined, linksOk));
  if (wanted.dns.servers.length === 0) out.push(noDnsCheck());
  for (const s of wanted.dns.servers) out.push(dnsCheck(wanted.dns, s, obs.dns[s], linksOk));
  const host = hostnameCheck(wanted, obs.live);
  if (host) out.push(host);
  if (wanted.ping !== undefined) out.push(pingCheck(wanted.ping, obs.ping));
  return out;
}

/** The first required check that failed, or null. */
export function firstFailure(checks: readonly CheckResult[]): CheckResult | null {
  return checks.find((c) => c.status === 'failed' && c.required) ?? null;
}
