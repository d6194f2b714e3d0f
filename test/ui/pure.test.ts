// The pure parts of the UI: text fitting, key names, the frame, the check wording.
import { describe, expect, it } from 'vitest';
import { checkLine } from '../../src/transaction.js';
import type { CheckResult } from '../../src/transaction.js';
import { ASCII_BORDER, LINE_BORDER, compose } from '../../src/ui/frame.js';
import { toKey } from '../../src/ui/keys.js';
import { lineDrawingSafe } from '../../src/ui/termCaps.js';
import { naturalCompare } from '../../src/ui/statusView.js';
import { ascii, bold, fit, line, plain, seg, tagged, wrap } from '../../src/ui/text.js';

describe('text', () => {
  it('only printable ASCII reaches the screen', () => {
    expect(ascii('a\x1b[2J\u00e9\tb')).toBe('a?[2J??b');
    expect(seg('x\ny').text).toBe('x?y');
  });

  it('fits lines to an exact width and escapes blessed tags', () => {
    expect(plain(fit(line('abc', bold('def')), 5))).toBe('abcde');
    expect(plain(fit(line('ab'), 4))).toBe('ab  ');
    expect(tagged(line('{bold}', bold('x')))).toBe('{open}bold{close}{bold}x{/bold}');
  });

  it('wraps at words, splitting words longer than the width', () => {
    expect(wrap('one two three', 7)).toEqual(['one two', 'three']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  });
});

describe('keys', () => {
  it('drops the duplicate "return" blessed sends after "enter"', () => {
    expect(toKey('\r', { name: 'enter', full: 'enter' })).toEqual({ name: 'enter' });
    expect(toKey('\r', { name: 'return', full: 'return' })).toBeNull();
  });

  it('names Shift-Tab, control keys, F-keys and printable characters', () => {
    expect(toKey(undefined, { name: 'tab', full: 'S-tab', shift: true })).toEqual({ name: 'backtab' });
    expect(toKey('\f', { name: 'l', full: 'C-l', ctrl: true })).toEqual({ name: 'C-l' });
    expect(toKey(undefined, { name: 'f5', full: 'f5' })).toEqual({ name: 'f5' });
    expect(toKey('a', { name: 'a', full: 'a' })).toEqual({ name: 'char', ch: 'a' });
    expect(toKey(' ', { name: 'space', full: 'space' })).toEqual({ name: 'char', ch: ' ' });
    expect(toKey('\u00e9', { full: '\u00e9' })).toBeNull();
  });
});

describe('frame', () => {
  const chrome = { headerLeft: 'ttyconf', headerRight: '12:00', title: 'Status', help: [['Q', 'Quit']] as const, notice: null, border: ASCII_BORDER };

  it('fills exactly the terminal and leaves the bottom-right cell empty', () => {
    const c = compose({ width: 80, height: 24 }, chrome, { lines: [line('hello')] }, 0);
    expect(c.lines).toHaveLength(24);
    expect(c.text.slice(0, 23).every((l) => l.length === 80)).toBe(true);
    expect(c.text[23]!.length).toBe(79);
    expect(c.text[1]).toMatch(/^\+- Status -+\+$/);
    expect(c.text[2]).toBe(`| hello${' '.repeat(71)} |`);
  });

  it('scrolls to keep the focused row (or the cursor) visible and says there is more', () => {
    const lines = Array.from({ length: 50 }, (_, i) => line(`row ${i}`));
    const c = compose({ width: 80, height: 24 }, chrome, { lines, focusRow: 30 }, 0);
    expect(c.text[1]).toContain('^ more');
    expect(c.text[22]).toContain('v more');
    expect(c.text.some((l) => l.includes('row 30 '))).toBe(true);
    const k = compose({ width: 80, height: 24 }, chrome, { lines, cursor: { row: 40, col: 3 } }, 0);
    expect(k.cursor).toEqual({ row: 2 + 40 - k.scroll, col: 5 });
  });

  it('draws lines with box characters (blessed maps them per terminal) or ASCII', () => {
    const c = compose({ width: 40, height: 10 }, { ...chrome, border: LINE_BORDER }, { lines: [] }, 0);
    expect(c.text[1]!.startsWith('\u250c\u2500 Status ')).toBe(true);
  });

  it('puts a notice into the bottom border', () => {
    const c = compose({ width: 80, height: 24 }, { ...chrome, notice: '! Unexpected error: x' }, { lines: [] }, 0);
    expect(c.text[22]).toMatch(/^\+- ! Unexpected error: x -+\+$/);
  });
});

describe('terminals', () => {
  it('line drawing is off on serial and unknown terminals', () => {
    expect(lineDrawingSafe('linux', false, false)).toBe(true);
    expect(lineDrawingSafe('xterm-256color', false, true)).toBe(true);
    expect(lineDrawingSafe('xterm-256color', false, false)).toBe(false);
    expect(lineDrawingSafe('screen', false, false)).toBe(true);
    for (const t of ['vt220', 'vt102', 'vt100', 'dumb', 'ansi', '']) expect(lineDrawingSafe(t, false, true)).toBe(false);
    expect(lineDrawingSafe('mystery-term', true, false)).toBe(false);
    expect(lineDrawingSafe('tmux-256color', true, true)).toBe(true);
  });
});

describe('checks', () => {
  it('word the result the way the core does', () => {
    const cases: CheckResult[] = [
      { name: 'a', status: 'passed', passed: true, required: true, detail: 'ok' },
      { name: 'b', status: 'failed', passed: false, required: true, detail: 'no' },
      { name: 'c', status: 'failed', passed: false, required: false, detail: 'meh' },
      { name: 'd', status: 'skipped', passed: true, required: false, detail: 'n/a' },
    ];
    expect(cases.map(checkLine)).toEqual(['PASS  a: ok', 'FAIL  b: no', 'WARN  c: meh', 'SKIP  d: n/a']);
  });
});

describe('interface order', () => {
  it('is the order people count in (digit runs by value, case aside), as ICU orders it, without ICU', () => {
    const names = ['eth10', 'eth2', 'eth1', 'ens3', 'ens10', 'bond0.100', 'bond0.20', 'bond0', 'lo', 'Eth3', 'eth02', 'eth1.5', 'br-lan', 'ens3f1', 'ens3f0', 'enp0s10', 'enp0s3', 'eth'];
    const want = [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    expect([...names].sort(naturalCompare)).toEqual(want);
    expect(want.slice(0, 3)).toEqual(['bond0', 'bond0.20', 'bond0.100']);
  });
});
