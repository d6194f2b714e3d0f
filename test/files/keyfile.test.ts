// The GKeyFile reader/editor: NetworkManager's own keyfile test inputs read without error and write
// back byte for byte; every escape case survives a round trip through NetworkManager's real parser.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeyFile, escapeKeyfileValue, formatKeyfileList, keyfileNameFor } from '../../src/files/keyfile.js';
import { CORPUS } from '../helpers/corpus.js';
import { NMCLI, NMCLI_SKIP, nmRead } from '../helpers/nmcli.js';

const dir = join(CORPUS, 'keyfile-tests');
const names = existsSync(dir) ? readdirSync(dir).sort() : [];

function parse(text: string): KeyFile {
  const r = KeyFile.parse(text);
  if (!r.ok) throw new Error(`line ${r.error.line}: ${r.error.message}`);
  return r.value;
}

describe.skipIf(names.length === 0)(`keyfile corpus (${dir})`, () => {
  it('has the 47 corpus files', () => expect(names.length).toBe(47));

  it.each(names)('%s: reads without error and writes back byte for byte', (name) => {
    const buf = readFileSync(join(dir, name));
    const r = KeyFile.fromBuffer(buf);
    expect(r.ok, r.ok ? '' : `line ${r.error.line}: ${r.error.message}`).toBe(true);
    if (r.ok) expect(r.value.toBuffer().equals(buf)).toBe(true);
  });

  it('reads the legacy forms NetworkManager still reads', () => {
    const k = parse(readFileSync(join(dir, 'Test_Wired_Connection'), 'latin1'));
    expect(k.get('ethernet', 'mac-address')).toBe('00:11:22:33:44:55');
    expect(k.getList('ipv4', 'addresses1')).toEqual(['192.168.0.5', '24', '192.168.0.1']);
    expect(k.getList('ipv4', 'dns')).toEqual(['4.2.2.1', 'bogus', '4.2.2.2']);
    expect(k.get('connection', 'id')).toBe('Test Wired Connection');
  });

  it('keeps the trailing blank of an id (Test_String_SSID)', () => {
    const k = parse(readFileSync(join(dir, 'Test_String_SSID'), 'latin1'));
    expect(k.get('connection', 'id')).toMatch(/ $/);
  });
});
if (names.length === 0) console.warn(`SKIPPED: keyfile corpus not found at ${dir}`);

describe('GKeyFile syntax errors are typed, with the line', () => {
  it.each([
    ['a key before the first group', 'id=x\n[connection]\n', 1, /first \[group\]/],
    ['a stray line', '[connection]\nid=x\nstray\n', 3, /not a key-value pair/],
    ['a line starting with ;', '[connection]\n; comment\n', 2, /not a key-value pair/],
    ['an invalid escape', '[connection]\nid=a\\qb\n', 2, /invalid escape sequence "\\q"/],
    ['an escape at the end', '[connection]\nid=a\\\n', 2, /end of the value/],
    ['an empty group name', '[]\nid=x\n', 1, /invalid group name/],
  ])('%s', (_what, text, line, message) => {
    const r = KeyFile.parse(text);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.line).toBe(line);
      expect(r.error.message).toMatch(message);
    }
  });

  it('accepts what GKeyFile accepts: indented lines, blanks after ], CRLF, # and ; in values', () => {
    const k = parse('  # c\r\n[connection]  \r\n  id = a#b;c \r\n');
    expect(k.get('connection', 'id')).toBe('a#b;c ');
    expect(k.serialize()).toBe('  # c\r\n[connection]  \r\n  id = a#b;c \r\n');
  });
});

describe('edits change only the keys they set', () => {
  const text = '# header\n[connection]\nid=eth0\n\n[802-3-ethernet]\nmtu=1400\n\n[ipv4]\naddresses1=192.0.2.1;24;192.0.2.254;\nmethod=manual\nmy-key=kept\n\n[user]\nx=y\n';

  it('replaces a key in place, adds a new one after the group\'s last key, removes others', () => {
    const k = parse(text);
    k.set('ipv4', 'method', 'auto');
    k.deleteMatching('ipv4', /^addresses?\d*$/);
    k.setList('ipv4', 'dns', ['192.0.2.53', '198.51.100.53']);
    k.set('ethernet', 'mac-address', '52:54:00:12:34:56');
    expect(k.serialize()).toBe('# header\n[connection]\nid=eth0\n\n[802-3-ethernet]\nmtu=1400\nmac-address=52:54:00:12:34:56\n\n[ipv4]\nmethod=auto\nmy-key=kept\ndns=192.0.2.53;198.51.100.53;\n\n[user]\nx=y\n');
  });

  it('a duplicate key: the last wins, and setting it drops the shadowed line', () => {
    const k = parse('[ipv4]\nmethod=manual\nmethod=auto\n');
    expect(k.get('ipv4', 'method')).toBe('auto');
    k.set('ipv4', 'method', 'manual');
    expect(k.serialize()).toBe('[ipv4]\nmethod=manual\n');
  });

  it('a missing group is appended after a blank line', () => {
    const k = parse('[connection]\nid=a\n');
    k.set('ipv4', 'method', 'auto');
    expect(k.serialize()).toBe('[connection]\nid=a\n\n[ipv4]\nmethod=auto\n');
  });

  it('names new files as NetworkManager does', () => {
    expect(keyfileNameFor('eth0')).toBe('eth0.nmconnection');
    expect(keyfileNameFor('.a/b')).toBe('_a_b.nmconnection');
  });
});

// Every escape case of GKeyFile: the text ttyconf writes reads back identically in NetworkManager.
const STRINGS: readonly [string, string][] = [
  ['plain', 'eth0'],
  ['a leading space', ' lead'],
  ['leading spaces', '   three'],
  ['a leading TAB', '\tlead'],
  ['trailing blanks', 'trail  '],
  ['inner blanks and TAB', 'a b\tc'],
  ['a backslash', 'a\\b'],
  ['backslash then s', 'a\\sb'],
  ['a trailing backslash', 'end\\'],
  ['a newline', 'two\nlines'],
  ['a carriage return', 'cr\rhere'],
  ['; and #', 'a;b #c'],
  ['a leading #', '#hash'],
  ['a leading [', '[x]'],
  ['= and quotes', 'k=v "q" \'s\''],
  ['UTF-8', 'Büro 1 – café'],
];
const LISTS: readonly [string, string[]][] = [
  ['domains', ['example.com', 'corp.example.org']],
  ['an item with ;', ['a;b', 'c']],
  ['an item with a backslash', ['a\\b']],
  ['an item with a leading blank', [' x', 'y ']],
  ['an item with \\;', ['a\\;b']],
];

describe('escapes read back identically by NetworkManager (nmcli --offline)', () => {
  it('writes the escapes GKeyFile writes', () => {
    expect(escapeKeyfileValue(' a\\b\n\r\tc ')).toBe('\\sa\\\\b\\n\\r\tc ');
    expect(escapeKeyfileValue('\tx')).toBe('\\tx');
    expect(formatKeyfileList(['a;b', 'c'])).toBe('a\\;b;c;');
  });

  it.skipIf(!NMCLI).each(STRINGS)('string: %s', (_what, value) => {
    const k = parse('[connection]\ntype=ethernet\n\n[ipv4]\nmethod=auto\n');
    k.set('connection', 'id', value);
    const nm = nmRead(k.toBuffer());
    expect(nm.ok, nm.ok ? '' : nm.message).toBe(true);
    if (!nm.ok) return;
    // NetworkManager's output parsed back: the same value (it also reads its own output identically).
    const back = parse(Buffer.from(nm.text, 'utf8').toString('latin1'));
    expect(back.get('connection', 'id')).toBe(value);
    expect(parse(k.serialize()).get('connection', 'id')).toBe(value);
  });

  it.skipIf(!NMCLI).each(LISTS)('list: %s', (_what, items) => {
    const k = parse('[connection]\nid=x\ntype=ethernet\n\n[ipv4]\nmethod=auto\n');
    k.setList('ipv4', 'dns-search', items);
    const nm = nmRead(k.toBuffer());
    expect(nm.ok, nm.ok ? '' : nm.message).toBe(true);
    if (!nm.ok) return;
    expect(parse(Buffer.from(nm.text, 'utf8').toString('latin1')).getList('ipv4', 'dns-search')).toEqual(items);
  });

  it.skipIf(!NMCLI)('what ttyconf rejects, NetworkManager rejects too', () => {
    expect(nmRead('[connection]\nid=a\\qb\ntype=ethernet\n').ok).toBe(false);
    const stray = nmRead('[connection]\nid=a\ntype=ethernet\nstray\n');
    expect(stray.ok).toBe(false);
    if (!stray.ok) expect(stray.message).toMatch(/not a key-value pair, group, or comment/);
    expect(nmRead('x=1\n[connection]\nid=a\ntype=ethernet\n').ok).toBe(false);
  });
});
if (!NMCLI) console.warn(NMCLI_SKIP);
