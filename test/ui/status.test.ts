import { describe, expect, it } from 'vitest';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

describe('status screen', () => {
  it('shows hostname, interfaces, gateway, DNS and warnings at 80x24', async () => {
    h = await Headless.start({ cols: 80, rows: 24 });
    await h.waitFor('Search domains');
    const t = h.text();
    expect(t).toContain('ttyconf test');
    expect(t).toMatch(/Hostname\s+localhost\.localdomain/);
    expect(t).toMatch(/eth0\s+up\s+52:54:00:12:34:56\s+DHCP\s+192\.0\.2\.115\/24/);
    expect(t).toMatch(/eth1\s+no carrier\s+52:54:00:ab:cd:ef\s+static\s+198\.51\.100\.20\/24/);
    expect(t).toMatch(/Default gateway\s+192\.0\.2\.1 \(eth0\)/);
    expect(t).toMatch(/DNS servers\s+192\.0\.2\.53/);
    expect(t).toMatch(/Search domains\s+lab\.example\.com/);
    expect(t).toContain('! hostname is localhost.localdomain: set a real name');
    expect(h.lines()[23]).toContain('Enter/M Menu');
    expect(h.lines()[23]).toContain('Q Quit');
  });
});
