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
  it.each([
    ['four servers', ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4'], [], 'dns', /at most 3/],
    ['duplicate server', ['192.0.2.1', '192.0.2.1'], [], 'dns2', /listed twice/],
    ['not an address', ['dns.example.com'], [], 'dns1', /not an IPv4 or IPv6/],
    ['seven domains', [], ['a.com', 'b.com', 'c.com', 'd.com', 'e.com', 'f.com', 'g.com'], 'search', /at most 6/],
    ['too long', [], [`${'a'.repeat(60)}.${'b'.repeat(60)}.${'c'.repeat(60)}.com`, `${'d'.repeat(60)}.${'e'.repeat(60)}.com`], 'search', /at most 256/],
    ['underscore', [], ['my_domain.com'], 'search', /underscore/],
    ['bad label', [], ['-bad.com'], 'search', /invalid label/],
    ['injection', [], ['a.com;reboot'], 'search', /invalid label/],
  ])('rejects %s', (_n, servers, search, field, rule) => {
    const r = validateDns({ servers, search });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.find((e) => e.field === field)?.rule).toMatch(rule);
  });
});

describe('validateHostname (labels of 1-63 LDH, at most 64 in all)', () => {
  it.each(['appliance', 'node-1.example.com', '1host', 'a'.repeat(63)])('accepts %s', (n) => expect(validateHostname(n).ok).toBe(true));
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
  ])('rejects %j', (n, rule) => {
    const r = validateHostname(n);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error[0]!.field).toBe('hostname');
      expect(r.error[0]!.rule).toMatch(rule);
    }
  });
});
