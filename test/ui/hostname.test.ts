import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { treeDigest } from './helpers/files.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

const openHostname = (): Promise<Headless> => Headless.openFeature('h', 'Letters, digits and hyphens');

describe('hostname form', () => {
  it('is one field, pre-filled; a bad name is explained at the field and nothing is written', async () => {
    h = await openHostname();
    expect(h.text()).toMatch(/> Hostname\s+\[localhost\.localdomain\s+\]/);
    const before = treeDigest(h.rootDir);
    await h.press('C-u');
    await h.type('web_01.example.com');
    await h.press('Enter');
    await h.waitFor('1 problem');
    expect(h.text()).toMatch(/>!Hostname\s+\[web_01\.example\.com/);
    expect(h.text()).toContain('! Hostname: "web_01.example.com" must not contain an underscore');
    expect(treeDigest(h.rootDir)).toBe(before);
    // Editing keys: Home, Delete, Backspace, End.
    await h.press('Home');
    await h.press('\x1b[3~');
    expect(h.text()).toMatch(/\[eb_01\.example\.com/);
  });

  it('Esc cancels, and the review can be left with Esc', async () => {
    h = await openHostname();
    const before = treeDigest(h.rootDir);
    await h.press('C-u');
    await h.type('vm7');
    await h.press('Enter');
    await h.waitFor('Review changes');
    await h.press('Escape');
    await h.waitFor('Letters, digits and hyphens');
    expect(h.text()).toMatch(/\[vm7\s+\]/);
    await h.press('Escape');
    await h.waitFor('Choose what to set up');
    await h.press('Escape');
    await h.waitFor('Enter/M Menu');
    expect(treeDigest(h.rootDir)).toBe(before);
  });

  it('sets the hostname: /etc/hostname, the header and the status agree', async () => {
    h = await openHostname();
    await h.press('C-u');
    await h.type('vm1.example.com');
    await h.press('Enter');
    await h.waitFor('hostname: localhost.localdomain -> vm1.example.com');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(h.text()).toContain('etc/hostname');
    expect(readFileSync(join(h.rootDir, 'etc/hostname'), 'utf8').trim()).toBe('vm1.example.com');
    await h.press('Enter');
    await h.waitFor(/Hostname\s+vm1\.example\.com/);
    expect(h.lines()[0]).toContain('vm1.example.com');
    expect(h.text()).not.toContain('hostname is localhost');
  });
});
