// The kernel's IPv6 addresses and default route. The status screen reads them in-process from
// /proc/net/if_inet6 and /proc/net/ipv6_route (no program runs); the apply engine asks `ip -o -6`
// through its probe (scriptable in tests). A demo or test tree may describe them in
// sys/class/net/<dev>/ttyconf-ipv6 (one `ADDR/PREFIX [flags]` per line) and sys/class/net/ttyconf-route6.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatIPv6, normalizeIPv6, parsePrefix6 } from '../model/ipv6.js';
import type { Live6Address, Live6Route } from '../model/live.js';
import { PATHS, type Root } from '../files/root.js';
import { readRootFile } from '../files/safeRead.js';
import { type Runner, succeeded } from './run.js';

// Address flags of the kernel (linux/if_addr.h).
const IFA_F_DADFAILED = 0x08;
const IFA_F_TENTATIVE = 0x40;
const IFA_F_PERMANENT = 0x80;

function hexGroups(hex: string): number[] | null {
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) return null;
  return Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16));
}

function scopeWord(n: number): Live6Address['scope'] {
  if (n === 0x00) return 'global';
  if (n === 0x20) return 'link';
  if (n === 0x10) return 'host';
  return 'site';
}

/** /proc/net/if_inet6: `ADDR32HEX IFINDEX PREFIX SCOPE FLAGS DEV`, all hex. */
export function parseIfInet6(text: string): Map<string, Live6Address[]> {
  const out = new Map<string, Live6Address[]>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const g = hexGroups(f[0]!);
    if (!g) continue;
    const flags = parseInt(f[4]!, 16);
    const a: Live6Address = {
      address: formatIPv6(g),
      prefix: parseInt(f[2]!, 16),
      scope: scopeWord(parseInt(f[3]!, 16)),
      tentative: (flags & IFA_F_TENTATIVE) !== 0,
      dadfailed: (flags & IFA_F_DADFAILED) !== 0,
      dynamic: (flags & IFA_F_PERMANENT) === 0,
    };
    out.set(f[5]!, [...(out.get(f[5]!) ?? []), a]);
  }
  return out;
}

/** /proc/net/ipv6_route -> the default route through a gateway with the lowest metric. */
export function parseIpv6Route(text: string): Live6Route | null {
  let best: (Live6Route & { metric: number }) | null = null;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 10 || !/^0{32}$/.test(f[0]!) || f[1] !== '00') continue;
    const flags = parseInt(f[8]!, 16);
    // RTF_UP and RTF_GATEWAY.
    if ((flags & 0x3) !== 0x3) continue;
    const via = hexGroups(f[4]!);
    if (!via) continue;
    const metric = parseInt(f[5]!, 16);
    if (!best || metric < best.metric) best = { via: formatIPv6(via), dev: f[9]!, metric };
  }
  return best ? { via: best.via, dev: best.dev } : null;
}

/** `ip -o -6 addr show` lines (or a demo tree's `DEV inet6 ADDR/PREFIX words`). */
export function parseIpAddr6(out: string): Map<string, Live6Address[]> {
  const m = new Map<string, Live6Address[]>();
  for (const line of out.split('\n')) {
    const r = /^\d+:\s+(\S+?)(?:@\S+)?\s+inet6\s+([0-9a-fA-F:.]+)\/(\d+)(.*)$/.exec(line);
    if (!r) continue;
    const address = normalizeIPv6(r[2]!);
    const prefix = parsePrefix6(r[3]!);
    if (!address || prefix === null) continue;
    const rest = r[4] ?? '';
    const scope = /\bscope\s+(\w+)/.exec(rest)?.[1] ?? 'global';
    m.set(r[1]!, [...(m.get(r[1]!) ?? []), {
      address,
      prefix,
      scope: scope === 'global' || scope === 'link' || scope === 'host' ? scope : 'site',
      tentative: /\btentative\b/.test(rest),
      dadfailed: /\bdadfailed\b/.test(rest),
      dynamic: /\bdynamic\b/.test(rest),
    }]);
  }
  return m;
}

/** `ip -6 route show default` -> the first default route through a gateway. */
export function parseDefaultRoute6(out: string): Live6Route | null {
  const r = /^default\s+(?:proto\s+\S+\s+)?via\s+([0-9a-fA-F:.]+)\s+dev\s+(\S+)/m.exec(out);
  const via = r ? normalizeIPv6(r[1]!) : null;
  return r && via ? { via, dev: r[2]! } : null;
}

export interface Live6 {
  readonly addresses: Map<string, Live6Address[]>;
  readonly defaultRoute: Live6Route | null;
}

function readProc(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // no IPv6 in this kernel, or not Linux
  }
}

/** The kernel's IPv6 state without running a program (the status screen, `show`). */
export function readIpv6InProcess(): Live6 {
  const a = readProc('/proc/net/if_inet6');
  const r = readProc('/proc/net/ipv6_route');
  return { addresses: a ? parseIfInet6(a) : new Map(), defaultRoute: r ? parseIpv6Route(r) : null };
}

/** The root's IPv6 state: the kernel's on the real root, else what a demo or test tree describes. */
export function readIpv6(root: Root, names: readonly string[]): Live6 {
  if (root.isSystem) return readIpv6InProcess();
  const sys = (rel: string): string | null => {
    const r = readRootFile(root, join(PATHS.sysClassNet, rel), 65536);
    return r.kind === 'file' ? r.data.toString('utf8') : null;
  };
  const addresses = new Map<string, Live6Address[]>();
  for (const n of names) {
    const t = sys(join(n, 'ttyconf-ipv6'));
    if (t) addresses.set(n, [...parseIpAddr6(t.split('\n').map((l) => `1: ${n} inet6 ${l}`).join('\n')).values()].flat());
  }
  const route = sys('ttyconf-route6');
  return { addresses, defaultRoute: route ? parseDefaultRoute6(route) : null };
}

/** The same through `ip` (the apply engine, whose probe tests script). */
export async function readIpv6WithIp(run: Runner, timeoutMs: number): Promise<Live6> {
  const [a, r] = await Promise.all([
    run('ip', ['-o', '-6', 'addr', 'show'], { timeoutMs }),
    run('ip', ['-6', 'route', 'show', 'default'], { timeoutMs }),
  ]);
  return {
    addresses: succeeded(a) ? parseIpAddr6(a.stdout) : new Map(),
    defaultRoute: succeeded(r) ? parseDefaultRoute6(r.stdout) : null,
  };
}
