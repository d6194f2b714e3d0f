// Real-console behaviour, headless: sizes, borders, redraw, quitting, refresh, hostile data.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRoot, readCurrent } from '../../src/core.js';
import { onConsoleService } from '../../src/ui/console.js';
import { Headless, cleanUpAfterEach } from './helpers/headless.js';

let h: Headless | null = null;
cleanUpAfterEach();

const BOX = /[\u2500-\u257f]/;

describe('sizes', () => {
  it('a 0x0 serial size is drawn as 80x24', async () => {
    h = await Headless.start({ cols: 0, rows: 0, terminal: 'vt220' });
    await h.waitFor('Search domains');
    const lines = h.lines();
    expect(lines).toHaveLength(24);
    expect(lines[1]).toMatch(/^\+- Status -+\+$/);
    expect(lines[1]).toHaveLength(80);
    expect(lines[22]).toMatch(/^\+-+\+$/);
    expect(lines[23]).toContain('Enter/M Menu');
  });

  it('a larger terminal gets more room, and a resize lays the screen out again', async () => {
    h = await Headless.start({ cols: 120, rows: 40 });
    await h.waitFor('Search domains');
    expect(h.lines()[1]).toHaveLength(120);
    expect(h.lines()[39]).toContain('Enter/M Menu');
    h.resize(80, 25);
    await h.waitFor('Enter/M Menu');
    await h.settle();
    expect(h.lines()[24]).toContain('Enter/M Menu');
    expect(h.lines()[23]!.trimEnd()).toHaveLength(80);
  });

  it('a terminal too small says so instead of drawing garbage', async () => {
    h = await Headless.start({ cols: 20, rows: 5 });
    await h.waitFor('Terminal too small');
  });

});

describe('borders and monochrome', () => {
  it('vt220 (serial): ASCII borders, the focus in inverse', async () => {
    h = await Headless.start({ terminal: 'vt220' });
    await h.waitFor('+- Status');
    expect(h.text()).not.toMatch(BOX);
    expect(h.text()).not.toMatch(/lqq|qqk/);
    await h.press('Enter');
    await h.waitFor('Choose what to set up');
    expect(h.isInverse('N  Network interfaces')).toBe(true);
  });

  it('--ascii forces ASCII borders on any terminal', async () => {
    h = await Headless.start({ terminal: 'linux', ascii: true });
    await h.waitFor('+- Status');
    expect(h.text()).not.toMatch(BOX);
  });

  it('the header bar is inverse and the warnings are bold: no meaning rides on color', async () => {
    h = await Headless.start();
    await h.waitFor('! hostname is');
    expect(h.isInverse('ttyconf test')).toBe(true);
    expect(h.isBold('! hostname is')).toBe(true);
    const b = h.term.buffer.active;
    for (let y = 0; y < h.term.rows; y++) {
      for (let x = 0; x < h.term.cols; x++) {
        const cell = b.getLine(y)!.getCell(x)!;
        expect(cell.isFgDefault() && cell.isBgDefault()).toBe(true);
      }
    }
  });
});

describe('keys', () => {
  it('Ctrl-L redraws everything (kernel messages over tty1 are repaired)', async () => {
    h = await Headless.start();
    await h.waitFor('Search domains');
    await new Promise<void>((r) => h!.term.write('\x1b[5;3H[ 1234.5678] eth0: link down\x1b[12;1HXXXXXXXX', r));
    expect(h.text()).toContain('link down');
    await h.press('C-l');
    await h.waitForGone('link down');
    expect(h.text()).not.toContain('XXXXXXXX');
    expect(h.text()).toMatch(/Interface\s+Link\s+MAC/);
  });

  it('q quits when started by hand', async () => {
    h = await Headless.start({ canQuit: true });
    await h.press('q');
    expect(await h.app.done).toBe(0);
    h = null;
  });

  it('on a console service q and Ctrl-C do not quit, and the help line offers no Quit', async () => {
    h = await Headless.start({ canQuit: false });
    await h.waitFor('Enter/M Menu');
    expect(h.lines()[23]).not.toContain('Quit');
    await h.press('q');
    await h.waitFor("This is the machine's console: it stays on");
    await h.press('C-c');
    await h.waitFor("This is the machine's console: it stays on");
    expect(h.exitCode).toBeNull();
  });

  it('decides "console service" from systemd: parent PID 1, INVOCATION_ID or TTYCONF_CONSOLE=1', () => {
    expect(onConsoleService({}, 1)).toBe(true);
    expect(onConsoleService({ INVOCATION_ID: 'abc' }, 4242)).toBe(true);
    expect(onConsoleService({ TTYCONF_CONSOLE: '1' }, 4242)).toBe(true);
    expect(onConsoleService({}, 4242)).toBe(false);
  });
});

describe('refresh and data', () => {
  it('R reads the machine again; so does the timer', async () => {
    h = await Headless.start({ refreshMs: 200 });
    await h.waitFor(/Hostname\s+localhost\.localdomain/);
    writeFileSync(join(h.rootDir, 'etc/hostname'), 'db1.example.com\n');
    await h.waitFor(/Hostname\s+db1\.example\.com/);
    writeFileSync(join(h.rootDir, 'etc/hostname'), 'db2.example.com\n');
    await h.press('r');
    await h.waitFor(/Hostname\s+db2\.example\.com/);
  });

  it('control characters and non-ASCII from files never reach the terminal', async () => {
    h = await Headless.start();
    writeFileSync(join(h.rootDir, 'etc/hostname'), 'h\u00e9\x1b[2Jx\n');
    await h.press('r');
    await h.waitFor('Hostname');
    await h.waitFor(/Hostname\s+h\?\?\[2Jx/);
  });

  it('a failed reading is shown as text; the menu waits until the settings can be read', async () => {
    let fail = true;
    h = await Headless.start({
      first: Promise.reject(new Error('EACCES: permission denied')),
      read: async () => {
        if (fail) throw new Error('EACCES: permission denied');
        return readCurrent(openRoot(h!.rootDir), { run: null });
      },
    });
    await h.waitFor('Cannot read the network settings: EACCES: permission denied');
    await h.press('Enter');
    await h.waitFor('Nothing can be changed until the settings can be read');
    fail = false;
    await h.press('r');
    await h.waitFor('Search domains');
    expect(h.text()).not.toContain('Cannot read');
  });
});
