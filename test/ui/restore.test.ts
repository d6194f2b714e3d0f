// The two recovery entries of the menu on a headless terminal: "Restore earlier settings" lists the
// backups with who made each change and restores one through the ordinary review; "Emergency reset
// to DHCP" says what it does, and its review shows exactly that.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { Headless, demoRoot, cleanUpAfterEach } from './helpers/headless.js';
import { treeDigest } from './helpers/files.js';

let h: Headless | null = null;
cleanUpAfterEach();

async function menu(rootDir: string): Promise<Headless> {
  const s = await Headless.startLoggedIn({ rootDir });
  await s.openMenu();
  return s;
}

describe('Restore earlier settings', () => {
  it('lists who made each change and what it was; restoring one goes through the review and is itself listed', async () => {
    const root = demoRoot();
    expect((await cli('set', 'hostname', 'vm1.example.com', '--root', root)).code).toBe(0);
    h = await menu(root);
    expect(h.text()).toContain('B  Restore earlier settings');
    await h.press('b', 'Enter');
    await h.waitFor('Each change left a backup.');
    expect(h.text()).toMatch(/> \d{4}-\d\d-\d\d \d\d:\d\d UTC\s+\S+ on [^,]+, change/);
    expect(h.text()).toContain('hostname: localhost.localdomain -> vm1.example.com');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('hostname: vm1.example.com -> localhost.localdomain');
    expect(h.text()).toContain('Note: this brings back the files as they were before the change of');
    // Only Y writes (Enter does not).
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
    await h.press('Enter');
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('b', 'Enter');
    await h.waitFor('Each change left a backup.');
    expect(h.text()).toMatch(/> \d{4}-\d\d-\d\d \d\d:\d\d UTC\s+root on console, restore/);
  });

  it('a tampered backup is not offered (the list says how many are left out), and nothing is written', async () => {
    const root = demoRoot();
    await cli('set', 'hostname', 'vm1', '--root', root);
    const list = JSON.parse((await cli('backups', '--json', '--root', root)).out) as { backups: { id: string }[] };
    const manifest = join(root, 'var/lib/ttyconf/backups', list.backups[0]!.id, 'manifest.json');
    const m = JSON.parse(readFileSync(manifest, 'utf8')) as { files: unknown[] };
    m.files.push({ path: 'etc/sysconfig/network-scripts/../../../root/.bashrc', existed: false });
    writeFileSync(manifest, JSON.stringify(m));
    const before = treeDigest(root);
    h = await menu(root);
    await h.press('b', 'Enter');
    await h.waitFor('1 damaged backup(s) are not shown: "ttyconf backups" lists why.');
    expect(h.text()).toContain('(nothing to choose)');
    await h.press('Enter');
    expect(treeDigest(root)).toBe(before);
  });
});

describe('Emergency reset to DHCP', () => {
  it('says what it does; the review shows the interface going to DHCP and nothing else', async () => {
    const root = demoRoot();
    h = await menu(root);
    expect(h.text()).toContain('E  Emergency reset to DHCP');
    await h.press('e', 'Enter');
    await h.waitFor('Choose the interface:');
    expect(h.text()).toContain('Emergency reset of the interface you choose: DHCP, and no static DNS servers');
    expect(h.text()).toContain('interface and no other setting changes.');
    await h.press('Down', 'Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth1 method: static -> DHCP');
    expect(h.text()).toContain('etc/sysconfig/network-scripts/ifcfg-eth1');
    expect(h.text()).toContain('Note: Emergency reset of eth1: DHCP');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(readFileSync(join(root, 'etc/sysconfig/network-scripts/ifcfg-eth1'), 'utf8')).toContain('BOOTPROTO=dhcp');
  });
});
