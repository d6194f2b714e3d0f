// The review: only Y writes, keys typed before it appeared never answer it, a change that only
// rewrites how the files say something writes nothing, and the diff shows TABs as a terminal would.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IFCFG_ETH0, bashRead, treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';
import { textRows } from '../../src/ui/widgets/textPager.js';
import { plain } from '../../src/ui/text.js';

const IFCFG_ETH1 = 'etc/sysconfig/network-scripts/ifcfg-eth1';

let h: Headless | null = null;
cleanUpAfterEach();

describe('typed ahead: the review is only answered once it is on screen', () => {
  it('Enter Enter from a form opens the review and writes nothing', async () => {
    h = await Headless.openFeature('h', 'Letters, digits and hyphens', { typeAheadMs: 500 });
    const before = treeDigest(h.rootDir);
    await h.press('C-u');
    await h.type('vm9');
    await h.press('Enter', 'Enter');
    await h.waitFor('Review changes');
    expect(h.text()).toContain('hostname: localhost.localdomain -> vm9');
    expect(h.flat()).toContain('1 key was typed before this screen appeared and ignored');
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('Enter y in one chunk, and Enter then y at once, write nothing', async () => {
    h = await Headless.openFeature('h', 'Letters, digits and hyphens', { typeAheadMs: 500 });
    const before = treeDigest(h.rootDir);
    await h.press('C-u');
    await h.type('vm9');
    await h.press('\ry');
    await h.waitFor('Review changes');
    await h.press('Escape', 'y');
    expect(h.text()).toContain('Review changes');
    await new Promise((r) => setTimeout(r, 700));
    await h.press('Escape');
    await h.waitFor('Letters, digits and hyphens');
    await h.press('Enter', 'y', 'y');
    expect(h.text()).toContain('Review changes');
    expect(h.flat()).toContain('2 keys were typed before this screen appeared and ignored');
    expect(treeDigest(h.rootDir)).toBe(before);
    // Read, then answered: Y writes.
    await new Promise((r) => setTimeout(r, 700));
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(readFileSync(join(h.rootDir, 'etc/hostname'), 'utf8')).toBe('vm9\n');
  });
});

describe('what the review lists is what the files will mean', () => {
  it('opening the DEFROUTE=no interface and pressing Enter: "Nothing to change", nothing written', async () => {
    h = await Headless.openFeature('n', 'Choose the interface');
    const before = treeDigest(h.rootDir);
    await h.press('Down', 'Enter');
    await h.waitFor('Interface eth1');
    await h.press('Enter');
    await h.waitFor('Nothing to change');
    expect(h.text()).not.toContain('DEFROUTE');
    await h.press('y');
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('an address change on it keeps DEFROUTE=no, and the review lists only the address', async () => {
    h = await Headless.openFeature('n', 'Choose the interface');
    await h.press('Down', 'Enter');
    await h.waitFor('Interface eth1');
    await h.press('Tab', 'C-u');
    await h.type('198.51.100.21/24');
    await h.press('Enter');
    await h.waitFor('Review changes');
    const t = h.text();
    expect(t).toContain('eth1 address: 198.51.100.20/24 -> 198.51.100.21/24');
    expect(t).not.toContain('DEFROUTE');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, IFCFG_ETH1), 'DEFROUTE')).toBe('no');
    expect(bashRead(join(h.rootDir, IFCFG_ETH1), 'IPADDR')).toBe('198.51.100.21');
  });

  it('a static address on eth0 lists no DEFROUTE and leaves it as it was', async () => {
    h = await Headless.openFeature('n', 'Choose the interface');
    await h.press('Enter');
    await h.waitFor('Interface eth0');
    await h.press('s', 'Tab', 'C-u');
    await h.type('192.0.2.50/24');
    await h.press('Enter');
    await h.waitFor('Review changes');
    expect(h.text()).not.toContain('DEFROUTE');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(bashRead(join(h.rootDir, IFCFG_ETH0), 'DEFROUTE')).toBe('yes');
  });
});

describe('the full diff', () => {
  it('shows the TABs of the /etc/hosts line as spaces to the next 8-column stop', async () => {
    h = await Headless.openFeature('h', 'Letters, digits and hyphens');
    await h.press('C-u');
    await h.type('edge1.example.com');
    await h.press('Enter');
    await h.waitFor('/etc/hosts line: (none) -> 127.0.0.1 edge1.example.com edge1');
    await h.press('d');
    await h.waitFor('Full diff');
    expect(h.text()).toContain('+127.0.0.1      edge1.example.com edge1 # ttyconf');
    expect(h.text()).not.toMatch(/127\.0\.0\.1\?/);
  });

  it('marks a row that goes on with a bold backslash; other control bytes stay "?"', () => {
    const rows = textRows(`+a\tb\x1b[31mc ${'x'.repeat(100)}\n`, 40).map(plain);
    expect(rows[0]).toBe(`+a      b?[31mc ${'x'.repeat(23)}\\`);
    expect(rows[1]).toBe(`${'x'.repeat(39)}\\`);
    expect(rows[2]).toBe('x'.repeat(38));
  });
});
