// IPv6 on the real kernel, in network namespaces these tests create (skipped, with the reason, where
// that is not possible): `ttyconf set ip6 ... --root TMP --apply --stack iproute2` inside the "box"
// namespace sets the address and the IPv6 default route, waits out duplicate address detection and
// asks the gateway; a gateway that does not answer, and an address another host holds (DAD fails),
// both end with the old kernel state and the old file. Documentation addresses (2001:db8::/32) only,
// inside the namespaces only.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashRead } from '../helpers/tree.js';
import { haveIfupIpv6, ifupIpv6 } from '../helpers/ifupIpv6.js';
import { type Pair, netnsSuite, netnsUnavailable } from './helpers/netns.js';

const unavailable = netnsUnavailable();
if (unavailable) console.warn(`test/system/netnsIpv6.test.ts: SKIPPED, network namespaces are not usable here: ${unavailable}`);

const ETH0 = 'etc/sysconfig/network-scripts/ifcfg-eth0';

/** The pair, its gateway end also holding 2001:db8::1/64 (no DAD wait on its side). */
function withGateway6(p: Pair): Pair & { gwLinkLocal: string } {
  const dev = execFileSync('ip', ['-n', p.gw, '-o', 'link', 'show', 'type', 'veth'], { encoding: 'utf8' }).split(':')[1]!.trim().split('@')[0]!;
  execFileSync('ip', ['-n', p.gw, 'addr', 'add', '2001:db8::1/64', 'dev', dev, 'nodad']);
  // The gateway's link-local address exists once its link is up and DAD has passed.
  let ll = '';
  for (let i = 0; i < 50 && !ll; i++) {
    const out = execFileSync('ip', ['-n', p.gw, '-o', '-6', 'addr', 'show', 'dev', dev, 'scope', 'link'], { encoding: 'utf8' });
    if (!/tentative/.test(out)) ll = /inet6 (fe80::[0-9a-f:]+)\//.exec(out)?.[1] ?? '';
    if (!ll) spawnSync('sleep', ['0.1']);
  }
  return { ...p, gwLinkLocal: ll };
}

/** The box's global IPv6 addresses on eth0 and its IPv6 default route. */
function boxNet6(box: string): { addrs: string[]; route: string } {
  const a = execFileSync('ip', ['-n', box, '-o', '-6', 'addr', 'show', 'dev', 'eth0', 'scope', 'global'], { encoding: 'utf8' });
  const r = execFileSync('ip', ['-n', box, '-6', 'route', 'show', 'default'], { encoding: 'utf8' });
  return { addrs: [...a.matchAll(/inet6 ([0-9a-f:]+\/\d+)/g)].map((m) => m[1]!), route: r.trim().replace(/\s+(proto \S+|metric \d+|pref \S+)/g, '').replace(/\s+/g, ' ') };
}

describe.skipIf(unavailable !== null)(`IPv6 on the real kernel in network namespaces${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const suite = netnsSuite('ttyconf-netns6-', 'gateway=2,settle=5,dns=1');
  const { root: newRoot, inBox } = suite;
  const pair = (): ReturnType<typeof withGateway6> => withGateway6(suite.pair());

  it('static address and gateway: set after duplicate address detection, the gateway answers, kept; bash reads the file', () => {
    const { box } = pair();
    const root = newRoot();
    const r = inBox(box, ['set', 'ip6', 'eth0', 'static', '2001:db8::20/64', '--gateway', '2001:db8::1', '--root', root, '--apply', '--stack', 'iproute2'], 'y\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('eth0 IPv6 method: off -> static');
    expect(r.out).toContain('PASS  eth0 IPv6 address: wanted 2001:db8::20/64, got 2001:db8::20/64');
    expect(r.out).toContain('PASS  IPv6 default route: wanted default via 2001:db8::1 dev eth0, got default via 2001:db8::1 dev eth0');
    expect(r.out).toContain('PASS  IPv6 gateway 2001:db8::1: 2001:db8::1 answered ping on eth0');
    expect(boxNet6(box)).toEqual({ addrs: ['2001:db8::20/64'], route: 'default via 2001:db8::1 dev eth0' });
    // The IPv4 side was left alone.
    expect(execFileSync('ip', ['-n', box, '-o', '-4', 'addr', 'show', 'dev', 'eth0'], { encoding: 'utf8' })).toContain('192.0.2.10/24');
    expect(bashRead(join(root, ETH0), ['IPV6INIT', 'IPV6_AUTOCONF', 'IPV6ADDR', 'IPV6_DEFAULTGW', 'IPADDR']))
      .toEqual({ IPV6INIT: 'yes', IPV6_AUTOCONF: 'no', IPV6ADDR: '2001:db8::20/64', IPV6_DEFAULTGW: '2001:db8::1', IPADDR: '192.0.2.10' });
  });

  it('a link-local gateway: reached on the interface, written GW%DEV for network-scripts', () => {
    const p = pair();
    expect(p.gwLinkLocal).toMatch(/^fe80::/);
    const root = newRoot();
    const r = inBox(p.box, ['set', 'ip6', 'eth0', 'static', '2001:db8::21/64', '--gateway', p.gwLinkLocal, '--root', root, '--apply', '--stack', 'iproute2'], 'y\n');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`PASS  IPv6 gateway ${p.gwLinkLocal}: ${p.gwLinkLocal} answered ping on eth0`);
    expect(boxNet6(p.box).route).toBe(`default via ${p.gwLinkLocal} dev eth0`);
    expect(bashRead(join(root, ETH0), ['IPV6_DEFAULTGW'])).toEqual({ IPV6_DEFAULTGW: `${p.gwLinkLocal}%eth0` });
  });

  it('a gateway that does not answer: verification fails, the old kernel state and file come back, exit 1', () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    const net6 = boxNet6(box);
    const r = inBox(box, ['set', 'ip6', 'eth0', 'static', '2001:db8::30/64', '--gateway', '2001:db8::254', '--root', root, '--apply', '--stack', 'iproute2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL  IPv6 gateway 2001:db8::254: 2001:db8::254 does not answer');
    expect(r.err).toContain('ttyconf: rolled back: check "IPv6 gateway 2001:db8::254" failed');
    expect(r.err).toContain('the old settings are back');
    expect(boxNet6(box)).toEqual(net6);
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  it('an address another host holds: duplicate address detection fails, rolled back', () => {
    const { box } = pair();
    const root = newRoot();
    const before = readFileSync(join(root, ETH0), 'utf8');
    const r = inBox(box, ['set', 'ip6', 'eth0', 'static', '2001:db8::1/64', '--root', root, '--apply', '--stack', 'iproute2']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL  eth0 IPv6 address: wanted 2001:db8::1/64: duplicate address detection failed');
    expect(r.err).toContain('the old settings are back');
    expect(boxNet6(box).addrs).toEqual([]);
    expect(readFileSync(join(root, ETH0), 'utf8')).toBe(before);
  });

  it.skipIf(!haveIfupIpv6)('CentOS 7\'s ifup-ipv6 brings up what ttyconf wrote: both addresses and the link-local gateway (GW%DEV)', () => {
    const { box } = pair();
    const root = newRoot();
    const w = inBox(box, ['set', 'ip6', 'eth0', 'static', '2001:db8::40/64', '2001:db8:1::40/56', '--gateway', 'fe80::1', '--root', root, '--no-apply']);
    expect(w.code).toBe(0);
    const r = ifupIpv6(box, root, 'eth0');
    // Nothing but its note that it waits out duplicate address detection (printed or not, by load).
    expect(r.out.split('\n').filter((l) => l !== '' && !/^INFO +: \[ipv6_wait_tentative\]/.test(l))).toEqual([]);
    expect(r.code, r.out).toBe(0);
    expect(boxNet6(box)).toEqual({ addrs: ['2001:db8:1::40/56', '2001:db8::40/64'], route: 'default via fe80::1 dev eth0' });
  });
});
if (!haveIfupIpv6) console.warn('test/system/netnsIpv6.test.ts: the ifup-ipv6 test is SKIPPED: CentOS 7\'s network-scripts are not beside the project');
