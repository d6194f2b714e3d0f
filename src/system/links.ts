// The live interfaces: /sys/class/net under the root (a demo tree may carry a fake one) and, on the
// real root, the kernel's addresses and default route from `ip -o` (CentOS 7 has no `ip -j`), or
// for the console's first screen from /proc/net/route and getifaddrs (readKernelNetInProcess).
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { type NetworkInterfaceInfo, endianness, networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { isDemoKernelFile } from '../model/ifname.js';
import { parsePrefix } from '../model/ipv4.js';
import type { DefaultRoute, LinkState, LinkStatus, LiveAddress, LiveState } from '../model/live.js';
import { PATHS, type Root } from '../files/root.js';
import { readRootFile } from '../files/safeRead.js';
import { type Runner, succeeded } from './run.js';
import { readIpv6 } from './ipv6Live.js';

/** A sysfs attribute is a short regular file: anything else (a FIFO, a device in a tree) reads as unknown. */
const SYS_LIMIT = 65536;

function readSysFile(root: Root, rel: string): string | null {
  const r = readRootFile(root, rel, SYS_LIMIT);
  return r.kind === 'file' ? r.data.toString('utf8') : null;
}

function readSys(root: Root, dev: string, file: string): string | null {
  return readSysFile(root, join(PATHS.sysClassNet, dev, file))?.trim() ?? null;
}

/** type: the link's sys/class/net/DEV/type, read by the caller. */
function isVirtual(root: Root, dev: string, type: string | null): boolean {
  try {
    return readlinkSync(root.linkPath(join(PATHS.sysClassNet, dev))).includes('/virtual/');
  } catch {
    return readSys(root, dev, 'device') === null && type !== '1';
  }
}

function linkStatus(operstate: string | null, carrier: string | null): LinkStatus {
  if (operstate === 'up') return 'up';
  if (operstate === 'down' || operstate === 'lowerlayerdown') return carrier === '0' ? 'no-carrier' : 'down';
  if (carrier === '1') return 'up';
  if (carrier === '0') return 'no-carrier';
  return 'unknown';
}

/** `ip -o -4 addr show` lines -> addresses per device. */
export function parseIpAddr(out: string): Map<string, LiveAddress[]> {
  const m = new Map<string, LiveAddress[]>();
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

/**
 * `ip -4 route show default` -> every default route through a gateway, in the kernel's order (best
 * metric first). NetworkManager gives each profile with a gateway its own, by the device type's metric.
 */
function parseDefaultRoutes(out: string): DefaultRoute[] {
  return [...out.matchAll(/^default\s+via\s+([\d.]+)\s+dev\s+(\S+)/gm)].map((m) => ({ via: m[1]!, dev: m[2]! }));
}

export function readKernelHostname(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/hostname', 'utf8').trim() || null;
  } catch {
    return null; // not Linux
  }
}

/**
 * `/proc/net/route` -> the default route with the lowest metric. Addresses are hex in the host's byte
 * order (little-endian on x86_64 and aarch64, big-endian on s390x).
 */
export function parseProcRoute(text: string, littleEndian = endianness() === 'LE'): { via: string; dev: string } | null {
  let best: { via: string; dev: string; metric: number } | null = null;
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 8 || f[1] !== '00000000' || f[7] !== '00000000') continue;
    const flags = parseInt(f[3]!, 16);
    // RTF_UP and RTF_GATEWAY: a usable default route through a gateway.
    if ((flags & 0x3) !== 0x3 || !/^[0-9A-Fa-f]{8}$/.test(f[2]!)) continue;
    const bytes = [0, 2, 4, 6].map((i) => parseInt(f[2]!.slice(i, i + 2), 16));
    const via = (littleEndian ? bytes.reverse() : bytes).join('.');
    const metric = Number(f[6]);
    if (!best || metric < best.metric) best = { via, dev: f[0]!, metric };
  }
  return best ? { via: best.via, dev: best.dev } : null;
}

/** os.networkInterfaces() -> IPv4 addresses per device (a labelled address "eth0:1" is eth0's). */
export function interfaceAddresses(ifs: NodeJS.Dict<NetworkInterfaceInfo[]>, devices: readonly string[]): Map<string, LiveAddress[]> {
  const m = new Map<string, LiveAddress[]>();
  for (const [name, list] of Object.entries(ifs)) {
    const colon = name.indexOf(':');
    const dev = colon > 0 && devices.includes(name.slice(0, colon)) ? name.slice(0, colon) : name;
    for (const a of list ?? []) {
      if (a.family !== 'IPv4' || !a.cidr) continue;
      const prefix = parsePrefix(a.cidr.slice(a.cidr.indexOf('/') + 1));
      if (prefix === null) continue;
      m.set(dev, [...(m.get(dev) ?? []), { address: a.address, prefix, dynamic: false }]);
    }
  }
  return m;
}

/**
 * The same as readKernelNet without running a program, for the console's first screen: `ip` (twice,
 * through execa) took about 30 ms of it on a real machine. It cannot tell a DHCP lease from a static
 * address (dynamic is false), and getifaddrs leaves out links that are not running (a static address
 * on a link without carrier is not listed). The console's status screen reads this way every time;
 * the apply engine reads the kernel with `ip` itself before it changes anything.
 */
export function readKernelNetInProcess(devices: readonly string[], hostname: () => string | null = readKernelHostname): {
  readonly addresses: Map<string, LiveAddress[]>;
  readonly defaultRoute: DefaultRoute | null;
  readonly hostname: string | null;
} {
  let defaultRoute: { via: string; dev: string } | null = null;
  try {
    defaultRoute = parseProcRoute(readFileSync('/proc/net/route', 'utf8'));
  } catch {
    /* not Linux */
  }
  let ifs: NodeJS.Dict<NetworkInterfaceInfo[]> = {};
  try {
    ifs = networkInterfaces();
  } catch {
    /* getifaddrs failed: no addresses until the full reading */
  }
  return { addresses: interfaceAddresses(ifs, devices), defaultRoute, hostname: hostname() };
}

/** What the kernel of this network namespace holds: IPv4 addresses, the default route, the hostname. */
export async function readKernelNet(run: Runner, timeoutMs: number, hostname: () => string | null = readKernelHostname): Promise<{
  readonly addresses: Map<string, LiveAddress[]>;
  readonly defaultRoute: DefaultRoute | null;
  readonly defaultRoutes: readonly DefaultRoute[];
  readonly hostname: string | null;
}> {
  const [a, r] = await Promise.all([
    run('ip', ['-o', '-4', 'addr', 'show'], { timeoutMs }),
    run('ip', ['-4', 'route', 'show', 'default'], { timeoutMs }),
  ]);
  return {
    addresses: succeeded(a) ? parseIpAddr(a.stdout) : new Map(),
    defaultRoute: succeeded(r) ? parseDefaultRoute(r.stdout) : null,
    defaultRoutes: succeeded(r) ? parseDefaultRoutes(r.stdout) : [],
    hostname: hostname(),
  };
}

/** inProcess: read the kernel without running `ip` (the console's first screen; see readKernelNetInProcess). */
export async function readLive(root: Root, run: Runner | null, opts: { readonly inProcess?: boolean } = {}): Promise<LiveState> {
  let names: string[] = [];
  try {
    names = readdirSync(root.path(PATHS.sysClassNet))
      .filter((n) => !isDemoKernelFile(n))
      .sort();
  } catch {
    /* no sys tree under this root */
  }
  let addrs = new Map<string, LiveAddress[]>();
  let defaultRoute: DefaultRoute | null = null;
  let hostname: string | null = null;
  if (root.isSystem && opts.inProcess) {
    ({ addresses: addrs, defaultRoute, hostname } = readKernelNetInProcess(names));
  } else if (root.isSystem && run) {
    ({ addresses: addrs, defaultRoute, hostname } = await readKernelNet(run, 3000));
  } else {
    // A demo or test tree may describe the running system in sys/class/net/<dev>/ttyconf-ipv4
    // ("192.0.2.5/24 dynamic") and sys/class/net/ttyconf-route ("default via X dev Y").
    for (const n of names) {
      const t = readSys(root, n, 'ttyconf-ipv4');
      if (t) addrs.set(n, [...parseIpAddr(`1: ${n} inet ${t}`).values()].flat());
    }
    const route = readSysFile(root, join(PATHS.sysClassNet, 'ttyconf-route'));
    if (route !== null) defaultRoute = parseDefaultRoute(route);
  }
  const v6 = readIpv6(root, names);
  const links: LinkState[] = [];
  for (const n of names) {
    if (n === 'lo') continue;
    const type = readSys(root, n, 'type');
    if (type === '772') continue;
    links.push({ name: n, mac: readSys(root, n, 'address'), link: linkStatus(readSys(root, n, 'operstate'), readSys(root, n, 'carrier')), virtual: isVirtual(root, n, type) });
  }
  return { addresses: Object.fromEntries(addrs), defaultRoute, hostname, links, addresses6: Object.fromEntries(v6.addresses), defaultRoute6: v6.defaultRoute };
}
