// Where bash's statements begin and end, case by case, with bash as the judge: each file here is
// one bash sources without running anything; an edit either is refused (the file left alone) or
// leaves bash running nothing and reading every other variable as before.
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bashLayout } from '../../src/files/bashSpans.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import { bashReadAll, declared } from '../helpers/bashOracle.js';
import { bashRead } from '../helpers/tree.js';

interface Case {
  readonly name: string;
  readonly text: string;
  /** The line the file is refused at; absent: editable. */
  readonly refusedAt?: number;
  /** Editable files: each assignment as key:first-last (1-based lines). */
  readonly statements?: string;
}

const RUN = 'echo x >canary';

const CASES: readonly Case[] = [
  // The reported file: `\ ` is an escaped blank, so `#` is inside the word and `"` opens a quote
  // that swallows the next two lines. NetworkManager reads `Y=` on the last line as a key.
  { name: 'escaped blank before # (the reported file)', text: `DEVICE=eth0\nGATEWAY=x\\ #"\n${RUN}\nY="\n`, refusedAt: 4 },
  { name: 'escaped blank before #, quote closed alone', text: `GATEWAY=x\\ #"\n${RUN}\n"\nY=1\n`, statements: 'GATEWAY:1-3 Y:4-4' },
  { name: "escaped blank before #, single quote", text: `GATEWAY=x\\ #'\n${RUN}\n'\n`, statements: 'GATEWAY:1-3' },
  { name: 'escaped tab before #', text: `GATEWAY=x\\\t#"\n${RUN}\n"\n`, statements: 'GATEWAY:1-3' },
  { name: 'continuation line starting with #', text: `GATEWAY=x\\\n#"\n${RUN}\n"\n`, statements: 'GATEWAY:1-4' },
  { name: 'continuation line starting with # after a blank: a comment', text: 'GATEWAY=x \\\n#"\nY=1\n', statements: 'GATEWAY:1-2 Y:3-3' },
  { name: 'continuation inside a word', text: 'GATEWAY=192.0.\\\n2.1\nY=1\n', statements: 'GATEWAY:1-2 Y:3-3' },
  { name: 'escaped backslash before the newline: no continuation', text: 'GATEWAY=a\\\\\nY=1\n', statements: 'GATEWAY:1-1 Y:2-2' },
  { name: 'comment ending in a backslash does not continue', text: '# note \\\nGATEWAY=1\n', statements: 'GATEWAY:2-2' },
  { name: 'comment after the value', text: 'GATEWAY=1 # "it\'s"\nY=2\n', statements: 'GATEWAY:1-1 Y:2-2' },
  { name: '# inside a word is not a comment', text: `GATEWAY=a#"\n${RUN}\n"\n`, statements: 'GATEWAY:1-3' },
  { name: "$'...' with an escaped quote", text: "GATEWAY=$'x\\' #'\nY=1\n", statements: 'GATEWAY:1-1 Y:2-2' },
  { name: "$'...' over two lines", text: "GATEWAY=$'a\nb'\nY=1\n", statements: 'GATEWAY:1-2 Y:3-3' },
  { name: "'...' keeps backslashes", text: "GATEWAY='a\\'\nY=1\n", statements: 'GATEWAY:1-1 Y:2-2' },
  { name: '"..." with an escaped quote and #', text: 'GATEWAY="a\\" #"\nY=1\n', statements: 'GATEWAY:1-1 Y:2-2' },
  { name: '"..." with a backslash-newline', text: 'GATEWAY="a\\\nb"\nY=1\n', statements: 'GATEWAY:1-2 Y:3-3' },
  { name: '$NAME and ${NAME}', text: 'Y="${HOME}/x$HOME"\nGATEWAY=1\n', statements: 'Y:1-1 GATEWAY:2-2' },
  { name: 'a literal $', text: 'Y="a$"\nGATEWAY=1$\n', statements: 'Y:1-1 GATEWAY:2-2' },
  { name: 'tilde expansion', text: 'Y=~/x:~\nGATEWAY=1\n', statements: 'Y:1-1 GATEWAY:2-2' },
  { name: 'a trailing ;', text: 'GATEWAY=1;\nY=2 ; # c\n', statements: 'GATEWAY:1-1 Y:2-2' },
  { name: 'CRLF line ends', text: 'GATEWAY=1\r\nY=2\r\n', statements: 'GATEWAY:1-1 Y:2-2' },
  { name: 'no final newline', text: 'Y=1\nGATEWAY=2', statements: 'Y:1-1 GATEWAY:2-2' },
  // Refused: constructs ttyconf does not follow.
  { name: 'two statements on a line', text: 'GATEWAY=1; Y=2\n', refusedAt: 1 },
  { name: 'two assignments in one command', text: 'GATEWAY=1 Y=2\n', refusedAt: 1 },
  { name: 'here-string', text: 'GATEWAY=x <<<"y"\n', refusedAt: 1 },
  { name: 'here-document', text: ': <<EOF\nGATEWAY=x\nEOF\n', refusedAt: 1 },
  { name: 'command substitution', text: 'Y=1\nGATEWAY=$(true)\n', refusedAt: 2 },
  { name: 'backticks inside double quotes', text: 'GATEWAY="`true`"\n', refusedAt: 1 },
  { name: 'arithmetic', text: 'GATEWAY=$((1+1))\n', refusedAt: 1 },
  { name: 'an expansion with an operator', text: 'GATEWAY=${Y:-1}\n', refusedAt: 1 },
  { name: 'a special parameter', text: 'GATEWAY=$1\n', refusedAt: 1 },
  { name: 'a translated string', text: 'GATEWAY=$"x"\n', refusedAt: 1 },
  { name: 'a quote never closed', text: 'Y=1\nGATEWAY="x\n', refusedAt: 2 },
  { name: 'a command', text: 'Y=1\ntrue\n', refusedAt: 2 },
  { name: 'a blank line holding a CR (a command to bash)', text: 'Y=1\r\n\r\n', refusedAt: 2 },
  { name: 'a command word after the value', text: 'GATEWAY=1 true\n', refusedAt: 1 },
  { name: 'a pipe', text: 'GATEWAY=1 | true\n', refusedAt: 1 },
  { name: 'in the background', text: 'GATEWAY=1 &\n', refusedAt: 1 },
  { name: 'a key split by a backslash-newline', text: 'GATE\\\nWAY=1\n', refusedAt: 1 },
  { name: 'a continuation before the key', text: '\\\nGATEWAY=1\n', refusedAt: 1 },
  { name: 'a value that hides a key NetworkManager reads', text: 'Y="a\nGATEWAY=1"\n', refusedAt: 2 },
  { name: 'a backslash-newline at the end of the file', text: 'GATEWAY=1\\\n', refusedAt: 1 },
  { name: 'a bash variable', text: 'LANG=C\nGATEWAY=1\n', refusedAt: 1 },
  { name: 'a line number', text: 'Y=$LINENO\nGATEWAY=1\n', refusedAt: 1 },
  { name: 'an array', text: 'Y=(a b)\n', refusedAt: 1 },
  { name: 'a subscript', text: 'Y[0]=a\n', refusedAt: 1 },
  { name: 'an append', text: 'Y+=a\n', refusedAt: 1 },
  { name: 'a NUL byte', text: 'Y=a\0b\n', refusedAt: 1 },
];

function spans(text: string): string {
  return bashLayout(text).assignments.map((a) => `${a.key}:${a.first + 1}-${a.last + 1}`).join(' ');
}

describe('where bash statements begin and end', () => {
  const readings = bashReadAll(CASES.map((c) => c.text));

  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s', (_name, c, i) => {
    expect(readings[i]!.ran, 'bash runs nothing in the file as written').toBe(false);
    const layout = bashLayout(c.text);
    if (c.refusedAt !== undefined) {
      expect(layout.refusal?.line).toBe(c.refusedAt);
      const f = ShellVarsFile.parse(c.text);
      f.set('GATEWAY', '192.0.2.1');
      expect(f.refused()).toEqual(layout.refusal);
      expect(f.serialize()).toBe(c.text);
      return;
    }
    expect(layout.refusal).toBeNull();
    expect(spans(c.text)).toBe(c.statements);
    const set = ShellVarsFile.parse(c.text);
    set.set('GATEWAY', '192.0.2.1');
    const removed = ShellVarsFile.parse(c.text);
    removed.delete('GATEWAY');
    const [afterSet, afterDelete] = bashReadAll([set.serialize(), removed.serialize()]);
    const before = new Map(readings[i]!.vars);
    expect(afterSet!.ran).toBe(false);
    expect(afterSet!.vars).toEqual(new Map(before).set('GATEWAY', declared('GATEWAY', '192.0.2.1')));
    expect(afterDelete!.ran).toBe(false);
    const withoutGateway = new Map(before);
    withoutGateway.delete('GATEWAY');
    expect(afterDelete!.vars).toEqual(withoutGateway);
  });
});

describe('the reported file, with a real `touch`', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-spans-'));
  const canary = join(dir, 'canary');
  const text = `DEVICE=eth0\nBOOTPROTO=none\nIPADDR=192.0.2.10\nPREFIX=24\nGATEWAY=x\\ #"\ntouch ${canary}\nY="\n`;

  it('is inert as it is, and ttyconf refuses to edit it instead of leaving `touch` to run', () => {
    const path = join(dir, 'ifcfg-eth0');
    writeFileSync(path, text);
    expect(bashRead(path, ['GATEWAY'])).toEqual({ GATEWAY: `x #\ntouch ${canary}\nY=` });
    expect(() => statSync(canary)).toThrow();

    const f = ShellVarsFile.parse(text);
    f.set('GATEWAY', '192.0.2.1');
    expect(f.refused()).toEqual({ line: 7, reason: 'NetworkManager reads an assignment of Y here, bash reads the line as part of the value of GATEWAY on line 5' });
    expect(f.serialize()).toBe(text);
  });
});
