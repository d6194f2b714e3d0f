import { describe, expect, it } from 'vitest';
import { netmaskToPrefix, parseIPv4, prefixToNetmask } from '../../src/model/ipv4.js';
import { validateDns, validateHostname, validateIp } from '../../src/model/validate.js';

const fieldsOf = (r: { ok: boolean; error?: { field: string }[] }): string[] => (r.ok ? [] : r.error!.map((e) => e.field));

describe('IPv4 arithmetic', () => {
  it('parses strict dotted quads', () => {
    expect(parseIPv4('192.0.2.10')).toBe(0xc000020a);
    for (const bad of ['192.0.2', '192.0.2.256', '192.0.2.01', '1.2.3.4.5', '', 'a.b.c.d', ' 1.2.3.4']) expect(parseIPv4(bad)).toBeNull();
  });
  it('converts masks', () => {
    expect(netmaskToPrefix('255.255.255.0')).toBe(24);
    expect(netmaskToPrefix('255.255.255.255')).toBe(32);
    expect(netmaskToPrefix('0.0.0.0')).toBe(0);
    expect(netmaskToPrefix('255.0.255.0')).toBeNull();
    expect(prefixToNetmask(20)).toBe('255.255.240.0');
  });
});

describe('validateIp: every rule', () => {
  const st = (address: string, extra: { netmask?: string; gateway?: string } = {}) =>
    validateIp({ device: 'eth0', method: 'static', address, ...extra });

  it.each([
    ['192.0.2.10/24', {}, '192.0.2.10', 24, null],
    ['192.0.2.10', { netmask: '255.255.255.0' }, '192.0.2.10', 24, null],
    ['192.0.2.10', { netmask: '/25' }, '192.0.2.10', 25, null],
    ['192.0.2.10/24', { gateway: '192.0.2.1' }, '192.0.2.10', 24, '192.0.2.1'],
    ['192.0.2.0/31', {}, '192.0.2.0', 31, null],
    ['192.0.2.7/32', {}, '192.0.2.7', 32, null],
  ])('accepts %s %j', (address, extra, addr, prefix, gw) => {
    const r = st(address, extra);
    expect(r.ok).toBe(true);
    if (r.ok && r.value.ipv4.method === 'static') {
      expect(r.value.ipv4.address).toEqual({ address: addr, prefix });
      expect(r.value.ipv4.gateway).toBe(gw);
    }
  });

  it.each([
    ['missing prefix', '192.0.2.10', {}, 'address', /has no prefix/],
    ['bad prefix', '192.0.2.10/33', {}, 'address', /invalid prefix/],
    ['not an address', '192.0.2/24', {}, 'address', /not an IPv4 address/],
    ['non-contiguous netmask', '192.0.2.10', { netmask: '255.255.0.255' }, 'netmask', /not a contiguous netmask/],
    ['garbage netmask', '192.0.2.10', { netmask: 'abc' }, 'netmask', /not a netmask/],
    ['non-contiguous netmask beside a prefix', '192.0.2.10/24', { netmask: '255.0.255.0' }, 'netmask', /not a contiguous netmask/],
    ['mask disagrees', '192.0.2.10/24', { netmask: '255.255.0.0' }, 'netmask', /disagrees/],
    ['network address', '192.0.2.0/24', {}, 'address', /network address of 192.0.2.0\/24/],
    ['broadcast address', '192.0.2.255/24', {}, 'address', /broadcast address/],
    ['0.0.0.0', '0.0.0.0/8', {}, 'address', /unspecified/],
    ['loopback', '127.0.0.5/8', {}, 'address', /loopback/],
    ['multicast', '224.0.0.5/24', {}, 'address', /multicast/],
    ['reserved', '240.0.0.5/24', {}, 'address', /reserved/],
    ['gateway equal to address', '192.0.2.10/24', { gateway: '192.0.2.10' }, 'gateway', /same as the address/],
    ['gateway outside subnet', '192.0.2.10/24', { gateway: '198.51.100.1' }, 'gateway', /outside the subnet 192.0.2.0\/24/],
    ['gateway not an address', '192.0.2.10/24', { gateway: 'router' }, 'gateway', /not an IPv4 address/],
    ['gateway is broadcast', '192.0.2.10/24', { gateway: '192.0.2.255' }, 'gateway', /broadcast/],
  ])('rejects %s', (_name, address, extra, field, rule) => {
    const r = st(address, extra);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const e = r.error.find((x) => x.field === field);
      expect(e, JSON.stringify(r.error)).toBeDefined();
      expect(e!.rule).toMatch(rule);
      expect(e!.value).not.toBe('');
    }
  });

  it('reports every error at once', () => {
    const r = validateIp({ device: 'bad/name', method: 'static', address: '192.0.2.10', gateway: 'x' });
    expect(fieldsOf(r as never).sort()).toEqual(['address', 'device', 'gateway']);
  });
  it('accepts dhcp', () => expect(validateIp({ device: 'eth0', method: 'dhcp' }).ok).toBe(true));
});

describe('validateDns', () => {
  it('accepts IPv4 and IPv6 servers and search domains', () => {
    const r = validateDns({ servers: ['192.0.2.53', '2001:db8::53'], search: ['example.com', 'lab.example.com'] });
    expect(r.ok).toBe(true);
  });
  it('accepts clearing everything', () => expect(validateDns({ servers: [], search: [] }).ok).toBe(true));
  it('accepts loopback servers (a local resolver), as 127.0.0.1 is', () => {
    expect(validateDns({ servers: ['::1', '127.0.0.1', '::ffff:127.0.0.1'], search: [] }).ok).toBe(true);
  });
  it('0.0.0.0 and :: are refused alike', () => {
    for (const s of ['0.0.0.0', '::']) expect(validateDns({ servers: [s], search: [] }).ok, s).toBe(false);
  });
  it.each([
    ['four servers', ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'], [], 'dns', /at most 3/],
    ['duplicate server', ['192.0.2.1', '192.0.2.1'], [], 'dns2', /listed twice/],
    ['not an address', ['dns.example.com'], [], 'dns1', /not an IPv4 or IPv6/],
    ['seven domains', [], ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com', 'g.com'], 'search', /at most 6/],
    ['too long', [], [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.com`, `${'d'.repeat(60)}.${'e'.repeat(60)}.com`], 'search', /at most 256/],
    ['underscore', [], ['my_domain.com'], 'search', /underscore/],
    ['bad label', [], ['-bad.com'], 'search', /invalid label/],
    ['injection', [], ['a.com;reboot'], 'search', /invalid label/],
    ['the unspecified IPv6 address', ['::'], [], 'dns1', /unspecified address ::/],
    ['the unspecified IPv6 address, spelled out', ['0:0:0:0:0:0:0:0'], [], 'dns1', /unspecified address ::/],
    ['the unspecified IPv6 address, mixed', ['::0.0.0.0'], [], 'dns1', /unspecified address ::/],
    ['an IPv6 multicast address', ['ff02::1'], [], 'dns1', /multicast/],
    ['an IPv4-mapped 0.0.0.0', ['::ffff:0.0.0.0'], [], 'dns1', /IPv4-mapped: 0.0.0.0 is the unspecified/],
    ['an IPv4 address as a search domain', [], ['192.0.2.1'], 'search', /is an IP address, not a name/],
    ['an IPv6 address as a search domain', [], ['2001:db8::1'], 'search', /is an IP address, not a name/],
    ['an all-numeric top label as a search domain', [], ['example.123'], 'search', /all-numeric label/],
  ])('rejects %s', (_n, servers, search, field, rule) => {
    const r = validateDns({ servers, search });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.find((e) => e.field === field)?.rule).toMatch(rule);
  });
});

describe('validateHostname (labels of 1-63 LDH, at most 64 in all)', () => {
  it.each(['appliance', 'node-1.example.com', '1host', 'a'.repeat(63), '123a', '192.0.2.5a', 'x0x7f'])('accepts %s', (n) => expect(validateHostname(n).ok).toBe(true));
  it.each([
    ['', /must not be empty/],
    ['my_host', /underscore/],
    ['host.', /must not end with a dot/],
    ['-host', /invalid label/],
    ['host-', /invalid label/],
    ['a..b', /empty label/],
    ['a'.repeat(64), /label of 64/],
    [`${'a'.repeat(40)}.${'b'.repeat(30)}`, /at most 64/],
    ['host name', /invalid label/],
    ['$(reboot)', /invalid label/],
    ['192.0.2.5', /is an IP address, not a name/],
    ['2001:db8::5', /is an IP address, not a name/],
    ['10.1', /all-numeric label/],
    ['123', /all-numeric label/],
    ['host.007', /all-numeric label/],
    ['0x7f.0x1', /inet_aton/],
    ['10.0xff', /inet_aton/],
  ])('rejects %j', (n, rule) => {
    const r = validateHostname(n);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error[0]!.field).toBe('hostname');
      expect(r.error[0]!.rule).toMatch(rule);
    }
  });
});

describe('interface names (validateIp): what the kernel takes and what the ifcfg readers use', () => {
  const dhcp = (device: string) => validateIp({ device, method: 'dhcp' });
  it.each(['eth0', 'eth0.100', 'ens3', 'enp0s31f6', 'bond0', 'br-lan', 'wlp2s0', 'a'.repeat(15), 'eth0_1'])('accepts %s', (d) => {
    expect(dhcp(d).ok).toBe(true);
  });
  it.each([
    ['lo', /loopback interface/],
    ['eth0.bak', /ends in "\.bak": initscripts and NetworkManager skip/],
    ['eth0~', /ends in "~"/],
    ['eth0.rpmnew', /ends in "\.rpmnew"/],
    ['eth0.rpmsave', /ends in "\.rpmsave"/],
    ['eth0.orig', /ends in "\.orig"/],
    ['eth0.old', /ends in "\.old"/],
    ['eth0.augnew', /ends in "\.augnew"/],
    ['eth0;0badf00d', /ends in ";0badf00d"/],
    ['eth0-range0', /-range/],
    ['a'.repeat(16), /16 bytes long; the kernel takes at most 15/],
    ['eth0:1', /contains ":": the kernel refuses/],
    ['a/b', /contains "\/"/],
    ['eth 0', /contains " "/],
    ['eth\t0', /contains "\\t"/],
    ['.', /the kernel refuses/],
    ['..', /the kernel refuses/],
    ['', /is empty/],
    ['-eth0', /read as an option/],
    ['eth$0', /use letters, digits/],
    ['\u00e9th0', /use letters, digits/],
  ])('refuses %j', (d, rule) => {
    const r = dhcp(d);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toEqual([expect.objectContaining({ field: 'device', value: d, rule: expect.stringMatching(rule) })]);
  });
});
