// NetworkManager's own configuration, for one question: does NetworkManager write /etc/resolv.conf?
// `[main] dns=none` (cloud-init sets it when it writes resolv.conf itself) or `rc-manager=unmanaged`
// (or the old `immutable`) make NetworkManager leave the file alone.
//
// NetworkManager reads usr/lib/NetworkManager/conf.d, then run/NetworkManager/conf.d, then
// etc/NetworkManager/NetworkManager.conf, then etc/NetworkManager/conf.d; within a directory `*.conf`
// files in name order; a file in etc/.../conf.d hides one of the same name in run or usr/lib (and run
// hides usr/lib). A key read later wins.
import { join } from 'node:path';

export const NM_CONF = 'etc/NetworkManager/NetworkManager.conf';
const CONF_DIRS = ['usr/lib/NetworkManager/conf.d', 'run/NetworkManager/conf.d', 'etc/NetworkManager/conf.d'] as const;

export interface NmSetting {
  readonly value: string;
  /** Root-relative file that set it last. */
  readonly file: string;
}

export interface NmDnsConfig {
  /** `[main] dns=` (default, dnsmasq, systemd-resolved, none, ...); null when no file sets it. */
  readonly dns: NmSetting | null;
  /** `[main] rc-manager=` (symlink, file, resolvconf, netconfig, unmanaged, ...); null when unset. */
  readonly rcManager: NmSetting | null;
}

/** The files NetworkManager reads, in its order. */
export function nmConfFiles(list: (rel: string) => string[]): string[] {
  // Every name ending in .conf counts, a dot-file too (NetworkManager's own --print-config says so).
  const names = CONF_DIRS.map((d) => list(d).filter((n) => n.endsWith('.conf')).sort());
  const [lib, run, etc] = names as [string[], string[], string[]];
  const hidden = (n: string, by: readonly string[][]): boolean => by.some((b) => b.includes(n));
  return [
    ...lib.filter((n) => !hidden(n, [run, etc])).map((n) => join(CONF_DIRS[0], n)),
    ...run.filter((n) => !hidden(n, [etc])).map((n) => join(CONF_DIRS[1], n)),
    NM_CONF,
    ...etc.map((n) => join(CONF_DIRS[2], n)),
  ];
}

/** `[main]` keys of a GKeyFile-syntax text (comments `#`, blanks around `=` ignored). */
export function mainKeys(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let group = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const g = /^\[([^\]]*)\]$/.exec(line);
    if (g) {
      group = g[1]!;
      continue;
    }
    const eq = line.indexOf('=');
    if (group === 'main' && eq > 0) out.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  return out;
}

export function readNmDnsConfig(read: (rel: string) => Buffer | null, list: (rel: string) => string[]): NmDnsConfig {
  let dns: NmSetting | null = null;
  let rcManager: NmSetting | null = null;
  for (const file of nmConfFiles(list)) {
    const buf = read(file);
    if (!buf) continue;
    const keys = mainKeys(buf.toString('utf8'));
    const d = keys.get('dns');
    if (d !== undefined) dns = d === '' ? null : { value: d, file };
    const r = keys.get('rc-manager');
    if (r !== undefined) rcManager = r === '' ? null : { value: r, file };
  }
  return { dns, rcManager };
}

/** Why NetworkManager leaves resolv.conf alone (`dns=none in FILE`), or null when it may write it. */
export function nmLeavesResolvConf(c: NmDnsConfig): string | null {
  if (c.dns?.value === 'none') return `dns=none in ${c.dns.file}`;
  if (c.rcManager && (c.rcManager.value === 'unmanaged' || c.rcManager.value === 'immutable')) {
    return `rc-manager=${c.rcManager.value} in ${c.rcManager.file}`;
  }
  return null;
}
