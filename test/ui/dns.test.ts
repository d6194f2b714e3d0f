import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnsFieldOf, splitDomains } from '../../src/ui/features/dns.js';
import { IFCFG_ETH0, bashRead, treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

const openDns = (): Promise<Headless> => Headless.openFeature('d', 'DNS server 1');

describe('DNS form', () => {
  it('opens on the current servers and search domains', async () => {
    h = await openDns();
    const t = h.text();
    expect(t).toMatch(/> DNS server 1\s+\[192\.0\.2\.53\s+\]/);
    expect(t).toMatch(/ {2}DNS server 2\s+\[\s+\]/);
    expect(t).toMatch(/Search domains\s+\[lab\.example\.com\s+\]/);
    expect(t).toContain('Now: servers 192.0.2.53; search lab.example.com');
  });

  it('errors land under the field they concern, even with an empty field between', async () => {
    h = await openDns();
    const before = treeDigest(h.rootDir);
    await h.press('Tab', 'Tab');
    await h.type('300.1.1.1');
    await h.press('Tab', 'C-u');
    await h.type('bad_domain example.com');
    await h.press('Enter');
    await h.waitFor('2 problems');
    const lines = h.lines();
    const s3 = lines.findIndex((l) => l.includes('DNS server 3'));
    expect(lines[s3]).toMatch(/!DNS server 3\s+\[300\.1\.1\.1/);
    expect(lines[s3 + 1]).toContain('! DNS server 3: "300.1.1.1" is not an IPv4 or IPv6 address');
    const search = lines.findIndex((l) => l.includes('Search domains  '));
    expect(lines[search + 1]).toContain('! Search domains: "bad_domain" must not contain an underscore');
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('sets servers and search domains; bash reads them from the ifcfg file', async () => {
    h = await openDns();
    await h.press('Tab');
    await h.type('192.0.2.54');
    await h.press('Tab', 'Tab', 'C-u');
    await h.type('example.com, lab.example.com');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('DNS servers: 192.0.2.53 -> 192.0.2.53 192.0.2.54');
    expect(h.text()).toContain('search domains: lab.example.com -> example.com lab.example.com');
    await h.press('y');
    await h.waitFor('Done: files written');
    const f = join(h.rootDir, IFCFG_ETH0);
    expect(bashRead(f, 'DNS1')).toBe('192.0.2.53');
    expect(bashRead(f, 'DNS2')).toBe('192.0.2.54');
    expect(bashRead(f, 'DOMAIN')).toBe('example.com lab.example.com');
    await h.press('Escape');
    await h.waitFor(/DNS servers\s+192\.0\.2\.53\s*\S?\n\S?\s+192\.0\.2\.54/);
  });

  it('maps validateDns field numbers back to the fields typed in', () => {
    const of = dnsFieldOf(['', '', '10.0.0.1']);
    expect(of({ field: 'dns1', value: 'x', rule: 'r' })).toBe('dns3');
    expect(of({ field: 'search', value: 'x', rule: 'r' })).toBe('search');
    expect(of({ field: 'dns', value: 'x', rule: 'r' })).toBeNull();
    expect(splitDomains(' a.example,b.example  c ')).toEqual(['a.example', 'b.example', 'c']);
  });
});
