// First boot end to end in a real terminal (tmux): an armed image (the marker, root with "!!") asks
// for a root password before anything else, then hostname -> network -> DNS -> one review -> apply.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPassword, parseShadow } from '../../src/auth/shadow.js';
import { IFCFG_ETH0, bashRead } from './helpers/files.js';
import { armedRoot } from './helpers/trees.js';
import { PROJECT, TmuxScreen, ensureBuilt, haveTmux } from './helpers/tmux.js';

const tmux = haveTmux();
if (!tmux) console.warn('test/ui/firstboot: tmux is not installed: SKIPPED');

describe.skipIf(!tmux)('first boot at TERM=vt220 80x24', () => {
  let root = '';
  let s: TmuxScreen;

  beforeAll(async () => {
    ensureBuilt();
    root = armedRoot();
    s = new TmuxScreen('firstboot');
    s.start(`node ${PROJECT}bin/ttyconf.js ui --root ${root}`, { cols: 80, rows: 24, env: { TERM: 'vt220' } });
  }, 120_000);

  afterAll(() => {
    s?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('password, hostname, static IP, DNS, one review, apply; marker gone; a $6$ hash that verifies', async () => {
    await s.waitFor('Set the root password');
    // Esc does not skip it; a mismatch is refused with the rule, nothing written.
    await s.keys('Escape');
    await s.waitFor('The root password must be set first.');
    await s.type('Sup3r-secret');
    await s.keys('Tab');
    await s.type('Sup3r-secreX');
    await s.keys('Enter');
    await s.waitFor('Again must repeat the password exactly');
    expect(readFileSync(join(root, 'etc/shadow'), 'utf8')).toBe('root:!!:19000:0:99999:7:::\n');
    await s.keys('BTab', 'C-u');
    await s.type('Sup3r-secret');
    await s.keys('Tab', 'C-u');
    await s.type('Sup3r-secret');
    await s.keys('Enter');
    await s.waitFor('The root password is set and you are logged in as root.');
    await s.keys('Enter');
    await s.waitFor('Setup 1/4: Hostname');
    await s.keys('C-u');
    await s.type('fb1.example.com');
    await s.keys('Enter');
    await s.waitFor('Setup 2/4: Network');
    await s.keys('Enter');
    await s.waitFor('Setup 2/4: Interface eth0');
    await s.keys('s', 'Tab', 'C-u');
    await s.type('192.0.2.44/24');
    await s.keys('Tab', 'Tab', 'C-u');
    await s.type('192.0.2.1');
    await s.keys('Enter');
    await s.waitFor('Setup 3/4: DNS');
    await s.keys('Tab', 'C-u');
    await s.type('192.0.2.54');
    await s.keys('Enter');
    await s.waitFor('Review changes');
    const review = s.flat();
    expect(review).toContain('hostname: localhost.localdomain -> fb1.example.com');
    expect(review).toContain('eth0 address: (none) -> 192.0.2.44/24');
    expect(review).toContain('DNS servers: 192.0.2.53 -> 192.0.2.53 192.0.2.54');
    await s.answer('y');
    await s.waitFor('Done: files written');
    await s.keys('Enter');
    await s.waitFor(/Hostname\s+fb1\.example\.com/);

    expect(readFileSync(join(root, 'etc/hostname'), 'utf8').trim()).toBe('fb1.example.com');
    expect(bashRead(join(root, IFCFG_ETH0), 'BOOTPROTO')).toBe('none');
    expect(bashRead(join(root, IFCFG_ETH0), 'IPADDR')).toBe('192.0.2.44');
    expect(bashRead(join(root, IFCFG_ETH0), 'GATEWAY')).toBe('192.0.2.1');
    expect(readFileSync(join(root, 'etc/resolv.conf'), 'utf8')).toMatch(/nameserver 192\.0\.2\.53\nnameserver 192\.0\.2\.54/);
    expect(existsSync(join(root, 'var/lib/ttyconf/firstboot'))).toBe(false);
    const shadow = parseShadow(readFileSync(join(root, 'etc/shadow'), 'utf8'));
    const rootLine = shadow.find((e) => e.user === 'root')!;
    expect(rootLine.hash).toMatch(/^\$6\$/);
    expect(checkPassword(shadow, 'root', 'Sup3r-secret', Date.now()).kind).toBe('match');
    expect(checkPassword(shadow, 'root', 'Sup3r-secreX', Date.now()).kind).toBe('mismatch');
  }, 90_000);
});
