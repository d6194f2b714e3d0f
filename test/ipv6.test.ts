// IPv6 per interface through `ttyconf set ip6` and `show`: the ifcfg keys as bash reads them, the
// keyfile's [ipv6] as NetworkManager's own parser reads it, the review lines, and every bad input
// refused at once (exit 2, nothing written).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './helpers/cli.js';
import { NMCLI, NMCLI_SKIP, nmKeys, nmRead } from './helpers/nmcli.js';
import { DEMO_EL9, IFCFG, bashRead, read, tempRoot, treeBytes, useTempRoots } from './helpers/tree.js';

const root = useTempRoots();
const ETH0 = `${IFCFG}/ifcfg-eth0`;
const KF0 = 'etc/NetworkManager/system-connections/eth0.nmconnection';
const V6KEYS = ['IPV6INIT', 'IPV6_AUTOCONF', 'DHCPV6C', 'IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'IPV6_DEFAULTGW'];

describe('set ip6 on an ifcfg file (bash reads what ttyconf wrote)', () => {
  it('static with secondaries and a link-local gateway: GW%DEV, every other line kept', async () => {
    const r = root();
    const before = read(r, ETH0);
    const res = await cli('set', 'ip6', 'eth0', 'static', '2001:DB8:0:0::10/64', '2001:db8:1::5/56', '--gateway', 'FE80::1', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain('Note: eth0 IPv6 address 2001:db8:1::5/56 has prefix /56, not /64: allowed');
    expect(res.out).toContain('eth0 IPv6 method: off -> static');
    expect(res.out).toContain('eth0 IPv6 address: (none) -> 2001:db8::10/64 2001:db8:1::5/56');
    expect(res.out).toContain('eth0 IPv6 gateway: (none) -> fe80::1');
    expect(bashRead(join(r, ETH0), V6KEYS)).toEqual({
      IPV6INIT: 'yes', IPV6_AUTOCONF: 'no', DHCPV6C: null, IPV6ADDR: '2001:db8::10/64', IPV6ADDR_SECONDARIES: '2001:db8:1::5/56', IPV6_DEFAULTGW: 'fe80::1%eth0',
    });
    // IPV6INIT=no became yes in its place; the new keys follow at the end; nothing else moved.
    const after = read(r, ETH0).split('\n');
    expect(after.filter((l) => !/^IPV6/.test(l))).toEqual(before.split('\n').filter((l) => !/^IPV6/.test(l)));
  });

  it('auto, dhcp, then ignore: the keys of each method, and the addresses go', async () => {
    const r = root();
    expect((await cli('set', 'ip6', 'eth0', 'static', '2001:db8::10/64', '--gateway', '2001:db8::1', '--root', r)).code).toBe(0);
    expect((await cli('set', 'ip6', 'eth0', 'auto', '--root', r)).code).toBe(0);
    expect(bashRead(join(r, ETH0), V6KEYS)).toEqual({ IPV6INIT: 'yes', IPV6_AUTOCONF: 'yes', DHCPV6C: null, IPV6ADDR: null, IPV6ADDR_SECONDARIES: null, IPV6_DEFAULTGW: null });
    const dhcp = await cli('set', 'ip6', 'eth0', 'dhcp', '--root', r);
    expect(dhcp.out).toContain('eth0 IPv6 method: auto (SLAAC) -> DHCPv6');
    expect(bashRead(join(r, ETH0), V6KEYS)).toMatchObject({ IPV6INIT: 'yes', IPV6_AUTOCONF: 'no', DHCPV6C: 'yes' });
    expect((await cli('set', 'ip6', 'eth0', 'ignore', '--root', r)).code).toBe(0);
    expect(bashRead(join(r, ETH0), V6KEYS)).toEqual({ IPV6INIT: 'no', IPV6_AUTOCONF: null, DHCPV6C: null, IPV6ADDR: null, IPV6ADDR_SECONDARIES: null, IPV6_DEFAULTGW: null });
    expect((await cli('set', 'ip6', 'eth0', 'ignore', '--root', r)).out).toContain('Nothing to change');
  });

  it('show and show --json: the method, addresses and gateway per interface', async () => {
    const r = root();
    await cli('set', 'ip6', 'eth0', 'static', '2001:db8::10/64', '--gateway', 'fe80::1', '--root', r);
    const j = JSON.parse((await cli('show', '--json', '--root', r)).out) as { interfaces: { name: string; ipv6: unknown }[]; defaultGateway6: unknown };
    expect(j.interfaces.find((i) => i.name === 'eth0')!.ipv6).toEqual({ method: 'static', addresses: ['2001:db8::10/64'], liveAddresses: [], gateway: 'fe80::1' });
    expect(j.interfaces.find((i) => i.name === 'eth1')!.ipv6).toMatchObject({ method: 'ignore', addresses: [] });
    expect(j.defaultGateway6).toBeNull();
    expect((await cli('show', '--root', r)).out).toContain('IPv6 static 2001:db8::10/64 gw fe80::1');
  });

  it('a device without a profile is refused: its IPv4 makes one', async () => {
    const r = root();
    const res = await cli('set', 'ip6', 'eth9', 'auto', '--root', r);
    expect(res.code).toBe(2);
    expect(res.err).toContain('invalid device: "eth9" has no profile');
  });
});

describe('bad input: every error at once, exit 2, nothing written', () => {
  const cases: [string, string[], string[]][] = [
    ['an IPv4 address in the IPv6 field', ['static', '192.0.2.10/24'], ['ipv6 address: "192.0.2.10/24" is an IPv4 address']],
    ['prefix 129', ['static', '2001:db8::10/129'], ['"2001:db8::10/129" has an invalid prefix length: use /1 to /128']],
    ['prefix 0', ['static', '2001:db8::10/0'], ['has prefix /0, which is not a subnet']],
    ['no prefix', ['static', '2001:db8::10'], ['has no prefix length']],
    ['multicast', ['static', 'ff02::1/64'], ['is a multicast address (ff00::/8)']],
    ['loopback', ['static', '::1/128'], ['is the loopback address ::1']],
    ['unspecified', ['static', '::/64'], ['is the unspecified address ::']],
    ['link-local static address', ['static', 'fe80::10/64'], ['is link-local (fe80::/10)']],
    ['IPv4-mapped', ['static', '::ffff:192.0.2.1/96'], ['is an IPv4-mapped address']],
    ['the same address twice', ['static', '2001:db8::10/64', '2001:DB8::10/64'], ['ipv6 address 2: "2001:DB8::10/64" is listed twice']],
    ['a link-local gateway for another interface', ['static', '2001:db8::10/64', '--gateway', 'fe80::1%eth1'], ['names the interface eth1, but the setting is for eth0']],
    ['a global gateway outside the prefixes', ['static', '2001:db8::10/64', '--gateway', '2001:db9::1'], ['is outside the prefixes of the addresses']],
    ['an IPv4 gateway', ['static', '2001:db8::10/64', '--gateway', '192.0.2.1'], ['ipv6 gateway: "192.0.2.1" is an IPv4 address']],
    ['several at once', ['static', '10.0.0.1/8', '2001:db8::1/200', '--gateway', 'ff02::2'],
      ['ipv6 address 1: "10.0.0.1/8" is an IPv4 address', 'ipv6 address 2: "2001:db8::1/200" has an invalid prefix length', 'ipv6 gateway: "ff02::2" is a multicast address']],
  ];
  it.each(cases)('%s', async (_name, args, messages) => {
    const r = root();
    const before = treeBytes(r);
    const res = await cli('set', 'ip6', 'eth0', ...args, '--root', r);
    expect(res.code).toBe(2);
    for (const m of messages) expect(res.err).toContain(m);
    expect(res.err).toContain('nothing was written');
    expect(treeBytes(r)).toEqual(before);
  });

  it('usage errors: an unknown method, --gateway without static, no address', async () => {
    const r = root();
    expect((await cli('set', 'ip6', 'eth0', 'slaac', '--root', r)).err).toContain('method must be ignore, auto, dhcp, static, not "slaac"');
    expect((await cli('set', 'ip6', 'eth0', 'auto', '--gateway', 'fe80::1', '--root', r)).err).toContain('does not take the option --gateway');
    expect((await cli('set', 'ip6', 'eth0', 'static', '--root', r)).err).toContain('missing the address');
    expect((await cli('set', 'ip6', 'eth0', 'auto', '--netmask', '64', '--root', r)).err).toContain('"set ip6" does not take the option --netmask');
  });
});

describe.skipIf(!NMCLI)('set ip6 on a keyfile (NetworkManager\'s parser reads what ttyconf wrote)', () => {
  const nm = (r: string): Map<string, string> => {
    const res = nmRead(readFileSync(join(r, KF0)));
    if (!res.ok) throw new Error(res.message);
    return nmKeys(res.text);
  };

  it('static, then dhcp, then ignore; addr-gen-mode and the rest stay', async () => {
    const r = tempRoot(DEMO_EL9);
    const res = await cli('set', 'ip6', 'eth0', 'static', '2001:db8::10/64', '2001:db8:1::5/64', '--gateway', 'fe80::1', '--root', r);
    expect(res.code).toBe(0);
    expect(res.out).toContain('eth0 IPv6 method: auto (SLAAC) -> static');
    let k = nm(r);
    expect(k.get('ipv6.method')).toBe('manual');
    // NetworkManager writes its gateway beside the first address.
    expect(k.get('ipv6.address1')).toBe('2001:db8::10/64,fe80::1');
    expect(k.get('ipv6.address2')).toBe('2001:db8:1::5/64');
    expect(read(r, KF0)).toMatch(/^gateway=fe80::1$/m);
    expect(k.get('ipv6.addr-gen-mode')).toBe('eui64');
    expect(read(r, KF0)).toContain('vendor.role=management');
    await cli('set', 'ip6', 'eth0', 'dhcp', '--root', r);
    k = nm(r);
    expect(k.get('ipv6.method')).toBe('dhcp');
    expect(k.has('ipv6.address1')).toBe(false);
    expect(k.has('ipv6.gateway')).toBe(false);
    await cli('set', 'ip6', 'eth0', 'ignore', '--root', r);
    expect(nm(r).get('ipv6.method')).toBe('ignore');
  });

  it('IPv6 DNS servers go to [ipv6] dns, where NetworkManager reads them', async () => {
    const r = tempRoot(DEMO_EL9);
    expect((await cli('set', 'dns', '192.0.2.53', '2001:db8::53', '--root', r)).code).toBe(0);
    const k = nm(r);
    expect(k.get('ipv4.dns')).toBe('192.0.2.53;');
    expect(k.get('ipv6.dns')).toBe('2001:db8::53;');
    const j = JSON.parse((await cli('show', '--json', '--root', r)).out) as { configuredDns: { servers: string[] } };
    expect(j.configuredDns.servers).toEqual(['192.0.2.53', '2001:db8::53']);
    // IPv6 off: NetworkManager would refuse the profile with [ipv6] dns, so the edit drops it and says so.
    const off = await cli('set', 'ip6', 'eth0', 'ignore', '--root', r);
    expect(off.out).toContain('[ipv6] dns=2001:db8::53; removed from');
    expect(nm(r).get('ipv6.method')).toBe('ignore');
    const before = treeBytes(r);
    const refused = await cli('set', 'dns', '2001:db8::53', '--root', r);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('is an IPv6 server (2001:db8::53), but IPv6 is off in this profile');
    expect(treeBytes(r)).toEqual(before);
  });
});
if (!NMCLI) console.warn(`test/ipv6.test.ts: ${NMCLI_SKIP}`);
