// The status screen tells the truth at 80x24 and 80x25 on the Linux VT and a serial line: every
// value of the reading is on screen or reachable by scrolling, none is cut without a mark, and the
// first line says whether the machine is on the network. Typed-ahead keys never answer the review.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, demoRoot } from './helpers/headless.js';
import { treeDigest } from './helpers/files.js';
import { PROJECT, TmuxScreen, ensureBuilt, haveTmux } from './helpers/tmux.js';
import { LONG_DNS, LONG_HOSTNAME, LONG_SEARCH, longValues, noAddress, noGateway, noLink, twelveInterfaces } from './helpers/trees.js';

const tmux = haveTmux();
if (!tmux) console.warn('test/ui/truth: tmux is not installed: SKIPPED');

const roots: string[] = [];
const screens: TmuxScreen[] = [];
beforeAll(() => {
  if (tmux) ensureBuilt();
}, 120_000);
afterAll(() => {
  for (const s of screens) s.kill();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

async function open(root: string, cols: number, rows: number, term: string): Promise<TmuxScreen> {
  roots.push(root);
  const s = new TmuxScreen(`truth${screens.length}`);
  screens.push(s);
  s.start(`node ${PROJECT}bin/ttyconf.js ui --root ${root}`, { cols, rows, env: { TERM: term } });
  await s.waitFor(/Network: /);
  return s;
}

/** The body rows (inside the frame), right-trimmed. */
function body(screen: string): string[] {
  const lines = screen.split('\n');
  const bottom = lines.findIndex((l, i) => i > 1 && /^[+\u2514m]/.test(l));
  return lines.slice(2, bottom).map((l) => l.replace(/^[|\u2502x] ?/, '').replace(/ ?[|\u2502x]\s*$/, '').trimEnd());
}

/**
 * Scrolls from Home to the end and returns every body row seen, with rows that end in the
 * continuation mark joined to the next one: what a reader can read.
 */
async function readAll(s: TmuxScreen): Promise<{ text: string; rows: string[]; scrolled: number }> {
  await s.keys('Home');
  const seen: string[] = [];
  let scrolled = 0;
  for (let i = 0; i < 40; i++) {
    const screen = s.text();
    const rows = body(screen);
    if (i === 0) seen.push(...rows);
    else seen.push(rows[rows.length - 1]!);
    const bottom = screen.split('\n').find((l, k) => k > 1 && /^[+\u2514m]/.test(l)) ?? '';
    if (!bottom.includes('v more')) break;
    const before = screen;
    await s.keys('Down');
    await s.waitFor((t) => t !== before);
    scrolled++;
  }
  const joined: string[] = [];
  for (const r of seen) {
    const prev = joined[joined.length - 1];
    if (prev !== undefined && prev.endsWith('\\')) joined[joined.length - 1] = prev.slice(0, -1) + r.trimStart().replace(/^/, '');
    else joined.push(r);
  }
  return { text: joined.join('\n'), rows: seen, scrolled };
}

/** Values split over rows under a label column: the continuation starts at the value's column. */
function values(text: string): string {
  return text.replace(/\\\n\s*/g, '');
}

const SIZES = [
  [80, 24, 'linux'],
  [80, 24, 'vt220'],
  [80, 25, 'linux'],
] as const;

describe.skipIf(!tmux)('every value visible or reachable by scrolling, none cut without a mark', () => {
  it.each(SIZES)('12 interfaces at %ix%i TERM=%s', async (cols, rows, term) => {
    const { root, extra } = twelveInterfaces();
    const s = await open(root, cols, rows, term);
    expect(s.lines()[0]).toMatch(/\d\d:\d\d\s*$/);
    const { text, scrolled } = await readAll(s);
    expect(scrolled).toBeGreaterThan(0);
    for (const i of extra) expect(text).toMatch(new RegExp(`${i.name}\\s+(up|no carrier)\\s+${i.mac}\\s+static\\s+${i.address.replace(/\./g, '\\.')}`));
    // Natural order: eth2 before eth10.
    expect(text.indexOf('eth2 ')).toBeLessThan(text.indexOf('eth10 '));
    expect(text).toMatch(/Default gateway\s+192\.0\.2\.1 \(eth0\)/);
    expect(text).toMatch(/DNS servers\s+192\.0\.2\.53/);
    expect(text).toMatch(/Search domains\s+lab\.example\.com/);
    expect(text).toContain('Not logged in: changes ask for the password.');
    // End and Home: the bottom line lists them, and they work.
    expect(s.lines()[rows - 1]).toContain('Up/Dn/PgUp/PgDn/Home/End Scroll');
    await s.keys('Home');
    await s.waitFor((t) => !t.split('\n')[1]!.includes('^ more'));
    await s.keys('End');
    await s.waitFor((t) => t.split('\n')[1]!.includes('^ more') && !t.includes('v more'));
    await s.keys('PageUp');
    await s.waitFor((t) => t.includes('v more'));
  }, 60_000);

  it.each(SIZES)('long values at %ix%i TERM=%s', async (cols, rows, term) => {
    const s = await open(longValues(), cols, rows, term);
    const { text } = await readAll(s);
    const all = values(text);
    expect(all).toContain(LONG_HOSTNAME);
    for (const d of LONG_DNS) expect(text).toMatch(new RegExp(`^(DNS servers)?\\s+${d}$`, 'm'));
    for (const d of LONG_SEARCH) expect(all).toContain(d);
    // The clock stays in the header bar.
    expect(s.lines()[0]).toMatch(/\d\d:\d\d\s*$/);
    // No row reaches the frame without a mark unless the value ends there.
    for (const r of (await readAll(s)).rows) {
      if (r.length >= cols - 4) expect(r.endsWith('\\') || [LONG_HOSTNAME, ...LONG_DNS, ...LONG_SEARCH].some((v) => r.endsWith(v.slice(-8)))).toBe(true);
    }
  }, 60_000);
});

describe.skipIf(!tmux)('the first line: on the network or not', () => {
  it.each([
    ['connected', demoRoot, 'Network: 192.0.2.115 on eth0 (DHCP), gateway 192.0.2.1', null],
    ['no link', noLink, 'Network: NOT CONNECTED: no interface has a link', '! no interface has a link'],
    ['no gateway', noGateway, 'Network: NOT CONNECTED: no default gateway', '! no default gateway'],
    ['no address', noAddress, 'Network: NOT CONNECTED: no address', '! no interface with a link has an IPv4 address'],
  ] as const)('%s', async (_name, make, first, warning) => {
    const s = await open(make(), 80, 24, 'linux');
    const rows = body(s.text());
    expect(rows[0]).toContain(first);
    if (warning) expect(s.flat()).toContain(warning);
    else expect(s.text()).not.toContain('NOT CONNECTED');
  }, 30_000);
});

describe.skipIf(!tmux)('keys typed ahead never answer the review', () => {
  it.each([['Enter', 'Enter'], ['Enter', 'y']])('%s %s from the hostname form: the review is on screen, nothing written', async (k1, k2) => {
    const root = demoRoot();
    const s = await open(root, 80, 24, 'vt220');
    await s.keys('Enter');
    await s.waitFor('Choose what to set up');
    await s.keys('h', 'Enter');
    await s.waitFor('Password');
    await s.type(DEMO_PASSWORD);
    await s.keys('Enter');
    await s.waitFor('Letters, digits and hyphens');
    await s.keys('C-u');
    await s.type('vm9');
    const before = treeDigest(root);
    // Both keys in one send-keys: they arrive together, as from a fast typist or a paste.
    execTmux(s, 'send-keys', '-t', s.name, k1, k2);
    await s.waitFor('Review changes');
    await new Promise((r) => setTimeout(r, 1000));
    expect(s.text()).toContain('Review changes');
    expect(s.flat()).toContain('typed before this screen appeared and ignored');
    expect(treeDigest(root)).toBe(before);
  }, 60_000);
});

describe.skipIf(!tmux)('"Terminal too small"', () => {
  it('ignores every key but resize, Ctrl-L and quit: nothing acts on the hidden screen', async () => {
    const s = await open(demoRoot(), 80, 24, 'linux');
    await s.keys('Enter');
    await s.waitFor('Choose what to set up');
    execTmux(s, 'resize-window', '-t', s.name, '-x', '20', '-y', '5');
    await s.waitFor('Terminal too small');
    // Blind: Enter would open Network interfaces; Escape would leave the menu.
    await s.keys('Enter', 'Escape', 'h', 'Enter');
    execTmux(s, 'resize-window', '-t', s.name, '-x', '80', '-y', '24');
    await s.waitFor('Choose what to set up');
    expect(s.text()).toMatch(/> N {2}Network interfaces/);
  }, 30_000);
});

function execTmux(s: TmuxScreen, ...args: string[]): void {
  execFileSync('tmux', ['-L', s.socket, ...args]);
}
