// The console on a CentOS Stream 9 tree (NetworkManager keyfiles): the form names the keyfile, the
// review shows the .nmconnection diff, Y writes it; a device whose profile ttyconf cannot change
// says why in its form and refuses the change.
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach, removedAfterTest } from './helpers/headless.js';
import { DEMO_EL9, tempRoot } from '../helpers/tree.js';
import { NMCLI, nmKeys, nmRead } from '../helpers/nmcli.js';

const ETH0 = 'etc/NetworkManager/system-connections/eth0.nmconnection';
const ETH1 = 'etc/NetworkManager/system-connections/eth1.nmconnection';

let h: Headless | null = null;
cleanUpAfterEach();

async function openForm(device: 'eth0' | 'eth1', setup?: (root: string) => void): Promise<Headless> {
  const root = removedAfterTest(tempRoot(DEMO_EL9));
  setup?.(root);
  return Headless.openInterfaceForm(device, { rootDir: root });
}

describe('console on an EL9 tree', () => {
  it('the form names the keyfile; the review shows its diff; Y writes it, 0600, comments kept', async () => {
    h = await openForm('eth0');
    expect(h.text()).toContain(`File: ${ETH0} (keyfile)`);
    expect(h.text()).toContain('(*) Static');
    await h.press('Tab', 'C-u');
    await h.type('192.0.2.50/24');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('eth0 address: 192.0.2.10/24 -> 192.0.2.50/24');
    expect(h.text()).toContain(ETH0);
    await h.press('d');
    await h.waitFor('Full diff');
    expect(h.text()).toContain('-address1=192.0.2.10/24,192.0.2.1');
    expect(h.text()).toContain('+address1=192.0.2.50/24');
    await h.press('Escape');
    await h.waitFor('Review changes');
    await h.press('y');
    await h.waitFor('Done: files written');
    const text = readFileSync(join(h.rootDir, ETH0), 'utf8');
    expect(text).toContain('address1=192.0.2.50/24\n');
    expect(text).toContain('gateway=192.0.2.1\n');
    expect(text.startsWith('# Management interface, static.')).toBe(true);
    expect(statSync(join(h.rootDir, ETH0)).mode & 0o777).toBe(0o600);
    if (NMCLI) {
      const nm = nmRead(readFileSync(join(h.rootDir, ETH0)));
      expect(nm.ok).toBe(true);
      if (nm.ok) {
        const m = nmKeys(nm.text);
        expect(m.get('ipv4.method')).toBe('manual');
        expect(m.get('ipv4.address1')).toMatch(/^192\.0\.2\.50\/24(,192\.0\.2\.1)?$/);
        expect(m.get('ipv4.gateway') ?? m.get('ipv4.address1')?.split(',')[1]).toBe('192.0.2.1');
      }
    }
  });

  it('a keyfile NetworkManager ignores (insecure mode): the form says why it is read-only, and nothing is written', async () => {
    h = await openForm('eth1', (r) => chmodSync(join(r, ETH1), 0o644));
    const t = h.text();
    expect(t).toContain('Read-only:');
    expect(t).toContain('insecure');
    const before = treeDigest(h.rootDir);
    await h.press('Enter');
    await h.waitFor('nothing was written');
    expect(h.text()).toContain('cannot be changed by ttyconf');
    expect(treeDigest(h.rootDir)).toBe(before);
  });
});
