// The first-boot setup: Esc goes one step back with every value kept, leaving asks, the menu
// brings it back until its review is written, and a localhost name gets no /etc/hosts line.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IFCFG_ETH0, bashRead } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';
import { armedRoot } from './helpers/trees.js';

let h: Headless | null = null;
cleanUpAfterEach();

/** An armed image: the first-boot marker, and root without a password. */
async function armed(): Promise<Headless> {
  const s = await Headless.start({ rootDir: armedRoot() });
  await s.waitFor('Set the root password');
  await s.type('Sup3r-secret');
  await s.press('Tab');
  await s.type('Sup3r-secret');
  await s.press('Enter');
  await s.waitFor('logged in as root');
  await s.press('Enter');
  await s.waitFor('Setup 1/4: Hostname');
  return s;
}

describe('first-boot setup', () => {
  it('Esc at each step goes back with the values kept; leaving asks; the menu reopens it; written once', async () => {
    h = await armed();
    expect(h.flat()).toContain('! localhost.localdomain is not a name for this machine');
    await h.press('C-u');
    await h.type('fb1.example.com');
    expect(h.flat()).not.toContain('is not a name for this machine');
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Network');
    expect(h.text()).toMatch(/eth0\s+up\s+52:54:00:12:34:56\s+DHCP/);
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Interface eth0');
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.44/24');
    await h.press('Enter');
    await h.waitFor('Setup 3/4: DNS');
    await h.press('Tab', 'C-u');
    await h.type('192.0.2.54');
    await h.press('Enter');
    await h.waitFor('Setup 4/4: Review changes');
    // Back, step by step, every value where it was.
    await h.press('Escape');
    await h.waitFor('Setup 3/4: DNS');
    expect(h.text()).toMatch(/DNS server 2\s+\[192\.0\.2\.54/);
    await h.press('Escape');
    await h.waitFor('Setup 2/4: Interface eth0');
    expect(h.text()).toMatch(/\(\*\) Static/);
    expect(h.text()).toMatch(/Address\s+\[192\.0\.2\.44\/24/);
    await h.press('Escape');
    await h.waitFor('Setup 2/4: Network');
    await h.press('Escape');
    await h.waitFor('Setup 1/4: Hostname');
    expect(h.text()).toMatch(/\[fb1\.example\.com/);
    // Esc on the first step asks; N stays.
    await h.press('Escape');
    await h.waitFor('Leave the setup?');
    await h.press('n');
    await h.waitFor('Setup 1/4: Hostname');
    expect(h.text()).toMatch(/\[fb1\.example\.com/);
    await h.press('Escape');
    await h.waitFor('Leave the setup?');
    await h.press('y');
    await h.waitFor('Network: ');
    expect(readFileSync(join(h.rootDir, 'etc/hostname'), 'utf8')).toBe('localhost.localdomain\n');
    // The menu has it, at the step it was left on, values kept.
    await h.press('Enter');
    await h.waitFor('Finish the setup');
    await h.press('f', 'Enter');
    await h.waitFor('Setup 1/4: Hostname');
    expect(h.text()).toMatch(/\[fb1\.example\.com/);
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Network');
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Interface eth0');
    expect(h.text()).toMatch(/Address\s+\[192\.0\.2\.44\/24/);
    await h.press('Enter');
    await h.waitFor('Setup 3/4: DNS');
    await h.press('Enter');
    await h.waitFor('Setup 4/4: Review changes');
    const review = h.flat();
    expect(review).toContain('hostname: localhost.localdomain -> fb1.example.com');
    expect(review).toContain('eth0 address: (none) -> 192.0.2.44/24');
    expect(review).toContain('/etc/hosts line: (none) -> 192.0.2.44 fb1.example.com fb1');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, IFCFG_ETH0), 'IPADDR')).toBe('192.0.2.44');
    await h.press('Enter');
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    expect(h.text()).not.toContain('Finish the setup');
  });

  it('keeping the default hostname writes no /etc/hosts line for localhost, and the review says why', async () => {
    h = await armed();
    const hostsBefore = readFileSync(join(h.rootDir, 'etc/hosts'), 'utf8');
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Network');
    await h.press('Enter');
    await h.waitFor('Setup 2/4: Interface eth0');
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.60/24');
    await h.press('Enter');
    await h.waitFor('Setup 3/4: DNS');
    await h.press('Enter');
    await h.waitFor('Setup 4/4: Review changes');
    const review = h.flat();
    expect(review).toContain('/etc/hosts gets no line for localhost.localdomain');
    expect(review).not.toContain('/etc/hosts line:');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(readFileSync(join(h.rootDir, 'etc/hosts'), 'utf8')).toBe(hostsBefore);
  });
});
