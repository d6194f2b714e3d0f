// The plain-value shortcut of ShellVarsFile's reading gives what the full readers give: the same
// text for NetworkManager (unescapeValue, UTF-8) and for bash (bashValue), and no warning.
import { describe, expect, it } from 'vitest';
import { bashValue } from '../../src/files/bashValue.js';
import { ShellVarsFile, plainValue } from '../../src/files/shellVars.js';
import { bytesToText, unescapeValue } from '../../src/files/shvar.js';
import { bashReadAll, declared } from '../helpers/bashOracle.js';
import { prng } from '../helpers/ifcfgGenerator.js';

const EDGES = ['', '""', 'eth0', '192.0.2.1', '"System eth0"', "'x'", '"a\'b"', '~', '~/x', 'a:~', '"~"', 'a b', '"a\\"b"', '"$x"', '"`x`"',
  'a;', 'a#b', '"a#b;c"', '"a" # c', 'a\r', '"a"b', '"\xe9"', '\xe9', '"a\tb"', '$\'x\'', 'a|b', '(a)', '"(a)|<b>&{c}[d]^e*?!"'];
/** Characters that matter to either reader, and plain ones. */
const ALPHABET = ['a', 'Z', '0', '_', '.', ':', '/', '=', '-', ' ', '\t', '"', "'", '\\', '$', '`', '~', '#', ';', '|', '&', '(', ')', '<', '>', '\r', '\xe9', '\x00', '!', '{', '*'];

/** What the full readers make of a one-line value: NM's text (null where NM rejects it or bash differs), bash's parts. */
function fullReading(raw: string): { nm: string | null; bash: ReturnType<typeof bashValue> } {
  const u = unescapeValue(raw);
  return { nm: u.ok && u.bashDiffers === null ? bytesToText(u.bytes) : null, bash: bashValue(raw, new Map()) };
}

function agrees(raw: string): boolean {
  const plain = plainValue(raw);
  if (plain === null) return false;
  const full = fullReading(raw);
  expect(full.nm, JSON.stringify(raw)).toBe(plain);
  expect(full.bash, JSON.stringify(raw)).toEqual(plain === '' ? [] : [{ bytes: plain }]);
  // Read in a file, the value is the same and carries no warning.
  const f = ShellVarsFile.parse(`A=${raw}\n`);
  expect(f.read('A')).toMatchObject({ value: plain, warning: null });
  return true;
}

describe('plainValue', () => {
  it('agrees with the full readers on edge values', () => {
    const taken = EDGES.filter(agrees);
    expect(taken).toEqual(['', '""', 'eth0', '192.0.2.1', '"System eth0"', '"a\'b"', '"~"', '"a#b;c"', '"(a)|<b>&{c}[d]^e*?!"']);
  });

  it('agrees with the full readers on 30000 random values (seeded), and bash itself reads the values it takes as it says', () => {
    const random = prng(0x7a11);
    const taken = new Set<string>();
    for (let i = 0; i < 30000; i++) {
      let raw = random() < 0.3 ? '"' : '';
      for (let n = Math.floor(random() * 8); n > 0; n--) raw += ALPHABET[Math.floor(random() * ALPHABET.length)]!;
      if (random() < 0.3) raw += '"';
      if (agrees(raw)) taken.add(raw);
    }
    expect(taken.size).toBeGreaterThan(500);
    const sample = [...EDGES.filter((e) => plainValue(e) !== null), ...[...taken].slice(0, 400)];
    const read = bashReadAll(sample.map((raw) => `A=${raw}\n`));
    sample.forEach((raw, i) => {
      expect(read[i]!.ran, raw).toBe(false);
      expect(read[i]!.vars.get('A'), raw).toBe(declared('A', plainValue(raw)!));
    });
  });

  it('gives a later $KEY the value bash gives it', () => {
    const f = ShellVarsFile.parse('A=eth0\nB="x-$A"\nC=""\nD="$C"\n');
    expect(f.get('B')).toBe('');
    expect(f.read('B')?.warning).toContain('x-eth0');
    expect(f.read('D')?.warning).toContain('""');
  });
});
