// The plain-line shortcut of bashLayout gives exactly what bash's tokenizer gives, on every file it
// takes; it takes the common ifcfg files and leaves everything else to the tokenizer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashLayout, plainLayout, tokenizedLayout } from '../../src/files/bashSpans.js';
import { CORPUS } from '../helpers/corpus.js';
import { CANARY, bashReadAll } from '../helpers/bashOracle.js';
import { ifcfgGenerator, prng } from '../helpers/ifcfgGenerator.js';

/** Lines at the edge of the shortcut's rule, each alone and in files with the others. */
const EDGE_LINES = [
  '',
  '   ',
  '\t',
  '# a comment',
  '  # indented comment ; & | < > $x `x` "',
  'DEVICE=eth0',
  '  IPADDR=192.0.2.1',
  'NAME="System eth0"',
  "NAME='System eth0'",
  'NAME="a"b\'c\'d',
  'ZONE=a#b',
  'ZONE=#b',
  'ZONE=a #b',
  'ZONE=a;',
  'ZONE=a ; # c',
  'ZONE=a;#c',
  'ZONE=a;b',
  'ZONE=a ;;',
  'ZONE=a b',
  'ZONE=a&',
  'ZONE=a|b',
  'ZONE=(a)',
  'ZONE=a>b',
  'ZONE=$HOME',
  'ZONE="$HOME"',
  "ZONE='$HOME'",
  'ZONE=`id`',
  'ZONE="unclosed',
  "ZONE='unclosed",
  'ZONE=a\r',
  '# comment\r',
  '\r',
  'ZONE=\xe9t\xe9',
  'ZONE=a\x85b',
  'ZONE=~/x*[y]{z}!',
  'ZONE=',
  'ZONE =a',
  'ZONE= a',
  '1ZONE=a',
  'LANG=C',
  'IFS=x',
  'BASH_ENV=x',
  'RANDOM=1',
  'echo hi',
  ';',
  'ZONE=a\\',
  'ZONE=a\\ b',
  'ZONE=a\x00b',
  'IPADDR0=""#{,"${UUID}"\'"\'',
];

/** Characters that matter to bash's tokenizer, and a few that do not. */
const ALPHABET = ['a', 'Z', '0', '_', '=', '"', "'", '#', ';', ' ', '\t', '$', '{', '}', '`', '&', '|', '<', '>', '(', ')', '\r', '\xe9', '~', '*'];

function same(text: string): void {
  const plain = plainLayout(text);
  if (plain !== null) expect(plain, JSON.stringify(text)).toEqual(tokenizedLayout(text));
  expect(bashLayout(text)).toEqual(tokenizedLayout(text));
}

describe('plainLayout', () => {
  it('agrees with the tokenizer on each edge line, with and without a final newline', () => {
    for (const line of EDGE_LINES) {
      same(line);
      same(`${line}\n`);
      same(`DEVICE=eth0\n${line}\nONBOOT=yes\n`);
    }
  });

  it('agrees with the tokenizer on every pair of edge lines', () => {
    for (const a of EDGE_LINES) for (const b of EDGE_LINES) same(`${a}\n${b}\n`);
  });

  it('agrees with the tokenizer on 3000 generated files (quotes, escapes, here-documents, commands)', () => {
    const next = ifcfgGenerator(prng(0x9a1d));
    let taken = 0;
    for (let i = 0; i < 3000; i++) {
      const text = next();
      if (plainLayout(text) !== null) taken++;
      same(text);
    }
    // The generator makes mostly files that need the tokenizer; some are plain.
    expect(taken).toBeGreaterThan(0);
  });

  it('agrees with the tokenizer on 20000 random lines after NAME= (seeded)', () => {
    const random = prng(0x51ab);
    let taken = 0;
    for (let i = 0; i < 20000; i++) {
      let line = random() < 0.2 ? '  ' : '';
      line += random() < 0.9 ? 'ZONE=' : '';
      for (let n = Math.floor(random() * 12); n > 0; n--) line += ALPHABET[Math.floor(random() * ALPHABET.length)]!;
      if (plainLayout(`${line}\n`) !== null) taken++;
      same(`${line}\n`);
    }
    // Both ways are exercised: lines the shortcut takes and lines it leaves to the tokenizer.
    expect(taken).toBeGreaterThan(2000);
    expect(taken).toBeLessThan(18000);
  });

  it('bash sources the files it takes without running anything, assigning exactly the keys it names', () => {
    // Besides the characters above, pieces that run a command writing the canary, or assign another
    // variable, wherever bash reads them so: a file the shortcut takes wrongly shows up as a command
    // bash ran or a key it did not name.
    const pieces = [...ALPHABET, `;: >${CANARY}`, ` : >${CANARY}`, `\`: >${CANARY}\``, `$(: >${CANARY})`, `&: >${CANARY}`, `|: >${CANARY}`, `#;: >${CANARY}`,
      ';X=1', ' X=1', '\nX=1', '&&X=1'];
    const random = prng(0x2b0d);
    const files: string[] = [];
    let tried = 0;
    while (files.length < 300) {
      let text = '';
      for (let n = 1 + Math.floor(random() * 4); n > 0; n--) {
        let line = random() < 0.2 ? '  ' : '';
        line += random() < 0.8 ? 'ZONE=' : '';
        for (let k = Math.floor(random() * 10); k > 0; k--) line += pieces[Math.floor(random() * pieces.length)]!;
        text += `${line}\n`;
      }
      tried++;
      if (plainLayout(text)?.assignments.length) files.push(text);
    }
    // The pieces that run commands reached the shortcut, which left them to the tokenizer.
    expect(tried).toBeGreaterThan(files.length * 2);
    // What bash has set before any file (its own and the environment's variables).
    const [empty, ...read] = bashReadAll(['', ...files]);
    const before = new Set(empty!.vars.keys());
    files.forEach((text, i) => {
      expect(read[i]!.ran, JSON.stringify(text)).toBe(false);
      const assigned = [...read[i]!.vars.keys()].filter((k) => !before.has(k)).sort();
      expect(assigned, JSON.stringify(text)).toEqual([...new Set(plainLayout(text)!.assignments.map((a) => a.key))].sort());
    });
  });

  it('takes the plain files and only those', () => {
    expect(plainLayout('DEVICE=eth0\nBOOTPROTO=none\n# note\n\nNAME="System eth0"\nIPADDR=192.0.2.1 # lab\n')).not.toBeNull();
    expect(plainLayout('DEVICE=eth0\nIPADDR=$ADDR\n')).toBeNull();
    expect(plainLayout('DEVICE=eth0\nNAME="a\nb"\n')).toBeNull();
    expect(plainLayout('DEVICE=eth0\nLANG=C\n')).toBeNull();
    expect(plainLayout('')).toEqual({ starts: [], assignments: [], references: [], refusal: null });
  });

  it('takes the demo trees\' ifcfg files', () => {
    const dir = join(import.meta.dirname, '../../demo/centos7/etc/sysconfig/network-scripts');
    const files = readdirSync(dir).filter((n) => n.startsWith('ifcfg-'));
    expect(files.length).toBeGreaterThan(0);
    for (const n of files) expect(plainLayout(readFileSync(join(dir, n), 'latin1')), n).not.toBeNull();
  });

  const corpus = join(CORPUS, 'ifcfg-rh');
  const names = existsSync(corpus) ? readdirSync(corpus).filter((n) => n.startsWith('ifcfg-')) : [];
  it.skipIf(names.length === 0)(`agrees with the tokenizer on NetworkManager's ifcfg corpus (${corpus})`, () => {
    let taken = 0;
    for (const n of names) {
      const text = readFileSync(join(corpus, n), 'latin1');
      if (plainLayout(text) !== null) taken++;
      same(text);
    }
    expect(taken).toBeGreaterThan(names.length / 2);
  });
});
