// The console shows a file ttyconf will not edit as an error above the form, and writes nothing.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IFCFG_ETH0, treeDigest } from './helpers/files.js';
import { Headless, demoRoot, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

describe('a file bash reads beyond what ttyconf follows', () => {
  it('the review does not open: the form says which file and line, and nothing is written', async () => {
    const dir = demoRoot();
    const eth0 = join(dir, IFCFG_ETH0);
    const line = readFileSync(eth0, 'latin1').split('\n').length;
    appendFileSync(eth0, 'GATEWAY=x\\ #"\ntouch canary\nY="\n');
    h = await Headless.startLoggedIn({ rootDir: dir });
    const before = treeDigest(dir);
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    await h.press('n', 'Enter');
    await h.waitFor('Choose the interface to configure');
    await h.press('Enter');
    await h.waitFor('Interface eth0');
    await h.press('s', 'Enter');
    await h.waitFor('1 problem: nothing was written');
    const t = h.text();
    expect(t).toContain('! 1 problem: nothing was written.');
    expect(t).not.toContain('Fix the field');
    expect(t).toContain(`! will not edit ${IFCFG_ETH0}, line ${line + 2}:`);
    expect(t).toContain('NetworkManager reads an assignment of Y here');
    expect(treeDigest(dir)).toBe(before);
  });
});
