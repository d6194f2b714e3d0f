// Vendor settings in the UI, the Test network screen, Reboot / Shut down: headless terminal on a demo copy.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testNetwork } from '../../src/apply/testNetwork.js';
import { FakeSystem } from '../system/helpers/fakeSystem.js';
import { Headless, demoRoot, cleanUpAfterEach } from './helpers/headless.js';
import { noLink } from './helpers/trees.js';

let h: Headless | null = null;
cleanUpAfterEach();

function rootWith(conf: string): string {
  const dir = demoRoot();
  mkdirSync(join(dir, 'etc/ttyconf'));
  writeFileSync(join(dir, 'etc/ttyconf/ttyconf.conf'), conf);
  return dir;
}

describe('vendor settings', () => {
  it('product name and banner in the header, menu items filtered, hidden interfaces gone, bad values as warnings', async () => {
    const root = rootWith([
      '[product]', 'name = Acme Appliance', 'banner = Support: +1 555 0100',
      '[menu]', 'dns = no', 'power = no', 'shell = yes', 'test = no',
      '[login]', 'idle_timeout = soon',
      '[network]', 'hide = eth1',
    ].join('\n') + '\n');
    h = await Headless.startLoggedIn({ rootDir: root });
    const t = h.text();
    expect(h.lines()[0]).toMatch(/^ Acme Appliance test {2}\| {2}localhost\.localdomain/);
    expect(t).toContain('Support: +1 555 0100');
    expect(t).toMatch(/eth0\s+up/);
    expect(t).not.toMatch(/eth1/);
    expect(h.flat()).toContain('! etc/ttyconf/ttyconf.conf: [login] idle_timeout = "soon"');
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    const menu = h.text();
    expect(menu).toContain('N  Network interfaces');
    expect(menu).toContain('H  Hostname');
    expect(menu).toContain('L  Local shell');
    expect(menu).toContain('O  Log out');
    for (const gone of ['DNS', 'Test network', 'Reboot', 'Shut down']) expect(menu).not.toContain(`  ${gone}`);
    await h.press('n', 'Enter');
    await h.waitFor('Choose the interface to configure');
    expect(h.text()).not.toMatch(/eth1/);
  });

  it('defaults: no Local shell; Test network, Reboot and Shut down shown', async () => {
    h = await Headless.start();
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    expect(h.text()).toContain('T  Test network');
    expect(h.text()).toContain('R  Reboot');
    expect(h.text()).toContain('S  Shut down');
    expect(h.text()).not.toContain('Local shell');
    expect(h.text()).not.toContain('Log out');
  });
});

describe('Test network', () => {
  it('runs the checks on the current settings plus a typed ping; each PASS/FAIL/SKIP with its detail', async () => {
    let pinged: string | undefined;
    h = await Headless.start({
      system: {
        testNetwork: async (current, ping) => {
          pinged = ping;
          const fake = new FakeSystem(h!.rootDir);
          return testNetwork(current, { ping, probe: fake.probe, timeouts: { pingMs: 10 } as never });
        },
      },
    });
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('t', 'Enter');
    await h.waitFor('Also ping');
    expect(h.lines()[23]).toContain('Enter Run test');
    await h.type('-f');
    await h.press('Enter');
    await h.waitFor('1 problem. Fix the field marked !');
    await h.press('C-u');
    await h.type('198.51.100.77');
    await h.press('Enter');
    await h.waitFor(/checks (FAILED|passed)/);
    expect(pinged).toBe('198.51.100.77');
    const t = h.flat();
    expect(t).toContain('! 1 of 6 checks FAILED');
    expect(t).toContain('PASS eth0 DHCP lease: wanted a DHCP address, got 192.0.2.115/24');
    expect(t).toContain('SKIP eth1 address: no link');
    expect(t).toContain('FAIL ping 198.51.100.77: 198.51.100.77 does not answer');
    expect(t).toContain('PASS gateway 192.0.2.1');
    expect(t).toContain('PASS DNS 192.0.2.53');
    expect(h.isBold('FAIL  ping')).toBe(true);
    await h.press('Enter');
    await h.waitFor('Enter/M Menu');
  });

  it('shows each check as it finishes, with its elapsed seconds, while the others still run', async () => {
    const release: { dns?: () => void } = {};
    h = await Headless.start({
      system: {
        testNetwork: async (current, ping, onCheck) => {
          const fake = new FakeSystem(h!.rootDir);
          // The DNS server answers only when the test says so; the gateway answers at once.
          const dns = (server: string) => new Promise<{ answered: boolean; detail: string }>((resolve) => {
            release.dns = () => resolve({ answered: true, detail: `${server} answered` });
          });
          return testNetwork(current, { ping, onCheck, probe: { ...fake.probe, dns }, timeouts: { pingMs: 10 } as never });
        },
      },
    });
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('t', 'Enter');
    await h.waitFor('Also ping');
    await h.press('Enter');
    await h.waitFor(/PASS {2}gateway 192\.0\.2\.1: 192\.0\.2\.1 answered ping on eth0 {2}\(\d+\.\d s\)/);
    try {
      const t = h.flat();
      expect(t).toContain('Testing the network...');
      expect(t).toMatch(/PASS eth0 DHCP lease: wanted a DHCP address, got 192\.0\.2\.115\/24 \(\d+\.\d s\)/);
      expect(t).toMatch(/SKIP eth1 address: no link \(no-carrier\) \(0\.0 s\)/);
      // The DNS server has not answered: its check is not on the screen yet.
      expect(t).not.toContain('DNS 192.0.2.53');
    } finally {
      release.dns?.();
    }
    await h.waitFor(/checks (FAILED|passed)/);
    const f = h.flat();
    expect(f).toContain('All 5 checks passed or were skipped');
    expect(f).toContain('PASS DNS 192.0.2.53: answered a query');
    // The final list is in its fixed order, without the elapsed times.
    expect(f).toMatch(/eth1 address.*eth0 DHCP lease.*default route.*gateway 192\.0\.2\.1.*DNS 192\.0\.2\.53/);
    expect(f).not.toMatch(/\(\d+\.\d s\)/);
  });
});

describe('Reboot and Shut down', () => {
  it('asks Y/N after login; under --root nothing runs and it says so', async () => {
    const asked: string[] = [];
    h = await Headless.startLoggedIn({ system: { power: async (a) => { asked.push(a); return { kind: 'refused', reason: 'ttyconf works on the files under X' }; } } });
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('r', 'Enter');
    await h.waitFor('Reboot the machine now?');
    expect(h.flat()).toContain('nothing will be run');
    await h.press('n');
    await h.waitFor('Choose what to set up');
    expect(asked).toEqual([]);
    await h.press('s', 'Enter');
    await h.waitFor('Shut down the machine now?');
    await h.press('y');
    await h.waitFor('Not done: ttyconf works on the files under X');
    expect(asked).toEqual(['poweroff']);
  });

  it('needs the password first', async () => {
    h = await Headless.start();
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('r', 'Enter');
    await h.waitFor('Enter the root password.');
  });

  it('no link on the interface that carries the default route is a FAIL, not a SKIP', async () => {
    const root = noLink();
    h = await Headless.start({
      rootDir: root,
      system: {
        testNetwork: async (current, ping) => testNetwork(current, { ping, probe: new FakeSystem(root).probe, timeouts: { pingMs: 10 } as never }),
      },
    });
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('t', 'Enter');
    await h.waitFor('Also ping');
    await h.press('Enter');
    await h.waitFor(/checks (FAILED|passed)/);
    expect(h.flat()).toContain('FAIL eth0 link: no link (no-carrier): eth0 carries the default route');
    expect(h.flat()).toContain('SKIP eth1 address: no link');
    rmSync(root, { recursive: true, force: true });
  });
});
