// Reading a tree back as the system would: bytes for "nothing was written", bash for values.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** A digest of every file under `dir` except ttyconf's own state: equal digests = nothing written. */
export function treeDigest(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      const rel = relative(dir, p);
      // ttyconf's own state: backups and jobs, and the login failure count in /run.
      if (rel.startsWith('var/lib/ttyconf') || rel.startsWith('run/ttyconf')) continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else h.update(`${rel}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(dir);
  return h.digest('hex');
}

/** What bash reads from a shell-variable file (ifcfg): `env -i bash --norc -c '. FILE; printf %s "$VAR"'`. */
export function bashRead(file: string, variable: string): string {
  return execFileSync('env', ['-i', 'bash', '--norc', '-c', `. "$1"; printf %s "\${${variable}}"`, 'bash', file], { encoding: 'utf8' });
}

export const IFCFG_ETH0 = 'etc/sysconfig/network-scripts/ifcfg-eth0';
