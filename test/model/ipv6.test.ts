// IPv6 text and arithmetic, and the kernel's IPv6 tables as ttyconf reads them. Pure.
import { describe, expect, it } from 'vitest';
import { formatIPv6, inPrefix6, normalizeIPv6, validateIp6 } from '../../src/model/ipv6.js';
import { parseDefaultRoute6, parseIfInet6, parseIpAddr6, parseIpv6Route } from '../../src/system/ipv6Live.js';
import { iproute2Ipv6Steps } from '../../src/apply/stepsIpv6.js';
import { DEFAULT_TIMEOUTS } from '../../src/apply/types.js';

describe('IPv6 text', () => {
  it('writes addresses as RFC 5952 does: lower case, the longest zero run as ::, the first of equal runs', () => {
    expect(normalizeIPv6('2001:DB8:0:0:0:0:0:10')).toBe('2001:db8::10');
    expect(normalizeIPv6('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(normalizeIPv6('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(normalizeIPv6('fe80::1%eth0')).toBe('fe80::1');
    expect(formatIPv6([0, 0, 0, 0, 0, 0, 0, 0])).toBe('::');
    expect(normalizeIPv6('192.0.2.1')).toBeNull();
  });

  it('tells whether an address is inside a prefix, on any bit boundary', () => {
    expect(inPrefix6('2001:db8::1', '2001:db8::10', 64)).toBe(true);
    expect(inPrefix6('2001:db8:0:1::1', '2001:db8::10', 64)).toBe(false);
    expect(inPrefix6('2001:db8:0:ff::1', '2001:db8::', 56)).toBe(true);
    expect(inPrefix6('2001:db8:1:0::1', '2001:db8::', 56)).toBe(false);
    expect(inPrefix6('2001:db8::11', '2001:db8::10', 127)).toBe(true);
  });

  it('validates a valid setting into canonical form; non-static methods take no address', () => {
    expect(validateIp6({ device: 'eth0', method: 'static', addresses: ['2001:DB8::A/64'], gateway: 'FE80::1%eth0' }))
      .toEqual({ ok: true, value: { kind: 'ip6', device: 'eth0', ipv6: { method: 'static', addresses: [{ address: '2001:db8::a', prefix: 64 }], gateway: 'fe80::1' } } });
    const r = validateIp6({ device: 'eth0', method: 'auto', addresses: ['2001:db8::a/64'] });
    expect(r.ok ? null : r.error.map((e) => e.rule)).toEqual(['is only for the static method, not auto']);
  });
});

describe('the kernel\'s IPv6 tables', () => {
  it('/proc/net/if_inet6: address, prefix, scope and the DAD flags', () => {
    const m = parseIfInet6([
      '20010db8000000000000000000000010 02 40 00 c0     eth0',
      '20010db8000000000000000000000011 02 40 00 08     eth0',
      '20010db8000000000000000000000012 02 40 00 00     eth0',
      'fe800000000000005054fffe123456 02 40 20 80     eth0', // 30 digits: not a line of the table
      'fe800000000000005054fffe12345600 02 40 20 80     eth0',
      '00000000000000000000000000000001 01 80 10 80       lo',
    ].join('\n'));
    expect(m.get('eth0')).toEqual([
      { address: '2001:db8::10', prefix: 64, scope: 'global', tentative: true, dadfailed: false, dynamic: false },
      { address: '2001:db8::11', prefix: 64, scope: 'global', tentative: false, dadfailed: true, dynamic: true },
      { address: '2001:db8::12', prefix: 64, scope: 'global', tentative: false, dadfailed: false, dynamic: true },
      { address: 'fe80::5054:fffe:1234:5600', prefix: 64, scope: 'link', tentative: false, dadfailed: false, dynamic: false },
    ]);
    expect(m.get('lo')).toEqual([{ address: '::1', prefix: 128, scope: 'host', tentative: false, dadfailed: false, dynamic: false }]);
  });

  it('/proc/net/ipv6_route: the default route through a gateway with the lowest metric', () => {
    const z = '0'.repeat(32);
    const text = [
      `${z} 00 ${z} 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003     eth1`,
      `${z} 00 ${z} 00 fe800000000000000000000000000002 00000064 00000001 00000000 00000003     eth0`,
      `20010db8000000000000000000000000 40 ${z} 00 ${z} 00000100 00000001 00000000 00000001     eth0`,
      `${z} 00 ${z} 00 ${z} ffffffff 00000001 00000000 00200200       lo`,
    ].join('\n');
    expect(parseIpv6Route(text)).toEqual({ via: 'fe80::2', dev: 'eth0' });
    expect(parseIpv6Route('')).toBeNull();
  });

  it('`ip -o -6 addr` and `ip -6 route show default`', () => {
    const m = parseIpAddr6('2: eth0    inet6 2001:db8::10/64 scope global tentative \\       valid_lft forever preferred_lft forever\n'
      + '2: eth0    inet6 2001:db8::20/64 scope global dynamic mngtmpaddr \\       valid_lft 86000sec preferred_lft 14000sec\n'
      + '2: eth0    inet6 fe80::1/64 scope link \\       valid_lft forever preferred_lft forever\n');
    expect(m.get('eth0')!.map((a) => [a.address, a.scope, a.tentative, a.dynamic])).toEqual([
      ['2001:db8::10', 'global', true, false], ['2001:db8::20', 'global', false, true], ['fe80::1', 'link', false, false]]);
    expect(parseDefaultRoute6('default via fe80::1 dev eth0 proto static metric 1024 pref medium\n')).toEqual({ via: 'fe80::1', dev: 'eth0' });
    expect(parseDefaultRoute6('default proto ra metric 1024 expires 1790sec pref medium\n\tnexthop via fe80::1 dev eth0 weight 1\n')).toBeNull();
  });
});

describe('iproute2 steps for IPv6', () => {
  const argv = (steps: ReturnType<typeof iproute2Ipv6Steps>): string[] => steps.map((s) => [s.tries[0]!.file, ...s.tries[0]!.args].join(' '));
  const live = [{ address: '2001:db8::99', prefix: 64, scope: 'global' as const, tentative: false, dadfailed: false, dynamic: false }];

  it('static: stale addresses go, the wanted ones are set, the default route goes through the gateway', () => {
    expect(argv(iproute2Ipv6Steps('eth0', {
      target: { method: 'static', addresses: [{ address: '2001:db8::10', prefix: 64 }], gateway: 'fe80::1' }, live, route: null,
    }, DEFAULT_TIMEOUTS))).toEqual([
      'dhclient -6 -r eth0',
      'ip -6 addr del 2001:db8::99/64 dev eth0',
      'ip -6 addr replace 2001:db8::10/64 dev eth0',
      'ip -6 route replace default via fe80::1 dev eth0',
    ]);
  });

  it('off: the static addresses and the default route through the device go; auto turns router advertisements on', () => {
    expect(argv(iproute2Ipv6Steps('eth0', { target: { method: 'ignore' }, live, route: { via: 'fe80::1', dev: 'eth0' } }, DEFAULT_TIMEOUTS))).toEqual([
      'dhclient -6 -r eth0', 'ip -6 addr del 2001:db8::99/64 dev eth0', 'ip -6 route del default dev eth0']);
    expect(argv(iproute2Ipv6Steps('eth0', { target: { method: 'auto' }, live: [], route: null }, DEFAULT_TIMEOUTS))).toEqual([
      'sysctl -q -w net.ipv6.conf.eth0.accept_ra=1', 'sysctl -q -w net.ipv6.conf.eth0.autoconf=1', 'dhclient -6 -r eth0']);
  });
});
