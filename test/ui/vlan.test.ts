// VLANs on the console (headless, 80x24): A on the interface list opens the form (parent, VLAN ID,
// name), Enter reaches the review, Y writes the profile; the list and the status screen show the VLAN
// under its parent; the VLAN's own form re-tags it; D deletes it through the review. Bad input is
// said under its field and nothing is written. The key sequence is the one docs/vlan.md gives.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { treeDigest } from './helpers/files.js';
import { bashRead } from '../helpers/tree.js';
import { Headless } from './helpers/headless.js';

const V100 = 'etc/sysconfig/network-scripts/ifcfg-eth0.100';

let h: Headless | null = null;
afterEach(async () => {
  await h?.stop();
  h = null;
});

async function interfaceList(): Promise<Headless> {
  const x = await Headless.startLoggedIn();
  await toList(x);
  return x;
}

/** From the status screen (where Esc on the result leads) to the interface list. */
async function toList(x: Headless): Promise<void> {
  await x.press('Enter', 'n', 'Enter');
  await x.waitFor('Choose the interface to configure');
}

describe('VLANs on the interface list', () => {
  it('A, Tab, the ID, Enter: the review; Y writes it; the VLAN is listed under its parent', async () => {
    h = await interfaceList();
    expect(h.lines()[23]).toMatch(/A Add VLAN\s+D Delete VLAN/);
    await h.press('A');
    await h.waitFor('Add a VLAN');
    expect(h.text()).toMatch(/> Parent\s+\[eth0\s*\]/);
    await h.press('Tab');
    await h.type('100');
    await h.press('Enter');
    await h.waitFor('Review changes');
    const t = h.text();
    expect(t).toContain('eth0.100 VLAN: (none) -> 100 on eth0');
    expect(t).toContain(`${V100} (new file)`);
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, V100), ['VLAN', 'PHYSDEV', 'VLAN_ID', 'DEVICE'])).toEqual({ VLAN: 'yes', PHYSDEV: 'eth0', VLAN_ID: '100', DEVICE: 'eth0.100' });
    // The status screen: the VLAN indented under its parent, its ID under its name.
    await h.press('Escape');
    await h.waitFor('Enter/M Menu');
    let lines = h.lines();
    let eth0 = lines.findIndex((l) => /\u2502 eth0 +up/.test(l));
    expect(lines[eth0 + 1]).toMatch(/\u2502 {3}eth0\.100 +unknown +- +off +\(none\)/);
    expect(lines[eth0 + 2]).toMatch(/ VLAN 100 on eth0 /);
    expect(lines[eth0 + 3]).toMatch(/\u2502 eth1 +no carrier/);
    await toList(h);
    lines = h.lines();
    eth0 = lines.findIndex((l) => /> eth0 +up/.test(l));
    expect(lines[eth0 + 1]).toMatch(/ {4}eth0\.100 +unknown/);
    expect(lines[eth0 + 2]).toMatch(/ {2}eth1 +no carrier/);
  });

  it('bad input under its field, nothing written', async () => {
    h = await interfaceList();
    const before = treeDigest(h.rootDir);
    await h.press('a', 'C-u');
    await h.type('eth9');
    await h.press('Tab');
    await h.type('4095');
    await h.press('Tab');
    await h.type('v/1');
    await h.press('Enter');
    await h.waitFor('nothing was written');
    const t = h.text();
    expect(t).toContain('Parent: "eth9" does not exist: no link and no profile of that name');
    expect(t).toContain('VLAN ID: "4095" is reserved by 802.1Q');
    expect(t).toContain('Name: "v/1" contains "/"');
    expect(treeDigest(h.rootDir)).toEqual(before);
  });

  it('the VLAN\'s own form changes its ID; D deletes it through the review', async () => {
    h = await interfaceList();
    await h.press('a', 'Tab');
    await h.type('100');
    await h.press('Enter');
    await h.waitFor('Review changes');
    await h.press('y');
    await h.waitFor('Done: files written');
    await h.press('Escape');
    await toList(h);
    await h.press('Down', 'Enter');
    await h.waitFor('Interface eth0.100');
    expect(h.text()).toContain('VLAN 100 on eth0; a new ID re-creates the link.');
    expect(h.text()).toMatch(/> VLAN ID\s+\[100/);
    await h.press('C-u');
    await h.type('200');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth0.100 VLAN: 100 on eth0 -> 200 on eth0');
    expect(h.text()).not.toContain('eth0.100 method');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, V100), ['VLAN_ID', 'VID'])).toEqual({ VLAN_ID: '200', VID: '200' });
    await h.press('Escape');
    await toList(h);
    // D on an interface that is not a VLAN says so and does nothing.
    await h.press('Home', 'd');
    await h.waitFor('eth0 is not a VLAN');
    await h.press('Down', 'd');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth0.100 VLAN: 200 on eth0 -> (none)');
    expect(h.text()).toContain(`${V100} (removed)`);
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(existsSync(join(h.rootDir, V100))).toBe(false);
  });
});
