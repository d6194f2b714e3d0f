// Values of shell-variable files (ifcfg-*, /etc/sysconfig/network) without a shell.
//
// Reading follows NetworkManager >= 1.6 (svUnescape): the interpretation NM, the stack in charge on
// almost every CentOS 7.4+/EL8/EL9 host, uses. Writing emits only the "safe subset" that bash, NM >= 1.6
// and NM <= 1.4 all read back as the same value, with nothing expanded or executed.
//
// Text is handled as "byte strings" (latin1: one char per byte) so files round-trip byte for byte.

export type Unescaped =
  | { readonly ok: true; readonly bytes: string; readonly bashDiffers: string | null }
  | { readonly ok: false; readonly reason: string };

const BLANKS = ' \t\n\v\f\r';
const OCTAL = /[0-7]/;
const HEX = /[0-9A-Fa-f]/;

/** UTF-8 bytes of a code point, extended to 5/6-byte forms as GLib's g_unichar_to_utf8 does. */
function codePointBytes(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  const len = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : cp < 0x200000 ? 4 : cp < 0x4000000 ? 5 : 6;
  const first = [0, 0, 0xc0, 0xe0, 0xf0, 0xf8, 0xfc][len]!;
  const out: number[] = [];
  let v = cp;
  for (let i = len - 1; i > 0; i--) {
    out[i] = (v & 0x3f) | 0x80;
    v = Math.floor(v / 64);
  }
  out[0] = v | first;
  return String.fromCharCode(...out);
}

/** Does the whole value look like what NM <= 1.4's svEscape wrote ("..." with every special escaped)? */
function looksLikeOldEscape(s: string): boolean {
  if (s.length < 2 || s[0] !== '"' || s[s.length - 1] !== '"') return false;
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined || i + 1 === s.length - 1 || !'"\'\\$`~'.includes(n)) return false;
      i++;
    } else if ('"\'$`~'.includes(c)) return false;
  }
  return true;
}

/** Reads `$'...'` starting after the opening quote; returns the bytes and the index after the closing quote. */
function ansiC(s: string, start: number): { bytes: string; end: number; controlEscape: boolean } | null {
  let out = '';
  let controlEscape = false;
  let i = start;
  const simple: Record<string, string> = {
    a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
    '?': '?', '"': '"', '\\': '\\', "'": "'",
  };
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") return { bytes: out, end: i + 1, controlEscape };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) return null;
    if (n in simple) {
      out += simple[n];
      i += 2;
    } else if (OCTAL.test(n)) {
      let j = i + 1;
      let v = 0;
      while (j < s.length && j < i + 4 && OCTAL.test(s[j]!)) v = v * 8 + Number(s[j++]);
      out += String.fromCharCode(v & 0xff);
      i = j;
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const max = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      let j = i + 2;
      let digits = '';
      while (j < s.length && digits.length < max && HEX.test(s[j]!)) digits += s[j++];
      if (digits === '') {
        out += '\\' + n;
        i += 2;
      } else {
        const v = parseInt(digits, 16);
        out += n === 'x' ? String.fromCharCode(v) : codePointBytes(v);
        i = j;
      }
    } else {
      if (n === 'c') controlEscape = true;
      out += '\\' + n;
      i += 2;
    }
  }
  return null;
}

/**
 * Decodes the raw text after `KEY=` as NetworkManager >= 1.6 does. The result is a byte string,
 * cut at the first NUL as NM's C strings are. `bashDiffers` says why bash would read something else.
 */
export function unescapeValue(raw: string): Unescaped {
  let out = '';
  let bashDiffers: string | null = null;
  const differs = (why: string): void => {
    bashDiffers ??= why;
  };
  if (raw.includes('\r')) differs('contains a carriage return (CRLF line ending?), which bash keeps');
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (BLANKS.includes(c) || c === ';') {
      // The value ends here: only blanks, at most one ';', then the end or a #comment may follow.
      let semicolons = 0;
      for (; i < raw.length; i++) {
        const t = raw[i]!;
        if (BLANKS.includes(t)) continue;
        if (t === ';' && ++semicolons === 1) continue;
        if (t === '#' && semicolons <= 1) return finish(out, bashDiffers);
        return { ok: false, reason: 'text after a blank or ";" (bash would run it as a command)' };
      }
      break;
    }
    if (c === '\\') {
      if (i + 1 >= raw.length) return { ok: false, reason: 'ends with a backslash' };
      out += raw[i + 1];
      i += 2;
    } else if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: 'has an unterminated single quote' };
      out += raw.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      const oldStyle = looksLikeOldEscape(raw);
      let j = i + 1;
      let closed = false;
      while (j < raw.length) {
        const d = raw[j]!;
        if (d === '"') {
          closed = true;
          j++;
          break;
        }
        if (d === '$' || d === '`') return { ok: false, reason: `has an unescaped "${d}" inside double quotes (bash would expand it)` };
        if (d === '\\' && j + 1 < raw.length) {
          const n = raw[j + 1]!;
          if ('$`"\\'.includes(n)) out += n;
          else if ((n === "'" || n === '~') && oldStyle) {
            out += n;
            differs(`uses the old escape \\${n}, which bash keeps as two characters`);
          } else out += '\\' + n;
          j += 2;
          continue;
        }
        out += d;
        j++;
      }
      if (!closed) return { ok: false, reason: 'has an unterminated double quote' };
      i = j;
    } else if (c === '$' && raw[i + 1] === "'") {
      const r = ansiC(raw, i + 2);
      if (!r) return { ok: false, reason: "has an unterminated $'...' quote" };
      if (r.controlEscape) differs("uses \\c in $'...', which bash reads as a control character");
      out += r.bytes;
      i = r.end;
    } else if ('|&()<>'.includes(c)) {
      return { ok: false, reason: `has an unquoted "${c}"` };
    } else {
      if (c === '$' || c === '`') differs(`has an unquoted "${c}", which bash expands or executes`);
      if (c === '~' && (i === 0 || raw[i - 1] === ':')) differs('has an unquoted "~", which bash expands to a home directory');
      out += c;
      i++;
    }
  }
  return finish(out, bashDiffers);
}

function finish(out: string, bashDiffers: string | null): Unescaped {
  const nul = out.indexOf('\0');
  return { ok: true, bytes: nul >= 0 ? out.slice(0, nul) : out, bashDiffers };
}

/** Byte string -> text, or null where the bytes are not valid UTF-8 (NM >= 1.34 rejects those). */
export function bytesToText(bytes: string): string | null {
  // ASCII is the same text in both (nearly every value): three Buffer round trips spared.
  if (isAscii(bytes)) return bytes;
  const buf = Buffer.from(bytes, 'latin1');
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : null;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

export function textToBytes(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

const BARE = /^[A-Za-z0-9._:/@%+,-]+$/;
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\x00-\x08\x0a-\x1f\x7f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Why a value cannot be written in the safe subset, or null when it can. */
export function unwritableReason(value: string): string | null {
  if (FORBIDDEN.test(value)) return 'contains a control character (line break, NUL, DEL...), which cannot be written safely';
  if (LONE_SURROGATE.test(value)) return 'is not valid Unicode text';
  return null;
}

/** The text to put after `KEY=`: bare when safe, else double-quoted with " \ $ ` escaped. */
export function escapeValue(value: string, forceQuotes = false): string {
  const reason = unwritableReason(value);
  if (reason) throw new Error(`value ${JSON.stringify(value)} ${reason}`);
  if (!forceQuotes && BARE.test(value)) return value;
  return '"' + value.replace(/["\\$`]/g, (m) => '\\' + m) + '"';
}
