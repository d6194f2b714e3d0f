// NetworkManager keyfiles (GLib GKeyFile syntax) read and edited in place: every line ttyconf does
// not change stays byte for byte (comments, order, unknown groups and keys, legacy key forms).
// The text is kept as a latin1 "byte string" so that no byte is lost; values are UTF-8 text.
//
// GKeyFile rules followed here (glib's gkeyfile.c, as NetworkManager uses it):
// - a line is, after leading blanks: empty, a comment ('#'), a group '[name]' (blanks may follow),
//   or 'key=value'; anything else, or a key before the first group, makes the file unreadable;
// - a trailing CR is dropped from each line; the key ends at the first '=' (trailing blanks trimmed);
//   the value starts after the blanks that follow '=' and keeps its trailing blanks;
// - escapes: \s \n \t \r \\ and, inside a list, \; ; any other backslash sequence is invalid;
// - a key given twice: the last wins; a group given twice: its keys merge.
import { type Result, err, ok } from '../model/result.js';
import { bytesToText, textToBytes } from './shvar.js';

export interface KeyfileSyntaxError {
  /** 1-based line number. */
  readonly line: number;
  readonly message: string;
}

type Line =
  | { readonly kind: 'group'; readonly name: string; readonly raw: string }
  | { readonly kind: 'entry'; readonly key: string; readonly value: string; readonly raw: string }
  | { readonly kind: 'other'; readonly raw: string };

/** Group names NetworkManager reads as one setting (its aliases). */
const ALIASES: Readonly<Record<string, string>> = {
  ethernet: '802-3-ethernet',
  '802-3-ethernet': 'ethernet',
  wifi: '802-11-wireless',
  '802-11-wireless': 'wifi',
  'wifi-security': '802-11-wireless-security',
  '802-11-wireless-security': 'wifi-security',
};

const BLANK = /^[ \t\n\r\f\v]*/;

function parseLine(raw: string, lineNo: number, inGroup: boolean): Result<Line, KeyfileSyntaxError> {
  const body = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  const start = body.replace(BLANK, '');
  if (start === '' || start.startsWith('#')) return ok({ kind: 'other', raw });
  if (start.startsWith('[')) {
    const m = /^\[([^\]]*)\][ \t]*$/.exec(start);
    if (m) {
      const name = m[1]!;
      // eslint-disable-next-line no-control-regex
      if (name === '' || name.includes('[') || /[\x00-\x1f\x7f]/.test(name)) {
        return err({ line: lineNo, message: `invalid group name "${name}"` });
      }
      return ok({ kind: 'group', name, raw });
    }
  }
  const eq = start.indexOf('=');
  if (eq <= 0) {
    return err({ line: lineNo, message: `line "${body}" is not a key-value pair, group, or comment` });
  }
  if (!inGroup) return err({ line: lineNo, message: 'a key before the first [group]: the file must start with a group' });
  const key = start.slice(0, eq).replace(/[ \t\n\r\f\v]+$/, '');
  if (!/^[^[\]=]+(\[[^[\]=]+\])?$/.test(key)) return err({ line: lineNo, message: `invalid key name "${key}"` });
  const value = start.slice(eq + 1).replace(BLANK, '');
  const bad = invalidEscape(value);
  if (bad) return err({ line: lineNo, message: `key ${key}: ${bad}` });
  return ok({ kind: 'entry', key, value, raw });
}

/** Why a raw value holds an escape GKeyFile rejects, or null. `\;` passes (lists need it). */
function invalidEscape(raw: string): string | null {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== '\\') continue;
    const c = raw[i + 1];
    if (c === undefined) return 'escape character at the end of the value';
    if (!'sntr\\;'.includes(c)) return `invalid escape sequence "\\${c}"`;
    i++;
  }
  return null;
}

/** A raw value decoded as GKeyFile does: one string, or the items of a list (split at unescaped ';'). */
function unescape(raw: string, list: boolean): string[] {
  const items: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[++i];
      cur += n === 's' ? ' ' : n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : (n ?? '');
    } else if (list && c === ';') {
      items.push(cur);
      cur = '';
    } else cur += c;
  }
  if (!list || cur !== '') items.push(cur);
  return items;
}

/**
 * A value in the form GKeyFile writes it (g_key_file_set_string / set_string_list): backslash,
 * LF and CR escaped, a leading space or TAB as \s / \t, and in a list each ';' as \;.
 */
export function escapeKeyfileValue(text: string, list = false): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (i === 0 && c === ' ') out += '\\s';
    else if (i === 0 && c === '\t') out += '\\t';
    else if (list && c === ';') out += '\\;';
    else out += c;
  }
  return out;
}

/** A list as GKeyFile writes it: every item escaped and followed by ';'. */
export function formatKeyfileList(items: readonly string[]): string {
  return items.map((i) => escapeKeyfileValue(i, true) + ';').join('');
}

export interface KeyfileEntry {
  readonly group: string;
  readonly key: string;
  /** The value as written in the file (escapes not decoded), as UTF-8 text. */
  readonly raw: string;
  /** 1-based line. */
  readonly line: number;
}

export class KeyFile {
  private lines: Line[];
  private endsWithNewline: boolean;

  private constructor(lines: Line[], endsWithNewline: boolean) {
    this.lines = lines;
    this.endsWithNewline = endsWithNewline;
  }

  /** Parses a latin1 byte string; the first line GKeyFile would reject is the error. */
  static parse(bytes: string): Result<KeyFile, KeyfileSyntaxError> {
    if (bytes === '') return ok(new KeyFile([], true));
    const endsWithNewline = bytes.endsWith('\n');
    const raws = (endsWithNewline ? bytes.slice(0, -1) : bytes).split('\n');
    const lines: Line[] = [];
    let inGroup = false;
    for (const [i, raw] of raws.entries()) {
      const r = parseLine(raw, i + 1, inGroup);
      if (!r.ok) return r;
      if (r.value.kind === 'group') inGroup = true;
      lines.push(r.value);
    }
    return ok(new KeyFile(lines, endsWithNewline));
  }

  static fromBuffer(buf: Buffer): Result<KeyFile, KeyfileSyntaxError> {
    return KeyFile.parse(buf.toString('latin1'));
  }

  /** A new, empty document. */
  static empty(): KeyFile {
    return new KeyFile([], true);
  }

  serialize(): string {
    if (this.lines.length === 0) return '';
    return this.lines.map((l) => l.raw).join('\n') + (this.endsWithNewline ? '\n' : '');
  }

  toBuffer(): Buffer {
    return Buffer.from(this.serialize(), 'latin1');
  }

  /** Group names in file order, each once (as spelled at its first occurrence). */
  groups(): string[] {
    const seen: string[] = [];
    for (const l of this.lines) if (l.kind === 'group' && !seen.includes(l.name)) seen.push(l.name);
    return seen;
  }

  hasGroup(group: string): boolean {
    return this.lines.some((l) => l.kind === 'group' && matches(l.name, group));
  }

  /** Every key=value in file order, with its group. */
  entries(): KeyfileEntry[] {
    const out: KeyfileEntry[] = [];
    let group = '';
    this.lines.forEach((l, i) => {
      if (l.kind === 'group') group = l.name;
      else if (l.kind === 'entry') out.push({ group, key: l.key, raw: text(l.value), line: i + 1 });
    });
    return out;
  }

  /** Line indexes of `key` in `group` (or its alias), in file order. */
  private find(group: string, key: string): number[] {
    const out: number[] = [];
    let cur: string | null = null;
    this.lines.forEach((l, i) => {
      if (l.kind === 'group') cur = l.name;
      else if (l.kind === 'entry' && cur !== null && matches(cur, group) && l.key === key) out.push(i);
    });
    return out;
  }

  /** The last line of `key` in `group` (the one GKeyFile uses), or undefined. */
  entry(group: string, key: string): KeyfileEntry | undefined {
    const i = this.find(group, key).at(-1);
    if (i === undefined) return undefined;
    const l = this.lines[i] as Line & { kind: 'entry' };
    return { group, key, raw: text(l.value), line: i + 1 };
  }

  /** The decoded string value of a key, or undefined when it is not set. */
  get(group: string, key: string): string | undefined {
    const e = this.entry(group, key);
    return e === undefined ? undefined : unescape(e.raw, false).join('');
  }

  /** The decoded items of a list key (`a;b;`), or undefined when it is not set. */
  getList(group: string, key: string): string[] | undefined {
    const e = this.entry(group, key);
    return e === undefined ? undefined : unescape(e.raw, true);
  }

  /** Keys of a group (and its alias) in file order, each once. */
  keys(group: string): string[] {
    const out: string[] = [];
    let cur: string | null = null;
    for (const l of this.lines) {
      if (l.kind === 'group') cur = l.name;
      else if (l.kind === 'entry' && cur !== null && matches(cur, group) && !out.includes(l.key)) out.push(l.key);
    }
    return out;
  }

  /** Sets a string value, written as GKeyFile escapes it. */
  set(group: string, key: string, value: string): void {
    this.setRaw(group, key, escapeKeyfileValue(value));
  }

  setList(group: string, key: string, items: readonly string[]): void {
    this.setRaw(group, key, formatKeyfileList(items));
  }

  setBoolean(group: string, key: string, value: boolean): void {
    this.setRaw(group, key, value ? 'true' : 'false');
  }

  /**
   * Sets an already escaped value: the key's last line is replaced in place (earlier, shadowed
   * lines of the same key go); a new key goes after the last key of the group; a new group at the end.
   */
  setRaw(group: string, key: string, raw: string): void {
    const bytes = textToBytes(raw);
    const line: Line = { kind: 'entry', key, value: bytes, raw: `${key}=${bytes}` };
    const at = this.find(group, key);
    const last = at.at(-1);
    if (last !== undefined) {
      const old = this.lines[last] as Line & { kind: 'entry' };
      if (at.length === 1 && old.value === bytes) return;
      this.lines[last] = line;
      this.removeLines(at.slice(0, -1));
      return;
    }
    const insertAt = this.insertionPoint(group);
    if (insertAt === null) {
      if (this.lines.length && this.lines.at(-1)!.raw.replace(/\r$/, '').trim() !== '') this.lines.push({ kind: 'other', raw: '' });
      this.lines.push({ kind: 'group', name: group, raw: `[${group}]` }, line);
      return;
    }
    this.lines.splice(insertAt, 0, line);
  }

  /** Adds an empty group at the end when the document lacks it. */
  ensureGroup(group: string): void {
    if (this.hasGroup(group)) return;
    if (this.lines.length && this.lines.at(-1)!.raw.replace(/\r$/, '').trim() !== '') this.lines.push({ kind: 'other', raw: '' });
    this.lines.push({ kind: 'group', name: group, raw: `[${group}]` });
  }

  /** Where a new key of `group` goes: after the last key of its last occurrence; null when absent. */
  private insertionPoint(group: string): number | null {
    let header: number | null = null;
    let lastEntry: number | null = null;
    let cur: string | null = null;
    this.lines.forEach((l, i) => {
      if (l.kind === 'group') {
        cur = l.name;
        if (matches(l.name, group)) {
          header = i;
          lastEntry = null;
        }
      } else if (l.kind === 'entry' && cur !== null && matches(cur, group)) lastEntry = i;
    });
    if (header === null) return null;
    return (lastEntry ?? header) + 1;
  }

  delete(group: string, key: string): void {
    this.removeLines(this.find(group, key));
  }

  /** Removes every key of `group` whose name matches. */
  deleteMatching(group: string, pattern: RegExp): void {
    const keys = this.keys(group).filter((k) => pattern.test(k));
    this.removeLines(keys.flatMap((k) => this.find(group, k)));
  }

  private removeLines(indexes: readonly number[]): void {
    if (indexes.length === 0) return;
    const drop = new Set(indexes);
    this.lines = this.lines.filter((_, i) => !drop.has(i));
  }
}

function matches(name: string, group: string): boolean {
  return name === group || ALIASES[group] === name;
}

/** A latin1 byte string as text: UTF-8 when it is valid UTF-8, else the bytes as they are. */
function text(bytes: string): string {
  return bytesToText(bytes) ?? bytes;
}

/** The file name NetworkManager gives a new profile: `<id>.nmconnection`, '/' and a leading '.' as '_'. */
export function keyfileNameFor(id: string): string {
  return `${id.replace(/\//g, '_').replace(/^\./, '_')}.nmconnection`;
}
