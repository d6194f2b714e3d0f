// NetworkManager's own keyfile parser: Debian's nmcli unpacked by scripts/nm-offline.sh (never
// installed). `nmcli --offline connection modify PROP VALUE < FILE` reads a keyfile on stdin and
// prints the profile as NetworkManager stores it, or fails with NetworkManager's message.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT } from './tree.js';

function locate(): string | null {
  if (process.env.TTYCONF_NMCLI) return process.env.TTYCONF_NMCLI;
  const script = join(PROJECT, 'scripts', 'nm-offline.sh');
  if (!existsSync(script)) return null;
  try {
    return execFileSync('bash', [script, 'path'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || null;
  } catch {
    return null;
  }
}

/** Path of the unpacked nmcli, or null (tests skip, saying why: see NMCLI_SKIP). */
export const NMCLI: string | null = locate();
export const NMCLI_SKIP = 'SKIPPED: NetworkManager\'s nmcli is not unpacked here (run: bash scripts/nm-offline.sh fetch)';

export type NmRead = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * NetworkManager reads `keyfile` and prints it as it would store it. The one property set
 * (connection.zone to '', its default) changes nothing in what is printed.
 */
export function nmRead(keyfile: string | Buffer, property: readonly [string, string] = ['connection.zone', '']): NmRead {
  if (!NMCLI) throw new Error(NMCLI_SKIP);
  const r = spawnSync(NMCLI, ['--offline', 'connection', 'modify', ...property], { input: keyfile, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } });
  if (r.status === 0) return { ok: true, text: r.stdout };
  return { ok: false, message: (r.stderr || r.stdout).trim() };
}

/** What NetworkManager printed, as `group.key` -> raw value (its own output is one key per line). */
export function nmKeys(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let group = '';
  for (const line of text.split('\n')) {
    const g = /^\[(.*)\]$/.exec(line);
    if (g) group = g[1]!;
    else if (line.includes('=')) out.set(`${group}.${line.slice(0, line.indexOf('='))}`, line.slice(line.indexOf('=') + 1));
  }
  return out;
}
