import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IFCFG_ETH0, bashRead, treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

function openForm(device: 'eth0' | 'eth1' = 'eth0'): Promise<Headless> {
  return Headless.openInterfaceForm(device);
}

describe('interface picker', () => {
  it('lists every interface with its link state, method and address', async () => {
    h = await Headless.startLoggedIn();
    await h.press('Enter', 'n', 'Enter');
    await h.waitFor('Choose the interface to configure');
    const t = h.text();
    expect(t).toMatch(/> eth0\s+up\s+52:54:00:12:34:56\s+DHCP\s+192\.0\.2\.115\/24/);
    expect(t).toMatch(/ {2}eth1\s+no carrier\s+52:54:00:ab:cd:ef\s+static\s+198\.51\.100\.20\/24/);
    expect(h.isInverse('eth0      up')).toBe(true);
    await h.press('Escape');
    await h.waitFor('Choose what to set up');
  });
});

describe('interface form', () => {
  it('opens on the current values; switching a DHCP interface to static starts from its lease and gateway', async () => {
    h = await openForm('eth0');
    let t = h.text();
    expect(t).toContain('(*) DHCP   ( ) Static');
    expect(t).toMatch(/Now: DHCP, lease 192\.0\.2\.115\/24, gateway 192\.0\.2\.1/);
    expect(t).toMatch(/Address\s+192\.0\.2\.115\/24 {2}\(from DHCP; Static starts from it\)/);
    expect(h.lines()[23]).toMatch(/Tab\/S-Tab\/Up\/Down Field\s+Space\/D\/S Change\s+Enter Review\s+Esc Cancel/);
    await h.press('s');
    t = h.text();
    expect(t).toContain('( ) DHCP   (*) Static');
    expect(t).toMatch(/Address\s+\[192\.0\.2\.115\/24\s+\]/);
    expect(t).toMatch(/Gateway\s+\[192\.0\.2\.1\s+\]/);
    expect(h.isInverse('(*) Static')).toBe(true);
  });

  it('a static interface opens with its configured address (netmask in the file becomes the prefix)', async () => {
    h = await openForm('eth1');
    expect(h.text()).toContain('( ) DHCP   (*) Static');
    expect(h.text()).toMatch(/Address\s+\[198\.51\.100\.20\/24\s+\]/);
  });

  it('Tab, Shift-Tab, Up and Down move between fields; the focused field is inverse', async () => {
    h = await openForm('eth0');
    await h.press('s', 'Tab');
    expect(h.text()).toMatch(/> Address/);
    expect(h.isInverse('[192.0.2.115/24', 1)).toBe(true);
    expect(h.isInverse('[                ', 1)).toBe(false);
    await h.press('Down');
    expect(h.text()).toMatch(/> Netmask/);
    await h.press('Tab');
    expect(h.text()).toMatch(/> Gateway/);
    await h.press('BTab', 'Up');
    expect(h.text()).toMatch(/> Address/);
    await h.press('Up');
    expect(h.text()).toMatch(/> Method/);
  });

  it('shows every error as text at its field, keeps what was typed, and writes nothing', async () => {
    h = await openForm('eth0');
    const before = treeDigest(h.rootDir);
    await h.press('s', 'Tab', 'C-u');
    await h.type('10.0.0.300/24');
    await h.press('Tab', 'C-u');
    await h.type('255.255.0.0');
    await h.press('Tab', 'C-u');
    await h.type('gw.example');
    await h.press('Enter');
    await h.waitFor('problems: nothing was written');
    const t = h.text();
    expect(t).toContain('! 3 problems: nothing was written. Fix the fields marked !');
    expect(t).toMatch(/>!Address\s+\[10\.0\.0\.300\/24/);
    expect(t).toContain('! Address: "10.0.0.300/24" is not an IPv4 address');
    expect(t).toMatch(/ !Netmask\s+\[255\.255\.0\.0/);
    expect(t).toContain('! Netmask: "255.255.0.0" disagrees with the prefix /24');
    expect(t).toMatch(/ !Gateway\s+\[gw\.example/);
    expect(t).toContain('! Gateway: "gw.example" is not an IPv4 address');
    // Readable without color: the error text is bold, and says "!" in words' place.
    expect(h.isBold('! Address:')).toBe(true);
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('gateway outside the subnet: error under the gateway only', async () => {
    h = await openForm('eth0');
    await h.press('s', 'Tab', 'Tab', 'Tab', 'C-u');
    await h.type('10.1.1.1');
    await h.press('Enter');
    await h.waitFor('1 problem');
    const lines = h.lines();
    const gw = lines.findIndex((l) => /Gateway\s+\[10\.1\.1\.1/.test(l));
    expect(lines[gw + 1]).toContain('! Gateway: "10.1.1.1" is outside the subnet 192.0.2.0/24 of the address');
  });

  it('review lists each change as field: old -> new and the files; N returns to the form with the values kept', async () => {
    h = await openForm('eth0');
    const before = treeDigest(h.rootDir);
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.50/24');
    await h.press('Enter');
    await h.waitFor('Review changes');
    let t = h.text();
    expect(t).toContain('eth0 method: DHCP -> static');
    expect(t).toContain('eth0 address: (none) -> 192.0.2.50/24');
    expect(t).toContain('eth0 gateway: (none) -> 192.0.2.1');
    expect(t).toContain(`Files that will change:`);
    expect(t).toContain(IFCFG_ETH0);
    expect(t).toContain('Y (and only Y) writes the files only');
    expect(h.lines()[23]).toMatch(/Y Write\s+N\/Esc Back to editing\s+D Full diff/);
    // Enter does not answer the review.
    await h.press('Enter');
    expect(h.text()).toContain('Enter does not write: press Y');
    expect(h.text()).toContain('Review changes');
    expect(treeDigest(h.rootDir)).toBe(before);
    await h.press('d');
    await h.waitFor('Full diff');
    t = h.text();
    expect(t).toContain('-BOOTPROTO=dhcp');
    expect(t).toContain('+BOOTPROTO=none');
    expect(t).toContain('+IPADDR=192.0.2.50');
    await h.press('Escape');
    await h.waitFor('Review changes');
    await h.press('n');
    await h.waitFor('Interface eth0');
    expect(h.text()).toMatch(/Address\s+\[192\.0\.2\.50\/24/);
    await h.press('Enter');
    await h.waitFor('Review changes');
    await h.press('Escape');
    await h.waitFor('Interface eth0');
    await h.press('Escape');
    await h.waitFor('Choose the interface to configure');
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('Y writes the file; the result screen and what bash reads agree', async () => {
    h = await openForm('eth0');
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.50/24');
    await h.press('Enter');
    await h.waitFor('Review changes');
    await h.press('y');
    await h.waitFor('Done: files written');
    const t = h.text();
    expect(t).toContain('The running system was not changed');
    expect(t).toContain(`Files written:`);
    expect(t).toContain(IFCFG_ETH0);
    expect(t).toContain('eth0 address: (none) -> 192.0.2.50/24');
    const file = join(h.rootDir, IFCFG_ETH0);
    expect(bashRead(file, 'BOOTPROTO')).toBe('none');
    expect(bashRead(file, 'IPADDR')).toBe('192.0.2.50');
    expect(bashRead(file, 'PREFIX')).toBe('24');
    expect(bashRead(file, 'GATEWAY')).toBe('192.0.2.1');
    expect(bashRead(file, 'HWADDR')).toBe('52:54:00:12:34:56');
    expect(readFileSync(file, 'utf8')).toContain('# keep the MAC binding');
    await h.press('Enter');
    await h.waitFor('Enter/M Menu');
    // Written, not applied: the configured address, and what the running system still holds.
    const lines = h.lines();
    const row = lines.findIndex((l) => /eth0\s+up\s+52:54:00:12:34:56\s+static\s+192\.0\.2\.50\/24 \(running:/.test(l));
    expect(row).toBeGreaterThan(0);
    expect(lines[row + 1]).toContain('192.0.2.115/24)');
  });

  it('keys arriving in one burst (paste, a fast serial line) are all taken, none lost', async () => {
    h = await Headless.startLoggedIn();
    h.input.write('\rn\r\rs\t\x15192.0.2.9/24\t\t\x15192.0.2.1\r');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth0 address: (none) -> 192.0.2.9/24');
    expect(h.text()).toContain('eth0 gateway: (none) -> 192.0.2.1');
  });

  it('address plus a netmask field is accepted', async () => {
    h = await openForm('eth0');
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.60');
    await h.press('Tab');
    await h.type('255.255.255.0');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth0 address: (none) -> 192.0.2.60/24');
  });

  it('back to DHCP from static', async () => {
    h = await openForm('eth1');
    await h.press('d', 'Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth1 method: static -> DHCP');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, 'etc/sysconfig/network-scripts/ifcfg-eth1'), 'BOOTPROTO')).toBe('dhcp');
    expect(bashRead(join(h.rootDir, 'etc/sysconfig/network-scripts/ifcfg-eth1'), 'IPADDR')).toBe('');
  });
});
