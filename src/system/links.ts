// The live interfaces: /sys/class/net under the root (a demo tree may carry a fake one) and, on the
// real root, the kernel's addresses and default route from `ip -o` (CentOS 7 has no `ip -j`).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parsePrefix } from '../model/ipv4.js';
import type { LinkState, LinkStatus, LiveState } from '../model/state.js';
import { PATHS, type Root } from '../files/root.js';
import { type Runner, succeeded } from './run.js';

function readSys(root: Root, dev: string, file: string): string | null {
  try {
    return readFileSync(root.path(join(PATHS.sysClassNet, dev, file)), 'utf8').trim();
  } catch {
    return null;
  }
}

function isVirtual(root: Root, dev: string): boolean {
  try {
    return readlinkSync(root.path(join(PATHS.sysClassNet, dev))).includes('/virtual/');
  } catch {
    return readSys(root, dev, 'device') === null && readSys(root, dev, 'type') !== '1';
  }
}

function linkStatus(operstate: string | null, carrier: string | null): LinkStatus {
  if (operstate === 'up') return 'up';
  if (operstate === 'down' || operstate === 'lowerlayerdown') return carrier === '0' ? 'no-carrier' : 'down';
  if (carrier === '1') return 'up';
  if (carrier === '0') return 'no-carrier';
  return 'unknown';
}

type Addr = LinkState['addresses'][number];

/** `ip -o -4 addr show` lines -> addresses per device. */
export function parseIpAddr(out: string): Map<string, Addr[]> {
  const m = new Map<string, Addr[]>();
  for (const line of out.split('\n')) {
    const r = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet\s+([\d.]+)\/(\d+)(?:\s(.*))?$/.exec(line);
    if (!r) continue;
    const prefix = parsePrefix(r[3]!);
    if (prefix === null) continue;
    const list = m.get(r[1]!) ?? [];
    list.push({ address: r[2]!, prefix, dynamic: /\bdynamic\b/.test(r[4] ?? "") });
    m.set(r[1]!, list);
  }
  return m;
}

/** `ip -4 route show default` -> the first default route. */
export function parseDefaultRoute(out: string): { via: string; dev: string } | null {
  const r = /^default\s+via\s+([\d.]+)\s+dev\s+(\S+)/m.exec(out);
  return r ? { via: r[1]!, dev: r[2]! } : null;
}

export function readKernelHostname(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/hostname', 'utf8').trim() || null;
  } catch {
    return null; // not Linux
  }
}

/** What the kernel of this network namespace holds: IPv4 addresses, the default route, the hostname. */
export async function readKernelNet(run: Runner, timeoutMs: number, hostname: () => string | null = readKernelHostname): Promise<{
  readonly addresses: Map<string, Addr[]>;
  readonly defaultRoute: { readonly via: string; readonly dev: string } | null;
  readonly hostname: string | null;
}> {
  const [a, r] = await Promise.all([
    run('ip', ['-o', '-4', 'addr', 'show'], { timeoutMs }),
    run('ip', ['-4', 'route', 'show', 'default'], { timeoutMs }),
  ]);
  return {
    addresses: succeeded(a) ? parseIpAddr(a.stdout) : new Map(),
    defaultRoute: succeeded(r) ? parseDefaultRoute(r.stdout) : null,
    hostname: hostname(),
  };
}

export async function readLive(root: Root, run: Runner | null): Promise<LiveState> {
  let names: string[] = [];
  try {
    names = readdirSync(root.path(PATHS.sysClassNet)).sort();
  } catch {
    /* no sys tree under this root */
  }
  let addrs = new Map<string, Addr[]>();
  let defaultGateway: LiveState['defaultGateway'] = null;
  let hostname: string | null = null;
  if (root.isSystem && run) {
    ({ addresses: addrs, defaultRoute: defaultGateway, hostname } = await readKernelNet(run, 3000));
  } else {
    // A demo or test tree may describe the running system in sys/class/net/<dev>/ttyconf-ipv4
    // ("192.0.2.5/24 dynamic") and sys/class/net/ttyconf-route ("default via X dev Y").
    for (const n of names) {
      const t = readSys(root, n, 'ttyconf-ipv4');
      if (t) addrs.set(n, [...parseIpAddr(`1: ${n} inet ${t}`).values()].flat());
    }
    try {
      defaultGateway = parseDefaultRoute(readFileSync(root.path(join(PATHS.sysClassNet, 'ttyconf-route')), 'utf8'));
    } catch {
      /* none */
    }
  }
  const links: LinkState[] = names
    .filter((n) => n !== 'lo' && !n.startsWith('ttyconf-') && readSys(root, n, 'type') !== '772')
    .map((n) => ({
      name: n,
      mac: readSys(root, n, 'address'),
      link: linkStatus(readSys(root, n, 'operstate'), readSys(root, n, 'carrier')),
      addresses: addrs.get(n) ?? [],
      virtual: isVirtual(root, n),
    }));
  return { links, defaultGateway, hostname };
}
