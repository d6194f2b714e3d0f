// Looks at the running network (in the namespace this process runs in): addresses, default route,
// hostname, whether the gateway and DNS servers answer. Everything goes through a Probe so tests can
// script it; the real one uses `ip -o` (CentOS 7 has no `ip -j`), ping/arping and node:dns.
import { Resolver } from 'node:dns/promises';
import type { LiveNet } from '../model/live.js';
import { readKernelHostname, readKernelNet } from './links.js';
import { type CommandResult, type Runner, execaRunner, succeeded } from './run.js';

export interface DnsAnswer {
  readonly answered: boolean;
  readonly detail: string;
}

export interface Probe {
  readonly run: Runner;
  readonly dns: (server: string, timeoutMs: number) => Promise<DnsAnswer>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly kernelHostname: () => string | null;
}

/** Sends one query (NS of the root zone) and reports whether the server answered it. */
export async function queryDns(server: string, timeoutMs: number): Promise<DnsAnswer> {
  const r = new Resolver({ timeout: Math.max(100, timeoutMs), tries: 1 });
  r.setServers([server]);
  try {
    await r.resolveNs('.');
    return { answered: true, detail: `${server} answered` };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? String(e);
    // An answer without data still proves the server works.
    if (code === 'ENODATA' || code === 'ENOTFOUND' || code === 'NOTFOUND') return { answered: true, detail: `${server} answered` };
    const why: Record<string, string> = {
      ETIMEOUT: 'no answer (timed out)',
      ECONNREFUSED: 'no answer (connection refused: nothing listens on port 53)',
      EREFUSED: 'refused the query',
      ESERVFAIL: 'answered SERVFAIL (it cannot resolve names)',
    };
    return { answered: false, detail: `${server}: ${why[code] ?? code}` };
  } finally {
    r.cancel();
  }
}

export const realProbe: Probe = {
  run: execaRunner,
  dns: queryDns,
  sleep: (ms) => new Promise((res) => setTimeout(res, ms)),
  now: () => Date.now(),
  kernelHostname: readKernelHostname,
};

const IP_TIMEOUT_MS = 5_000;

/** Addresses of every interface and the default route, from `ip -o -4 addr` and `ip -4 route`. */
export async function readLiveNet(p: Probe): Promise<LiveNet> {
  const k = await readKernelNet(p.run, IP_TIMEOUT_MS, p.kernelHostname);
  return { addresses: Object.fromEntries(k.addresses), defaultRoute: k.defaultRoute, defaultRoutes: k.defaultRoutes, hostname: k.hostname };
}

export interface GatewayAnswer {
  readonly answered: boolean;
  readonly detail: string;
}

function notInstalled(r: CommandResult): boolean {
  return r.failedToStart !== null;
}

/**
 * Pings the gateway (one packet at a time) until it answers or `waitMs` passes, then tries arping
 * once: a router may drop ICMP but must answer ARP.
 */
export async function probeGateway(p: Probe, gateway: string, device: string | null, waitMs: number): Promise<GatewayAnswer> {
  const deadline = p.now() + waitMs;
  const dev = device ? ['-I', device] : [];
  let tries = 0;
  let pingMissing = false;
  for (;;) {
    tries++;
    const r = await p.run('ping', ['-n', '-c', '1', '-W', '1', ...dev, gateway], { timeoutMs: 3_000 });
    if (succeeded(r)) return { answered: true, detail: `${gateway} answered ping${device ? ` on ${device}` : ''}` };
    if (notInstalled(r)) {
      pingMissing = true;
      break;
    }
    if (p.now() >= deadline) break;
    await p.sleep(500);
  }
  if (device) {
    const a = await p.run('arping', ['-c', '2', '-w', '3', '-I', device, gateway], { timeoutMs: 5_000 });
    if (succeeded(a)) return { answered: true, detail: `${gateway} answered arping on ${device}${pingMissing ? '' : ' (not ping)'}` };
    if (pingMissing && notInstalled(a)) return { answered: false, detail: 'cannot test: neither ping nor arping is installed' };
  }
  return {
    answered: false,
    detail: `${gateway} does not answer (${pingMissing ? 'ping is not installed' : `${tries} ping${tries === 1 ? '' : 's'}`}${device ? ', arping' : ''}${device ? ` on ${device}` : ''})`,
  };
}
