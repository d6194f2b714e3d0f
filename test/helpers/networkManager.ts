import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * NetworkManager's own binary, unpacked from Debian's package (apt-get download + dpkg -x; never
 * installed or started as a service), cached under the temp directory. Null when that is not possible
 * here (no apt, no network to Debian's mirror): tests using it skip then.
 */
export function networkManagerBinary(): { bin: string; libs: string } | null {
  const dir = process.env.TTYCONF_NM_ROOT ?? join(tmpdir(), 'ttyconf-test-network-manager');
  const bin = join(dir, 'root/usr/sbin/NetworkManager');
  const libs = join(dir, 'root/usr/lib/x86_64-linux-gnu');
  if (existsSync(bin)) return { bin, libs };
  try {
    mkdirSync(dir, { recursive: true });
    execFileSync('apt-get', ['download', 'network-manager', 'libndp0'], { cwd: dir, stdio: 'ignore', timeout: 120_000 });
    for (const deb of readdirSync(dir).filter((n) => n.endsWith('.deb'))) {
      execFileSync('dpkg', ['-x', join(dir, deb), join(dir, 'root')], { stdio: 'ignore' });
    }
    execFileSync(bin, ['--version'], { env: { LD_LIBRARY_PATH: libs }, stdio: 'ignore', timeout: 20_000 });
    return { bin, libs };
  } catch {
    rmSync(join(dir, 'root'), { recursive: true, force: true });
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
  ], { env: { LD_LIBRARY_PATH: nm.libs }, encoding: 'utf8', timeout: 20_000 });
  const main = new Map<string, string>();
  let group = '';
  for (const line of out.split('\n')) {
    const g = /^\[(.*)\]$/.exec(line);
    if (g) group = g[1]!;
    else if (group === 'main' && /^[A-Za-z]/.test(line) && line.includes('=')) main.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
  }
  return main;
}
