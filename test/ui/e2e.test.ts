// End to end in a real terminal (tmux): the built ttyconf on a temp copy of the demo tree, at
// TERM=linux 80x25 (tty1) and TERM=vt220 80x24 (serial). What the screen says, what bash reads
// back from the files, and that Esc anywhere or an invalid address writes nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IFCFG_ETH0, bashRead, treeDigest } from './helpers/files.js';
import { demoRoot } from './helpers/headless.js';
import { PROJECT, TmuxScreen, ensureBuilt, haveTmux } from './helpers/tmux.js';

const tmux = haveTmux();
if (!tmux) console.warn('test/ui/e2e: tmux is not installed: the real-terminal tests are SKIPPED (apt-get install -y tmux)');

beforeAll(() => {
  if (tmux) ensureBuilt();
}, 120_000);

const TERMINALS = [
  { term: 'linux', cols: 80, rows: 25, tty: 'tty1' },
  { term: 'vt220', cols: 80, rows: 24, tty: 'ttyS0' },
] as const;

describe.skipIf(!tmux).each(TERMINALS)('ttyconf ui at TERM=$term $cols x $rows', ({ term, cols, rows, tty }) => {
  let root = '';
  let s: TmuxScreen;

  beforeAll(async () => {
    root = demoRoot();
    s = new TmuxScreen();
    // TTYCONF_TTY: the terminal a unit or getty drop-in names (%I), as on a console.
    s.start(`node ${PROJECT}bin/ttyconf.js ui --root ${root}`, { cols, rows, env: { TERM: term, TTYCONF_TTY: tty } });
    await s.waitFor('Ctrl-L Redraw');
  }, 60_000);

  afterAll(() => {
    s?.kill();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const menu = async (letter: string, waitText: string): Promise<void> => {
    await s.keys('Enter');
    await s.waitFor('Choose what to set up');
    await s.keys(letter, 'Enter');
    await s.waitFor(waitText);
  };

  it('the status screen shows the hostname, the interfaces and their addresses, in the terminal size', () => {
    const lines = s.lines();
    const t = lines.join('\n');
    expect(t).toMatch(/ttyconf \d+\.\d+\.\d+ {2}\| {2}localhost\.localdomain/);
    expect(t).toMatch(/Hostname\s+localhost\.localdomain/);
    expect(t).toMatch(/eth0\s+up\s+52:54:00:12:34:56\s+DHCP\s+192\.0\.2\.115\/24/);
    expect(t).toMatch(/eth1\s+no carrier\s+52:54:00:ab:cd:ef\s+static\s+198\.51\.100\.20\/24/);
    expect(t).toMatch(/Default gateway\s+192\.0\.2\.1/);
    expect(t).toMatch(/DNS servers\s+192\.0\.2\.53/);
    expect(lines[rows - 1]).toContain('Enter/M Menu');
    if (term === 'vt220') {
      expect(lines[1]).toMatch(/^\+- Status -+\+$/);
      expect(t).not.toMatch(/[\u2500-\u257f]|lqqq|qqqk/);
    }
  });

  it('a change asks for the root password first: a wrong one is refused and opens nothing; the right one continues', async () => {
    const before = treeDigest(root);
    await s.waitFor('Not logged in: changes ask for the password.');
    await s.keys('Enter');
    await s.waitFor('Choose what to set up');
    await s.keys('n', 'Enter');
    await s.waitFor('Enter the root password.');
    expect(s.text()).toMatch(/User name\s+\[root/);
    await s.type('not-the-password');
    await s.waitFor('****************');
    expect(s.text()).not.toContain('not-the-password');
    await s.keys('Enter');
    await s.waitFor('Wrong user name or password');
    await s.waitFor(/Wait \d+ s before trying again/);
    expect(s.text()).not.toContain('Choose the interface to configure');
    await s.waitFor((t: string) => !/Wait \d+ s/.test(t), 10_000);
    await s.keys('C-u');
    await s.type('ttyconf');
    await s.keys('Enter');
    await s.waitFor('Choose the interface to configure');
    await s.keys('Escape');
    await s.waitFor('Choose what to set up');
    expect(s.text()).toContain('O  Log out');
    await s.keys('Escape');
    await s.waitFor(/Logged in as root; locks after 5 min without a key/);
    expect(treeDigest(root)).toBe(before);
  });

  it('Esc at every level leaves without writing', async () => {
    const before = treeDigest(root);
    await menu('n', 'Choose the interface to configure');
    await s.keys('Enter');
    await s.waitFor('Interface eth0');
    await s.keys('s', 'Tab', 'C-u');
    await s.type('192.0.2.77/24');
    await s.keys('Enter');
    await s.waitFor('Review changes');
    await s.answer('Escape');
    await s.waitFor('Interface eth0');
    await s.keys('Escape');
    await s.waitFor('Choose the interface to configure');
    await s.keys('Escape');
    await s.waitFor('Choose what to set up');
    await s.keys('d', 'Enter');
    await s.waitFor('DNS server 1');
    await s.keys('Escape');
    await s.waitFor('Choose what to set up');
    await s.keys('h', 'Enter');
    await s.waitFor('Letters, digits and hyphens');
    await s.keys('Escape');
    await s.waitFor('Choose what to set up');
    await s.keys('Escape');
    await s.waitFor('Enter/M Menu');
    expect(treeDigest(root)).toBe(before);
  });

  it('the focused item is visible without color (inverse)', async () => {
    await s.keys('Enter');
    await s.waitFor('Choose what to set up');
    const row = s.attrs().split('\n').find((l) => l.includes('Network interfaces'))!;
    // eslint-disable-next-line no-control-regex
    expect(row).toMatch(/\x1b\[[\d;]*7m[^\x1b]*N {2}Network interfaces/);
    await s.keys('Escape');
    await s.waitFor('Enter/M Menu');
  });

  it('an invalid address shows its error text and writes nothing', async () => {
    const before = treeDigest(root);
    await menu('n', 'Choose the interface to configure');
    await s.keys('Enter');
    await s.waitFor('Interface eth0');
    await s.keys('s', 'Tab', 'C-u');
    await s.type('192.0.2.300/24');
    await s.keys('Enter');
    await s.waitFor('1 problem: nothing was written');
    expect(s.text()).toContain('! Address: "192.0.2.300/24" is not an IPv4 address');
    expect(treeDigest(root)).toBe(before);
  });

  it('switches eth0 to static with a gateway: the result screen and bash agree', async () => {
    // Still in the form from the test above, with the bad address typed.
    await s.keys('C-u');
    await s.type('192.0.2.50/24');
    await s.keys('Tab', 'Tab', 'C-u');
    await s.type('192.0.2.254');
    await s.keys('Enter');
    await s.waitFor('Review changes');
    const review = s.text();
    expect(review).toContain('eth0 method: DHCP -> static');
    expect(review).toContain('eth0 address: (none) -> 192.0.2.50/24');
    expect(review).toContain('eth0 gateway: (none) -> 192.0.2.254');
    expect(review).toContain(IFCFG_ETH0);
    await s.answer('y');
    await s.waitFor('Done: files written');
    const result = s.text();
    expect(result).toContain(IFCFG_ETH0);
    const shown = /eth0 address: \(none\) -> ([\d.]+)\/(\d+)/.exec(result)!;
    const gw = /eth0 gateway: \(none\) -> ([\d.]+)/.exec(result)!;
    const file = join(root, IFCFG_ETH0);
    expect(bashRead(file, 'IPADDR')).toBe(shown[1]);
    expect(bashRead(file, 'PREFIX')).toBe(shown[2]);
    expect(bashRead(file, 'GATEWAY')).toBe(gw[1]);
    expect(bashRead(file, 'BOOTPROTO')).toBe('none');
    expect(bashRead(file, 'HWADDR')).toBe('52:54:00:12:34:56');
    await s.keys('Enter');
    await s.waitFor('Enter/M Menu');
    await s.waitFor(/eth0\s+up\s+52:54:00:12:34:56\s+static\s+192\.0\.2\.50\/24/);
  });

  it('sets DNS: servers and search domain, read back through bash', async () => {
    await menu('d', 'DNS server 1');
    await s.keys('C-u');
    await s.type('192.0.2.53');
    await s.keys('Tab', 'C-u');
    await s.type('192.0.2.54');
    await s.keys('Tab', 'Tab', 'C-u');
    await s.type('example.com');
    await s.keys('Enter');
    await s.waitFor('Review changes');
    expect(s.text()).toContain('DNS servers: 192.0.2.53 -> 192.0.2.53 192.0.2.54');
    await s.answer('y');
    await s.waitFor('Done: files written');
    expect(s.text()).toContain('search domains: lab.example.com -> example.com');
    const file = join(root, IFCFG_ETH0);
    expect(bashRead(file, 'DNS1')).toBe('192.0.2.53');
    expect(bashRead(file, 'DNS2')).toBe('192.0.2.54');
    expect(bashRead(file, 'DOMAIN')).toBe('example.com');
    expect(readFileSync(join(root, 'etc/resolv.conf'), 'utf8')).toMatch(/nameserver 192\.0\.2\.54/);
    await s.keys('Escape');
    await s.waitFor(/DNS servers\s+192\.0\.2\.53\s*\S?\n\S?\s+192\.0\.2\.54/);
  });

  it('sets the hostname; the status screen shows it; q quits with status 0', async () => {
    await menu('h', 'Letters, digits and hyphens');
    await s.keys('C-u');
    await s.type('vm1.example.com');
    await s.keys('Enter');
    await s.waitFor('hostname: localhost.localdomain -> vm1.example.com');
    await s.answer('y');
    await s.waitFor('Done: files written');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8').trim()).toBe('vm1.example.com');
    // The audit line and the backup name the terminal, not just "console".
    expect(readFileSync(join(root, 'var/log/ttyconf/audit.log'), 'utf8')).toMatch(new RegExp(`change by root on ${tty}, backup \\S+: files written, not applied: hostname: localhost\\.localdomain -> vm1\\.example\\.com`));
    await s.keys('Enter');
    await s.waitFor(/Hostname\s+vm1\.example\.com/);
    await s.keys('q');
    await s.waitFor('EXIT=0');
  });
});

describe.skipIf(!tmux)('stderr on the terminal', () => {
  it('nothing written to stderr reaches the screen while the UI runs; it is printed after', async () => {
    const root = demoRoot();
    const marker = join(root, 'scribbled');
    // A preloaded script writes a fake stack trace to stderr once the UI has the terminal (raw mode),
    // then leaves a marker.
    const scribbler = join(root, 'scribble.cjs');
    writeFileSync(scribbler, [
      'const t = setInterval(() => {',
      '  if (!process.stdin.isRaw) return;', // blessed has the terminal
      '  clearInterval(t);',
      "  console.error('SCRIBBLE Error: boom\\n    at fake (x.js:1:1)');",
      `  require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');`,
      '}, 20);',
      't.unref();',
      '',
    ].join('\n'));
    const s = new TmuxScreen();
    try {
      s.start(`node ${PROJECT}bin/ttyconf.js ui --root ${root}`, { cols: 80, rows: 25, env: { TERM: 'linux', NODE_OPTIONS: `--require ${scribbler}` } });
      await s.waitFor('Ctrl-L Redraw');
      const deadline = Date.now() + 15_000;
      while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(existsSync(marker)).toBe(true);
      await s.keys('C-l');
      await s.waitFor('Ctrl-L Redraw');
      expect(s.text()).not.toContain('SCRIBBLE');
      await s.keys('q');
      await s.waitFor('EXIT=0');
      expect(s.text()).toContain('SCRIBBLE Error: boom');
    } finally {
      s.kill();
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('without a terminal', () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it('exits 2 with a clear message and no stack trace', () => {
    const root = demoRoot();
    try {
      const r = spawnSync(process.execPath, [`${PROJECT}bin/ttyconf.js`, 'ui', '--root', root], { encoding: 'utf8', input: '' });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('the console UI needs a terminal');
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
