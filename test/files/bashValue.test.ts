import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT_HOME, bashBytes, bashValue, describeBashValue, quoteBytes } from '../../src/files/bashValue.js';
import { ShellVarsFile } from '../../src/files/shellVars.js';
import { CORPUS } from '../helpers/corpus.js';

/** The corpus TSV encoding: \\ \t \n \r \xHH -> bytes (as a latin1 string). */
function decodeField(f: string): string {
  return f.replace(/\\(\\|t|n|r|x([0-9a-fA-F]{2}))/g, (_m, c: string, hex?: string) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\');
}

/** The environment bash sources the files in: `~` and $HOME are root's home, as when ifup runs. */
const ENV = { PATH: '/usr/bin:/bin', HOME: ROOT_HOME, DEVNAME: 'dv0' };

/** What bash assigns to V0..Vn when it sources `lines` (each `Vi=...`), byte for byte; null when unset. */
function bashAssigns(lines: readonly string[]): (string | null)[] {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-bashvalue-'));
  const file = join(dir, 'ifcfg-x');
  writeFileSync(file, Buffer.from(lines.map((l) => l + '\n').join(''), 'latin1'));
  const script = `. "$1" >/dev/null 2>&1; for ((i = 0; i < $2; i++)); do k=V$i; if [ -n "\${!k+x}" ]; then printf 'S%s\\0' "\${!k}"; else printf 'U\\0'; fi; done`;
  const out = execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', script, 'bash', file, String(lines.length)], { env: ENV });
  return out.toString('latin1').split('\0').slice(0, lines.length).map((x) => (x.startsWith('S') ? x.slice(1) : null));
}

/** bashValue with the environment above filled in. */
function predicted(raw: string, earlier = new Map()): string | null {
  const v = bashValue(raw, earlier);
  if (v === null) return null;
  return v.map((p) => ('bytes' in p ? p.bytes : (ENV as Record<string, string>)[p.env] ?? '')).join('');
}

const HAND = [
  '$HOME', '${HOME}', '"$HOME/x"', '$UNSET_VAR', '"-K ${DEVNAME} tso on"', '~', '~/x', '~root', 'a:~/x:~', '"~"', 'a~', '~nosuchuser',
  'yes\r', "a'b'", '"a\\\'b"', '"a\\~"', "$'\\c1'", "$'\\c?'", "$'\\x41\\101\\u0041'", "$'a\\0b'", "$'\\q'", '\\$x', '$', '"a$"',
  'foo\\\nbar', '"a\\\nb"', '\xe9', 'a;', 'a #c', '"a b" #c', "$'a\\nb'", 'é',
];

describe('bashValue: what bash assigns, checked against bash itself', () => {
  it.each(HAND.map((raw) => [raw]))('%j', (raw) => {
    expect(predicted(raw)).toBe(bashAssigns([`V0=${raw}`])[0]);
  });

  const tsv = `${CORPUS}/unescape-cases-annotated.tsv`;
  it.skipIf(!existsSync(tsv))(`every corpus value that ttyconf follows (${tsv})`, () => {
    const inputs = readFileSync(tsv, 'latin1').split('\n').slice(1).filter((l) => l !== '').map((l) => decodeField(l.split('\t')[2] ?? ''));
    // $'\u..' above ASCII depends on the locale ifup runs in: ttyconf does not claim a value for it.
    const followed = inputs.filter((raw) => !raw.includes('\n') && ShellVarsFile.parse(`V0=${raw}\n`).bashRefusal() === null && predicted(raw) !== null);
    expect(followed.length).toBeGreaterThan(80);
    const got = bashAssigns(followed.map((raw, i) => `V${i}=${raw}`));
    followed.forEach((raw, i) => expect(predicted(raw), JSON.stringify(raw)).toBe(got[i]));
  });

  it('a reference to a key set earlier in the file takes its value', () => {
    const dev = bashValue('dv7', new Map());
    expect(bashValue('"x${DEVICE}y"', new Map([['DEVICE', dev]]))).toEqual([{ bytes: 'xdv7y' }]);
    expect(bashValue('$DEVICE', new Map([['DEVICE', null]]))).toBeNull();
  });
});

describe('how a warning names a value', () => {
  it('quotes bytes, escaping what is not printable', () => {
    expect(quoteBytes('yes\r')).toBe('"yes\\r"');
    expect(quoteBytes('a\\\'b')).toBe('"a\\\\\'b"');
    expect(quoteBytes('\xe9')).toBe('"\\xe9"');
    expect(quoteBytes('\xc3\xa9')).toBe('"é"');
    expect(quoteBytes('\x11')).toBe('"\\x11"');
  });
  it('names the variables bash takes from the environment', () => {
    expect(describeBashValue([{ env: 'HOME' }])).toBe('$HOME from the environment ifup runs in');
    expect(describeBashValue([{ env: 'A' }, { bytes: '/x' }])).toBe('$A + "/x" ($A from the environment ifup runs in)');
    expect(bashBytes([{ env: 'A' }])).toBeNull();
  });
});

describe('the warnings on values that bash and NetworkManager read differently', () => {
  const warning = (line: string): string | null | undefined => ShellVarsFile.parse(`DEVICE=dv1\n${line}\n`).read('ZONE')?.warning;
  it.each([
    ['ZONE=$HOME', 'NetworkManager reads "$HOME"; network-scripts (bash) read $HOME from the environment ifup runs in'],
    ['ZONE="-K ${DEVICE} tso on"', 'NetworkManager treats it as empty (""); network-scripts (bash) read "-K dv1 tso on"'],
    ['ZONE=a:~/x', 'NetworkManager reads "a:~/x"; network-scripts (bash) read "a:/root/x"'],
    ['ZONE=yes\r', 'NetworkManager reads "yes"; network-scripts (bash) read "yes\\r"'],
    ['ZONE="a\\\'b"', 'NetworkManager reads "a\'b"; network-scripts (bash) read "a\\\\\'b"'],
    ["ZONE=$'\\c1'", 'NetworkManager reads "\\\\c1"; network-scripts (bash) read "\\x11"'],
    ['ZONE=foo\\\nbar', 'NetworkManager treats it as empty (""); network-scripts (bash) read "foobar"'],
    ['ZONE=\xe9', 'NetworkManager treats it as empty (""); network-scripts (bash) read "\\xe9"'],
  ])('%j', (line, says) => {
    expect(warning(line)).toContain(says);
  });
  it.each(['ZONE=a;', "ZONE=$'a\\nb'", 'ZONE=\\$x', 'ZONE="it\'s"', 'ZONE=a #c'])('none where they agree: %j', (line) => {
    expect(warning(line)).toBeNull();
  });
});

it('bash itself is what the cases above were checked with', () => {
  expect(execFileSync('/bin/bash', ['--version'], { encoding: 'utf8' })).toMatch(/GNU bash/);
});
