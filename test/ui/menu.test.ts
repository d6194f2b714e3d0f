import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/ui/menu.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

describe('menu', () => {
  it('lists each feature once, in order, with a unique letter', () => {
    expect(FEATURES.map((f) => f.id)).toEqual(['setup', 'interfaces', 'dns', 'hostname', 'restore', 'reset', 'test', 'shell', 'reboot', 'poweroff', 'logout']);
    const keys = FEATURES.map((f) => f.key.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
    for (const k of keys) expect(k).toMatch(/^[a-z]$/);
    const orders = FEATURES.map((f) => f.order);
    expect([...orders].sort((a, b) => a - b)).toEqual(orders);
  });

  it('Enter opens it; Up/Down move a highlight visible in monochrome; letters jump; Esc goes back', async () => {
    h = await Headless.startLoggedIn();
    await h.waitFor('Enter/M Menu');
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    expect(h.text()).toContain('> N  Network interfaces');
    expect(h.isInverse('N  Network interfaces')).toBe(true);
    expect(h.isInverse('D  DNS')).toBe(false);
    expect(h.text()).toContain('eth0: up, DHCP 192.0.2.115/24');
    expect(h.text()).toContain('eth1: no carrier, static 198.51.100.20/24');
    expect(h.lines()[23]).toMatch(/Up\/Down Move\s+Enter Select\s+Letter Jump\s+Esc Back/);

    await h.press('Down');
    expect(h.text()).toContain('> D  DNS');
    expect(h.isInverse('D  DNS')).toBe(true);
    expect(h.text()).toContain('Name servers (up to 3) and search domains.');
    expect(h.text()).toContain('Servers: 192.0.2.53');
    expect(h.text()).toContain('Search: lab.example.com');
    await h.press('Up', 'Up');
    expect(h.text()).toContain('> O  Log out');
    await h.press('Up', 'Up', 'Up', 'Up', 'Up', 'Up');
    expect(h.text()).toContain('> H  Hostname');
    await h.press('n');
    expect(h.text()).toContain('> N  Network interfaces');
    await h.press('h');
    expect(h.text()).toContain('> H  Hostname');
    await h.press('Escape');
    await h.waitFor('Enter/M Menu');
    expect(h.text()).toContain('Search domains');
  });

  it('M opens it too, and Enter on a feature opens that feature', async () => {
    h = await Headless.startLoggedIn();
    await h.press('m');
    await h.waitFor('Choose what to set up');
    await h.press('d', 'Enter');
    await h.waitFor('DNS server 1');
    await h.press('Escape');
    await h.waitFor('Choose what to set up');
  });
});
