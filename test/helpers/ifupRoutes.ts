import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

/** CentOS 7's network-scripts beside the project (absent on some machines: tests using them skip then). */
export const INITSCRIPTS = process.env.TTYCONF_INITSCRIPTS
  ?? fileURLToPath(new URL('../../../shared/realreaders/initscripts-9.49.53', import.meta.url));
const SCRIPT = join(INITSCRIPTS, 'sysconfig', 'network-scripts', 'ifup-routes');

export const haveIfupRoutes = existsSync(SCRIPT);

// `ip` records its arguments instead of touching routes. `ipcalc -p ADDR MASK` (CentOS's own, which
// Debian lacks) is a stand-in that prints the prefix length of a contiguous dotted mask, the only use
// ifup-routes makes of it.
const STUBS = `
ip() { printf '%s\\n' "$*" >> "$IP_LOG"; }
ipcalc() {
  [ "$1" = -p ] || return 1
  local a b c d m p=0
  IFS=. read -r a b c d <<< "$3" || return 1
  m=$(( (a << 24) | (b << 16) | (c << 8) | d ))
  while [ $p -lt 32 ] && [ $(( (m >> (31 - p)) & 1 )) = 1 ]; do p=$((p + 1)); done
  [ $(( m & ((1 << (32 - p)) - 1) )) = 0 ] || { echo "ipcalc: bad netmask: $3" >&2; return 1; }
  echo PREFIX=$p
}
`;

/**
 * Runs CentOS 7's own ifup-routes for each DEVICE on the tree under ROOT (one bash, each device in a
 * subshell, as `ifup-routes DEVICE`), with the stubs above. The script is used unchanged except for
 * its absolute paths (network-scripts under ROOT, ip as the stub). Returns each device's `ip` calls.
 */
export function ifupRoutesAll(root: string, devices: readonly string[]): Map<string, string[]> {
  const work = mkdtempSync(join(tmpdir(), 'ttyconf-ifup-routes-'));
  try {
    const log = join(work, 'ip.log');
    writeFileSync(log, '');
    const script = readFileSync(SCRIPT, 'utf8')
      .replaceAll('/etc/sysconfig/network-scripts/', `${root}/etc/sysconfig/network-scripts/`)
      .replaceAll('/sbin/ip ', 'ip ');
    writeFileSync(join(work, 'ifup-routes'), script);
    const driver = `${STUBS}
for dev in "$@"; do
  printf '@@%s\\n' "$dev" >> "$IP_LOG"
  ( set -- "$dev"; . "${join(work, 'ifup-routes')}" ) </dev/null >/dev/null 2>&1
done
`;
    execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', driver, 'bash', ...devices], {
      env: { PATH: '/usr/bin:/bin', IP_LOG: log },
      stdio: ['ignore', 'ignore', 'ignore'],
    });
    const out = new Map<string, string[]>();
    let current: string[] = [];
    for (const l of readFileSync(log, 'utf8').split('\n')) {
      if (l.startsWith('@@')) out.set(l.slice(2), (current = []));
      else if (l !== '') current.push(l);
    }
    return out;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export function ifupRoutes(root: string, device: string): string[] {
  return ifupRoutesAll(root, [device]).get(device) ?? [];
}
