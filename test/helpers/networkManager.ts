import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NMCLI } from './nmcli.js';

/**
 * NetworkManager's own binary, unpacked from Debian's package by scripts/nm-offline.sh beside nmcli
 * (never installed or started as a service). Null when it is not there: tests using it skip then.
 */
export function networkManagerBinary(): { bin: string; libs: string } | null {
  const bin = process.env.TTYCONF_NM_ROOT ? join(process.env.TTYCONF_NM_ROOT, 'NetworkManager') : NMCLI ? join(dirname(NMCLI), 'NetworkManager') : null;
  if (!bin || !existsSync(bin)) return null;
  try {
    execFileSync(bin, ['--version'], { stdio: 'ignore', timeout: 20_000 });
    return { bin, libs: '' };
  } catch {
    return null;
  }
}

/**
 * `[main]` of the configuration NetworkManager itself merges from a tree's NetworkManager.conf,
 * etc/NetworkManager/conf.d and usr/lib/NetworkManager/conf.d (`NetworkManager --print-config`,
 * which reads and exits). Only keys set in a file appear (defaults are printed commented out).
 */
export function nmPrintMain(nm: { bin: string; libs: string }, root: string): Map<string, string> {
  const out = execFileSync(nm.bin, [
    '--print-config',
    `--config=${join(root, 'etc/NetworkManager/NetworkManager.conf')}`,
    `--config-dir=${join(root, 'etc/NetworkManager/conf.d')}`,
    `--system-config-dir=${join(root, 'usr/lib/NetworkManager/conf.d')}`,
    `--intern-config=${join(root, 'var/lib/NetworkManager/NetworkManager-intern.conf')}`,
  ], { env: nm.libs ? { LD_LIBRARY_PATH: nm.libs } : {}, encoding: 'utf8', timeout: 20_000 });
  const main = new Map<string, string>();
  let group = '';
  for (const line of out.split('\n')) {
    const g = /^\[(.*)\]$/.exec(line);
    if (g) group = g[1]!;
    else if (group === 'main' && /^[A-Za-z]/.test(line) && line.includes('=')) main.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return main;
}
