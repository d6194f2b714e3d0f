import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import { bashRead } from '../helpers/tree.js';

const dir = mkdtempSync(join(tmpdir(), 'ttyconf-shvar-'));
const canary = join(dir, 'canary');
let n = 0;
function onDisk(text: string): string {
  const p = join(dir, `ifcfg-case${n++}`);
  writeFileSync(p, text, 'latin1');
  return p;
}

describe('editing keeps every other line', () => {
  const original = [
    '# comment stays',
    'DEVICE=eth0',
    "ETHTOOL_OPTS='-K eth0 tso off'",
    'IPADDR=10.0.0.1',
    '  IPADDR=10.0.0.2',
    'UNKNOWN_KEY="keep me"',
    'PREFIX=8 # trailing comment',
    '',
  ].join('\n');

  it('replaces the last occurrence, drops earlier duplicates, appends new keys', () => {
    const f = ShellVarsFile.parse(original);
    f.set('IPADDR', '192.0.2.10');
    f.set('GATEWAY', '192.0.2.1');
    f.delete('PREFIX');
    expect(f.serialize()).toBe([
      '# comment stays',
      'DEVICE=eth0',
      "ETHTOOL_OPTS='-K eth0 tso off'",
      'IPADDR=192.0.2.10',
      'UNKNOWN_KEY="keep me"',
      'GATEWAY=192.0.2.1',
      '',
    ].join('\n'));
  });

  it('adds a final newline before appending to a file without one', () => {
    const f = ShellVarsFile.parse('DEVICE=eth0');
    f.set('ONBOOT', 'yes');
    expect(f.serialize()).toBe('DEVICE=eth0\nONBOOT=yes\n');
  });

  it('leaves a line alone when the value is already right', () => {
    const f = ShellVarsFile.parse('DEVICE="eth0"\n');
    f.set('DEVICE', 'eth0');
    expect(f.serialize()).toBe('DEVICE="eth0"\n');
  });
});

describe('bash is the oracle: written values read back exactly, nothing runs', () => {
  const hostile = [
    '$(touch CANARY)',
    '`touch CANARY`',
    '"; touch CANARY; "',
    "'; touch CANARY; '",
    '$HOME and ${PATH}',
    'back\\slash',
    '~root',
    'a b  c',
    'tab\there',
    '#not a comment',
    '*',
    '{a,b}',
    '!x',
    'caf\u00e9',
    'x=y;z|w&v>u<t(s)',
  ].map((v) => v.replace(/CANARY/g, canary));

  it('control: the canary does catch an unescaped command substitution', () => {
    const path = onDisk(`VALUE=$(touch ${canary}x)\n`);
    bashRead(path, ['VALUE']);
    expect(() => statSync(canary + 'x')).not.toThrow();
  });

  it.each(hostile)('value %j', (value) => {
    const f = ShellVarsFile.parse('DEVICE=eth0\nKEEP="untouched value"\n');
    f.set('VALUE', value);
    const path = onDisk(f.serialize());
    const got = bashRead(path, ['DEVICE', 'KEEP', 'VALUE']);
    expect(got).toEqual({ DEVICE: 'eth0', KEEP: 'untouched value', VALUE: value });
    expect(ShellVarsFile.parse(f.serialize()).get('VALUE')).toBe(value);
    expect(() => readCanary()).toThrow();
  });

  it.each([
    ['set', (f: ShellVarsFile) => f.set('DOMAIN', 'example.com')],
    ['delete', (f: ShellVarsFile) => f.delete('DOMAIN')],
    ['deleteMatching', (f: ShellVarsFile) => f.deleteMatching(/^DOM/)],
  ])('%s on a value bash reads over several lines removes all of it, so nothing is left to run', (_n, edit) => {
    const text = `DEVICE=eth0\nDOMAIN="a.example\ntouch ${canary}\nb.example"\nKEEP=yes\n`;
    const f = ShellVarsFile.parse(text);
    expect(f.read('DOMAIN')?.warning).toMatch(/continues over 3 lines/);
    expect(f.keys()).toEqual(['DEVICE', 'DOMAIN', 'KEEP']);
    edit(f);
    const got = bashRead(onDisk(f.serialize()), ['DEVICE', 'DOMAIN', 'KEEP']);
    expect(got.DEVICE).toBe('eth0');
    expect(got.KEEP).toBe('yes');
    expect(f.serialize()).not.toContain('touch');
    expect(() => readCanary()).toThrow();
  });

  it('a quote left open to the end of the file does not hide the lines after it', () => {
    const f = ShellVarsFile.parse("DEVICE=eth0\nNAME='oops\nONBOOT=yes\n");
    expect(f.get('ONBOOT')).toBe('yes');
  });

  it('a file whose values run commands is refused for editing and stays byte-identical', () => {
    const text = [
      `EVIL1=$(touch ${canary})`,
      'EVIL2=`id`',
      `EVIL3="a"; touch ${canary}; "b"`,
      'IPADDR=10.0.0.1',
      '',
    ].join('\n');
    const f = ShellVarsFile.parse(text);
    expect(f.read('EVIL1')?.warning).toMatch(/NetworkManager treats it as empty/);
    expect(f.read('EVIL2')?.warning).toMatch(/bash and NetworkManager read it differently/);
    f.set('IPADDR', '192.0.2.10');
    expect(f.refused()).toEqual({ line: 1, reason: expect.stringMatching(/runs a command/) });
    expect(f.serialize()).toBe(text);
    expect(() => readCanary()).toThrow();
  });
});

function readCanary(): void {
  statSync(canary);
}
