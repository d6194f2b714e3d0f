// Asks the running system about IPv6 for the apply engine: its addresses and default route (`ip -o -6`),
// and whether the IPv6 gateway answers (ping -6, else neighbour discovery: `ip -6 neigh`).
import type { LiveNet } from '../model/live.js';
import type { GatewayAnswer, Probe } from './observe.js';
import { readIpv6WithIp } from './ipv6Live.js';
import { succeeded } from './run.js';

const IP_TIMEOUT_MS = 5_000;

/** `live` with the IPv6 addresses and default route added. */
export async function withIpv6(p: Probe, live: LiveNet): Promise<LiveNet> {
  const v6 = await readIpv6WithIp(p.run, IP_TIMEOUT_MS);
  return { ...live, addresses6: Object.fromEntries(v6.addresses), defaultRoute6: v6.defaultRoute };
}

/** Neighbour states in which the gateway has answered neighbour discovery (it has a link-layer address). */
const ANSWERED = /\blladdr\s+\S+.*\b(REACHABLE|STALE|DELAY|PROBE|PERMANENT)\b/;

/**
 * Pings the IPv6 gateway on `device` until it answers or `waitMs` passes (`ping -6`; `ping6` where
 * ping has no -6, as on CentOS 7); then asks the neighbour table: a router may drop ICMP echo but
 * must answer neighbour solicitations.
 */
export async function probeGateway6(p: Probe, gateway: string, device: string, waitMs: number): Promise<GatewayAnswer> {
  const deadline = p.now() + waitMs;
  let ping: { file: string; pre: string[] } = { file: 'ping', pre: ['-6'] };
  let tries = 0;
  let missing = false;
  for (;;) {
    tries++;
    const r = await p.run(ping.file, [...ping.pre, '-n', '-c', '1', '-W', '1', '-I', device, gateway], { timeoutMs: 3_000 });
    if (succeeded(r)) return { answered: true, detail: `${gateway} answered ping on ${device}` };
    if (r.failedToStart !== null || r.exitCode === 2) {
      if (ping.file === 'ping6') {
        missing = r.failedToStart !== null;
        if (missing) break;
      } else {
        ping = { file: 'ping6', pre: [] };
        continue;
      }
    }
    if (p.now() >= deadline) break;
    await p.sleep(500);
  }
  const n = await p.run('ip', ['-6', 'neigh', 'show', gateway, 'dev', device], { timeoutMs: IP_TIMEOUT_MS });
  if (succeeded(n) && ANSWERED.test(n.stdout)) return { answered: true, detail: `${gateway} answered neighbour discovery on ${device}${missing ? '' : ' (not ping)'}` };
  return { answered: false, detail: `${gateway} does not answer (${missing ? 'no ping for IPv6' : `${tries} ping${tries === 1 ? '' : 's'}`}, neighbour discovery on ${device})` };
}
