// The interface form's IPv6 fields on a real terminal (headless, 80x24): off to static with two
// addresses (one /56, which the review points out), a link-local gateway, every input error under
// its field, and the status screen showing the result with long addresses wrapped, never cut.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IFCFG_ETH0, treeDigest } from './helpers/files.js';
import { bashRead } from '../helpers/tree.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

describe('interface form: IPv6', () => {
  it('static IPv6 through the form: the review says it (and the /56), Y writes it, IPv4 is left as it was', async () => {
    h = await Headless.openInterfaceForm('eth0');
    expect(h.text()).toContain('(*) Off   ( ) Auto   ( ) DHCPv6   ( ) Static');
    // DHCP IPv4 keeps its fields disabled: Tab goes from Method straight to IPv6.
    await h.press('Tab');
    expect(h.text()).toMatch(/> IPv6 /);
    await h.press('s', 'Tab');
    expect(h.text()).toMatch(/> IPv6 addresses/);
    await h.type('2001:db8:ffff:ffff:ffff:ffff:ffff:10/64 2001:db8:1::5/56');
    await h.press('Tab');
    await h.type('fe80::1');
    await h.press('Enter');
    await h.waitFor('Review changes');
    const t = h.text();
    expect(t).toContain('eth0 IPv6 method: off -> static');
    expect(t).toContain('eth0 IPv6 gateway: (none) -> fe80::1');
    expect(t).toContain('has prefix /56, not /64: allowed');
    expect(t).not.toContain('eth0 method:');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, IFCFG_ETH0), ['BOOTPROTO', 'IPV6INIT', 'IPV6ADDR', 'IPV6ADDR_SECONDARIES', 'IPV6_DEFAULTGW'])).toEqual({
      BOOTPROTO: 'dhcp', IPV6INIT: 'yes', IPV6ADDR: '2001:db8:ffff:ffff:ffff:ffff:ffff:10/64', IPV6ADDR_SECONDARIES: '2001:db8:1::5/56', IPV6_DEFAULTGW: 'fe80::1%eth0',
    });
    // The status screen: the IPv6 line under the interface, every digit there (wrapped in its column).
    await h.press('Escape');
    await h.press('Escape');
    await h.press('Escape');
    await h.waitFor('Enter/M Menu');
    const lines = h.lines();
    const col = lines.find((l) => l.includes('IPv4 address'))!.indexOf('IPv4 address');
    const from = lines.findIndex((l) => /eth0\s+up/.test(l));
    const to = lines.findIndex((l) => /eth1\s+no carrier/.test(l));
    // The rows of eth0's address column, joined back: a row ending in '\\' continues the same word.
    const cells = lines.slice(from + 1, to).map((l) => l.slice(col).replace(/\s*\u2502\s*$/, '').trimEnd());
    expect(cells.join('\n').replace(/\\\n/g, '').replace(/\n/g, ' ')).toBe('IPv6 static 2001:db8:ffff:ffff:ffff:ffff:ffff:10/64 2001:db8:1::5/56 gw fe80::1');
    for (const l of h.lines()) expect(l.length).toBeLessThanOrEqual(80);
  });

  it('bad IPv6 input: each error under its field, nothing written', async () => {
    h = await Headless.openInterfaceForm('eth0');
    const before = treeDigest(h.rootDir);
    await h.press('Tab', 's', 'Tab');
    await h.type('192.0.2.5/24 2001:db8::1/129');
    await h.press('Tab');
    await h.type('fe80::1%eth1');
    await h.press('Enter');
    await h.waitFor('problems: nothing was written');
    const t = h.text();
    expect(t).toContain('! 3 problems: nothing was written');
    expect(t).toMatch(/>!IPv6 addresses +\[192\.0\.2\.5\/24 2001:db8::1\/129/);
    expect(t).toContain('! IPv6 addresses: "192.0.2.5/24" is an IPv4 address');
    expect(t).toContain('! IPv6 addresses: "2001:db8::1/129" has an invalid prefix length: use /1');
    expect(t).toContain('! IPv6 gateway: "fe80::1%eth1" names the interface eth1');
    expect(treeDigest(h.rootDir)).toBe(before);
  });
});

describe('status verdict on an IPv6-only network', () => {
  it('no IPv4 address, a global IPv6 address and an IPv6 default route: connected, said with the IPv6 address', async () => {
    const { rmSync: rm, writeFileSync: write } = await import('node:fs');
    const { openRoot, readCurrent } = await import('../../src/core.js');
    const { networkVerdict } = await import('../../src/ui/statusView.js');
    const { tempRoot } = await import('../helpers/tree.js');
    const r = tempRoot();
    try {
      const net = join(r, 'sys/class/net');
      rm(join(net, 'eth0/ttyconf-ipv4'));
      rm(join(net, 'ttyconf-route'));
      write(join(net, 'eth0/ttyconf-ipv6'), '2001:db8::10/64\n');
      let v = networkVerdict(await readCurrent(openRoot(r), { run: null }));
      expect(v).toMatchObject({ connected: false, text: 'Network: NOT CONNECTED: no default gateway (2001:db8::10 on eth0 (IPv6) reaches only its own link)' });
      write(join(net, 'ttyconf-route6'), 'default via fe80::1 dev eth0 metric 1024\n');
      v = networkVerdict(await readCurrent(openRoot(r), { run: null }));
      expect(v).toEqual({ connected: true, text: 'Network: 2001:db8::10 on eth0 (IPv6), gateway fe80::1', problems: [] });
      // Still in duplicate address detection: not usable yet.
      write(join(net, 'eth0/ttyconf-ipv6'), '2001:db8::10/64 tentative\n');
      expect(networkVerdict(await readCurrent(openRoot(r), { run: null })).text).toContain('NOT CONNECTED: no address');
    } finally {
      rm(r, { recursive: true, force: true });
    }
  });
});
