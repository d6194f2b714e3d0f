import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bytesToText, escapeValue, unescapeValue } from '../src/files/shvar.js';
import { CORPUS } from './helpers/corpus.js';
import { bashRead } from './helpers/tree.js';

/** The corpus TSV encoding: \\ \t \n \r \xHH -> bytes (as a latin1 string). */
function decodeField(f: string): string {
  return f.replace(/\\(\\|t|n|r|x([0-9a-fA-F]{2}))/g, (_m, c: string, hex?: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\');
}

const tsv = `${CORPUS}/unescape-cases.tsv`;

if (!existsSync(tsv)) console.warn(`SKIPPED: NetworkManager unescape vectors not found at ${tsv}`);

describe.skipIf(!existsSync(tsv))(`svUnescape vectors from NetworkManager (${tsv})`, () => {
  const rows = existsSync(tsv)
    ? readFileSync(tsv, 'latin1').split('\n').filter((l) => l !== '').map((l) => l.split('\t') as [string, string])
    : [];
  it('has all 145 vectors', () => expect(rows).toHaveLength(145));
  it.each(rows.map((r, i) => [i + 1, ...r]))('vector %i: %s -> %s', (_n, input, expected) => {
    const r = unescapeValue(decodeField(String(input)));
    if (expected === '<ERROR>') expect(r.ok).toBe(false);
    else {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.bytes).toBe(decodeField(String(expected)));
    }
  });
});

describe('bytesToText: the value as NetworkManager >= 1.34 takes it (valid UTF-8, or nothing)', () => {
  it('ASCII up to DEL is the same text', () => {
    const ascii = Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).join('');
    expect(bytesToText(ascii)).toBe(ascii);
    expect(bytesToText('')).toBe('');
  });

  it('UTF-8 bytes become their text; anything else is refused', () => {
    expect(bytesToText('caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80')).toBe('caf\u00e9 \u20ac \u{1f600}');
    // latin1 e-acute (NetworkManager treats the value as empty: the divergence boot test), a lone
    // continuation byte, a cut sequence, an overlong encoding, a surrogate.
    for (const bad of ['\xe9', 'a\x80', '\xe2\x82', '\xc0\xaf', '\xed\xa0\x80']) expect(bytesToText(bad), JSON.stringify(bad)).toBeNull();
  });
});

describe('escapeValue writes the safe subset', () => {
  it.each([
    ['eth0', 'eth0'],
    ['192.0.2.10', '192.0.2.10'],
    ['System eth0', '"System eth0"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['$HOME', '"\\$HOME"'],
    ['`id`', '"\\`id\\`"'],
    ['a\\b', '"a\\\\b"'],
    ['', '""'],
  ])('%j -> %s', (value, written) => expect(escapeValue(value)).toBe(written));
  it('refuses control characters', () => {
    expect(() => escapeValue('a\nb')).toThrow(/control character/);
    expect(() => escapeValue('a\rb')).toThrow(/control character/);
  });
  it('reads back the same through bash and through the NM reader, running nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ttyconf-escape-'));
    const values = ['a b', "it's", '~root', `$(touch ${dir}/ran)`, `"; touch ${dir}/ran; "`, 'a#b', '*', '{a,b}', '!x'];
    const file = join(dir, 'ifcfg-x');
    writeFileSync(file, values.map((v, i) => `V${i}=${escapeValue(v)}\n`).join(''));
    const got = bashRead(file, values.map((_, i) => `V${i}`));
    values.forEach((v, i) => {
      expect(got[`V${i}`]).toBe(v);
      const r = unescapeValue(escapeValue(v));
      expect(r.ok && r.bytes).toBe(v);
    });
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });
});
