// The login through the UI (headless terminal, the real Authenticator on the tree's /etc/shadow):
// asked at the moment of a change, then the change continues; refusals in words; the idle lock.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { opensslHash } from '../auth/helpers.js';
import { Headless, demoRoot, cleanUpAfterEach } from './helpers/headless.js';
import { treeDigest } from './helpers/files.js';

let h: Headless | null = null;
cleanUpAfterEach();

/** A demo tree whose root password is "secret" (openssl passwd -6 -salt abcdefgh secret). */
function secretRoot(conf?: string): string {
  const dir = demoRoot();
  writeFileSync(join(dir, 'etc/shadow'), `root:${opensslHash('6', 'abcdefgh', 'secret')}:19000:0:99999:7:::\n`);
  if (conf !== undefined) mkdirSync(join(dir, 'etc/ttyconf'), { recursive: true });
  if (conf !== undefined) writeFileSync(join(dir, 'etc/ttyconf/ttyconf.conf'), conf, { flag: 'w' });
  return dir;
}

async function openHostname(x: Headless): Promise<void> {
  await x.openMenu();
  await x.press('h', 'Enter');
}

/** Opens the hostname form, logs in with the right password, and waits for the form. */
async function logInToHostnameForm(s: Headless): Promise<void> {
  await openHostname(s);
  await s.waitFor('Enter the root password.');
  await s.type('secret');
  await s.press('Enter');
  await s.waitFor('Letters, digits and hyphens');
}

describe('a pasted password', () => {
  it('is handled in one pass (one draw for the whole paste); past 512 characters it is refused at once, unchecked', async () => {
    const root = secretRoot();
    h = await Headless.start({ rootDir: root });
    await h.waitFor('Not logged in: changes ask for the password.');
    await openHostname(h);
    await h.waitFor('Enter the root password.');
    // Reaches into the app for its terminal: the number of draws is what a paste must not multiply.
    const term = (h.app as unknown as { term: { paint: (c: unknown) => void } }).term;
    const paint = term.paint.bind(term);
    let paints = 0;
    term.paint = (c) => {
      paints++;
      paint(c);
    };
    await h.press('x'.repeat(5000));
    await h.waitFor('A password has at most 512 characters');
    expect(paints).toBe(1);
    expect(h.text()).toContain('Ctrl-U clears it.');
    // Enter checks nothing: no attempt logged, no delay imposed.
    await h.press('Enter');
    await h.settle();
    expect(h.authLog).toEqual([]);
    expect(h.text()).not.toMatch(/Wait \d s/);
    await h.press('C-u');
    await h.waitForGone('A password has at most 512 characters');
    await h.press('secret', 'Enter');
    await h.waitFor('Letters, digits and hyphens');
    expect(h.authLog.map((e) => e.kind)).toEqual(['login']);
  });

  it('of exactly 512 characters is checked (and refused as wrong)', async () => {
    const root = secretRoot();
    h = await Headless.start({ rootDir: root });
    await openHostname(h);
    await h.waitFor('Enter the root password.');
    await h.press('y'.repeat(512));
    await h.press('Enter');
    await h.waitFor('Wrong user name or password');
    expect(h.text()).not.toContain('A password has at most');
    expect(h.authLog.map((e) => e.kind)).toEqual(['failure']);
  });
});

describe('login at the moment of a change', () => {
  it('a wrong password says "Wrong user name or password", opens nothing and writes nothing', async () => {
    const root = secretRoot();
    const before = treeDigest(root);
    h = await Headless.start({ rootDir: root });
    await h.waitFor('Not logged in: changes ask for the password.');
    await openHostname(h);
    await h.waitFor('Enter the root password.');
    expect(h.text()).toMatch(/User name\s+\[root/);
    await h.type('wrong');
    expect(h.text()).toContain('[*****');
    expect(h.text()).not.toContain('wrong');
    await h.press('Enter');
    await h.waitFor('Wrong user name or password');
    await h.waitFor(/Wait \d s before trying again/);
    // One countdown on screen, not two with different numbers.
    expect(h.text().match(/\d+ s\b/g)).toHaveLength(1);
    expect(h.text()).not.toContain('Letters, digits and hyphens');
    expect(h.authLog.map((e) => e.kind)).toEqual(['failure']);
    // Esc cancels: back to the menu, the form never opened.
    await h.press('Escape');
    await h.waitFor('Choose what to set up');
    expect(treeDigest(root)).toBe(before);
  });

  it('the right password continues into the form, and the change is written', async () => {
    const root = secretRoot();
    h = await Headless.start({ rootDir: root });
    await logInToHostnameForm(h);
    await h.press('C-u');
    await h.type('vm7.example.com');
    await h.press('Enter');
    await h.waitFor('Review changes');
    await h.press('y');
    await h.waitFor('Done: files written');
    expect(readFileSync(join(root, 'etc/hostname'), 'utf8').trim()).toBe('vm7.example.com');
    await h.press('Enter');
    await h.waitFor(/Logged in as root; locks after 5 min without a key/);
    // Log out from the menu: the next change asks again.
    await h.press('Enter');
    await h.waitFor('O  Log out');
    await h.press('o', 'Enter');
    await h.waitFor('Not logged in');
    await openHostname(h);
    await h.waitFor('Enter the root password.');
  });

  it('a locked root account gets a clear message, not a delay', async () => {
    const root = secretRoot();
    writeFileSync(join(root, 'etc/shadow'), `root:!${opensslHash('6', 'abcdefgh', 'secret')}:19000:0:99999:7:::\n`);
    h = await Headless.start({ rootDir: root });
    await openHostname(h);
    await h.waitFor('Enter the root password.');
    await h.type('secret');
    await h.press('Enter');
    await h.waitFor(/locked/i);
    expect(h.text()).not.toMatch(/Wait \d+ s/);
  });

  it('with [login] required = no there is no dialog', async () => {
    h = await Headless.start({ rootDir: secretRoot('[login]\nrequired = no\n') });
    await h.waitFor('Changes need no login on this console.');
    await openHostname(h);
    await h.waitFor('Letters, digits and hyphens');
  });

  it('idle lock (injected clock): back to the status screen, the open form dropped unwritten', async () => {
    const root = secretRoot();
    let now = 1_000_000;
    h = await Headless.start({ rootDir: root, authNow: () => now });
    await logInToHostnameForm(h);
    await h.press('C-u');
    await h.type('never-written');
    const before = treeDigest(root);
    now += 5 * 60_000 + 1;
    expect(h.app.session.checkIdle()).toBe(true);
    await h.waitFor('Logged out after 5 min without a key');
    await h.waitFor('Not logged in: changes ask for the password.');
    expect(h.text()).not.toContain('never-written');
    expect(treeDigest(root)).toBe(before);
    expect(h.authLog.at(-1)).toMatchObject({ kind: 'lock', why: 'idle' });
    await openHostname(h);
    await h.waitFor('Enter the root password.');
  });

  it('a key after the idle time locks first and goes no further', async () => {
    let now = 1_000_000;
    h = await Headless.start({ rootDir: secretRoot(), authNow: () => now });
    await logInToHostnameForm(h);
    now += 5 * 60_000 + 1;
    await h.press('x');
    await h.waitFor('Logged out after 5 min without a key');
  });
});
