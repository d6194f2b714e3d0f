// CentOS 7's own ifup-ipv6 (with network-functions and network-functions-ipv6, unchanged except for
// their absolute paths, which point into a temp tree) run inside a network namespace on the ifcfg
// file ttyconf wrote: the real reader of IPV6INIT, IPV6ADDR, IPV6ADDR_SECONDARIES and IPV6_DEFAULTGW
// acting on a real kernel.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INITSCRIPTS } from './ifupRoutes.js';

const SCRIPTS = join(INITSCRIPTS, 'sysconfig', 'network-scripts');
export const haveIfupIpv6 = existsSync(join(SCRIPTS, 'ifup-ipv6')) && existsSync(join(INITSCRIPTS, 'rc.d', 'init.d', 'functions'));

/** Runs `ifup-ipv6 ifcfg-DEVICE` for the tree under ROOT inside network namespace NETNS. */
export function ifupIpv6(netns: string, root: string, device: string): { code: number | null; out: string } {
  const work = mkdtempSync(join(tmpdir(), 'ttyconf-ifup-ipv6-'));
  try {
    const nsDir = join(root, 'etc/sysconfig/network-scripts');
    if (!existsSync(join(root, 'etc/sysconfig/network'))) writeFileSync(join(root, 'etc/sysconfig/network'), 'NETWORKING=yes\n');
    mkdirSync(work, { recursive: true });
    for (const f of ['ifup-ipv6', 'network-functions', 'network-functions-ipv6']) {
      const text = readFileSync(join(SCRIPTS, f), 'utf8')
        .split('/etc/sysconfig/network-scripts/network-functions-ipv6').join(join(work, 'network-functions-ipv6'))
        .split('. ./network-functions').join(`. ${join(work, 'network-functions')}`)
        .split('/etc/init.d/functions').join(join(INITSCRIPTS, 'rc.d', 'init.d', 'functions'))
        .split('/etc/sysconfig/network-scripts').join(nsDir)
        .replace(/(?<![\w./-])\/etc\/sysconfig\/network(?![-\w])/g, join(root, 'etc/sysconfig/network'));
      writeFileSync(join(work, f), text);
    }
    // CentOS's `ipcalc -cs6 ADDR` (Debian has none) checks an IPv6 address: a stand-in exported as a
    // bash function (network-functions resets PATH), checking with node's own parser.
    const ipcalc = `() { [ "$1" = -cs6 ] || return 1; '${process.execPath}' -e 'process.exit(require("node:net").isIPv6(process.argv[1].split("/")[0]) ? 0 : 1)' "$2"; }`;
    const r = spawnSync('ip', ['netns', 'exec', netns, 'bash', join(work, 'ifup-ipv6'), `ifcfg-${device}`], {
      encoding: 'utf8', env: { PATH: '/sbin:/usr/sbin:/bin:/usr/bin', LC_ALL: 'C', 'BASH_FUNC_ipcalc%%': ipcalc }, timeout: 30_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
