// The NetworkManager ifcfg corpus: reading and writing back is byte-identical; setting one key
// changes only that key's lines, or the file is refused for editing (bash reads it beyond what
// ttyconf follows) and stays as it was.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashLayout } from '../../src/files/bashSpans.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import { CORPUS } from '../helpers/corpus.js';

const dir = join(CORPUS, 'ifcfg-rh');
const names = existsSync(dir) ? readdirSync(dir).filter((n) => n.startsWith('ifcfg-')).sort() : [];

describe.skipIf(names.length === 0)(`ifcfg corpus (${dir})`, () => {
  it('has the corpus files', () => expect(names.length).toBeGreaterThan(200));

  it.each(names)('%s: unchanged round trip is byte-identical', (name) => {
    const buf = readFileSync(join(dir, name));
    expect(ShellVarsFile.fromBuffer(buf).toBuffer().equals(buf)).toBe(true);
  });

  it.each(names)('%s: setting IPADDR changes only the lines of IPADDR assignments, or nothing', (name) => {
    const buf = readFileSync(join(dir, name));
    const f = ShellVarsFile.fromBuffer(buf);
    f.set('IPADDR', '192.0.2.99');
    if (f.refused()) {
      expect(f.toBuffer().equals(buf)).toBe(true);
      return;
    }
    const text = buf.toString('latin1');
    // Appending to a file without a final newline adds one: the only other change allowed.
    const before = (text === '' || text.endsWith('\n') ? text : text + '\n').split('\n');
    const after = f.serialize().split('\n');
    // An IPADDR assignment is its line plus the lines bash reads as part of it (a quote left open).
    const starts = bashLayout(text === '' || text.endsWith('\n') ? text : text + '\n').starts;
    const inIpaddr = (i: number): boolean => /^[ \t]*IPADDR=/.test(before[starts[i]!]!);
    expect(after.filter((l) => l !== 'IPADDR=192.0.2.99')).toEqual(before.filter((_, i) => !inIpaddr(i)));
    expect(after.filter((l) => l === 'IPADDR=192.0.2.99')).toHaveLength(1);
    expect(ShellVarsFile.fromBuffer(f.toBuffer()).get('IPADDR')).toBe('192.0.2.99');
  });

  it('refuses only the few files that bash reads beyond what ttyconf follows', () => {
    const refused = names.filter((n) => ShellVarsFile.fromBuffer(readFileSync(join(dir, n))).bashRefusal() !== null);
    // Unclosed quotes, a value with a blank, multi-line values hiding NetworkManager assignments.
    expect(refused.length).toBeLessThan(10);
  });
});

if (names.length === 0) console.warn(`SKIPPED: ifcfg corpus not found at ${dir}`);
