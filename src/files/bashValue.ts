// What bash assigns when network-scripts source an ifcfg file (initscripts' source_config is
// `. ifcfg-NAME`), for a value in the subset bashSpans.ts follows: plain characters, backslash
// escapes, '...', $'...', "..." and the expansions $NAME and ${NAME}, plus tilde expansion (at the
// start of the value and after each unquoted ":", as bash does in an assignment). Nothing is run.
//
// Text is a latin1 "byte string" (shvar.ts). The result is a list of parts: bytes, and references to
// variables the file does not set before (their value comes from the environment ifup runs in).

export type BashPart = { readonly bytes: string } | { readonly env: string };
export type BashValue = readonly BashPart[];

/** Root's home directory: what `~` and `~root` become when the scripts run as root (with HOME unset or /root). */
export const ROOT_HOME = '/root';

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OCTAL = /[0-7]/;
const HEX = /[0-9A-Fa-f]/;
const WORD_END = new Set([' ', '\t', '\n', ';']);

const ANSI_SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
  '\\': '\\', "'": "'", '"': '"', '?': '?',
};

/**
 * bash's value of the text after `KEY=` (which may run over several lines joined by
 * backslash-newline), with the values of the keys the file set before (`earlier`; null for a value
 * not known). Null where the text
 * leaves the subset (ttyconf then does not edit the file) or the value depends on the locale
 * (\u escapes above ASCII).
 */
export function bashValue(raw: string, earlier: ReadonlyMap<string, BashValue | null>): BashValue | null {
  const parts: BashPart[] = [];
  const lit = (s: string): void => {
    const last = parts[parts.length - 1];
    if (last && 'bytes' in last) parts[parts.length - 1] = { bytes: last.bytes + s };
    else parts.push({ bytes: s });
  };
  /** $NAME: the value the file gave NAME before, else the environment's; false when that value is not known. */
  const ref = (name: string): boolean => {
    const v = earlier.get(name);
    if (v === null) return false;
    if (v === undefined) {
      parts.push({ env: name });
      return true;
    }
    for (const p of v) {
      if ('bytes' in p) lit(p.bytes);
      else parts.push(p);
    }
    return true;
  };
  let i = 0;
  /** After a `$` at i - 1: $NAME, ${NAME}; false when the `$` is a literal one. */
  const expansion = (): boolean | null => {
    const c = raw[i];
    if (c !== undefined && NAME_START.test(c)) {
      let j = i;
      while (j < raw.length && NAME_CHAR.test(raw[j]!)) j++;
      if (!ref(raw.slice(i, j))) return null;
      i = j;
      return true;
    }
    if (c === '{') {
      const m = /^\{([A-Za-z_][A-Za-z0-9_]*)\}/.exec(raw.slice(i));
      if (!m) return null;
      if (!ref(m[1]!)) return null;
      i += m[0].length;
      return true;
    }
    if (c !== undefined && /[0-9*@#?$!([-]/.test(c)) return null;
    return false;
  };
  /** Tilde expansion at i (the start of the value, or after an unquoted ":"). */
  const tilde = (): boolean => {
    if (raw[i] !== '~') return false;
    let j = i + 1;
    while (j < raw.length && /[A-Za-z0-9._-]/.test(raw[j]!)) j++;
    const end = raw[j];
    if (end !== undefined && end !== '/' && end !== ':' && !WORD_END.has(end)) return false;
    const user = raw.slice(i + 1, j);
    if (user !== '' && user !== 'root') return false;
    lit(ROOT_HOME);
    i = j;
    return true;
  };

  tilde();
  while (i < raw.length) {
    const c = raw[i]!;
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === undefined) return null;
      if (n !== '\n') lit(n);
      i += 2;
    } else if (WORD_END.has(c)) {
      break;
    } else if (c === "'") {
      const end = raw.indexOf("'", i + 1);
      if (end < 0) return null;
      lit(raw.slice(i + 1, end));
      i = end + 1;
    } else if (c === '$' && raw[i + 1] === "'") {
      const r = ansiC(raw, i + 2);
      if (!r) return null;
      lit(r.bytes);
      i = r.end;
    } else if (c === '"') {
      i++;
      for (;;) {
        const d = raw[i];
        if (d === undefined) return null;
        if (d === '"') {
          i++;
          break;
        }
        if (d === '\\') {
          const n = raw[i + 1];
          if (n === undefined) return null;
          if ('$`"\\'.includes(n)) lit(n);
          else if (n !== '\n') lit('\\' + n);
          i += 2;
        } else if (d === '$') {
          i++;
          const e = expansion();
          if (e === null) return null;
          if (!e) lit('$');
        } else if (d === '`') return null;
        else {
          lit(d);
          i++;
        }
      }
    } else if (c === '$') {
      i++;
      const e = expansion();
      if (e === null) return null;
      if (!e) lit('$');
    } else if (c === '`' || '|&()<>'.includes(c)) {
      return null;
    } else {
      lit(c);
      i++;
      if (c === ':') tilde();
    }
  }
  // bash's strings are C strings: a NUL from $'\0' ends the value.
  return parts.map((p) => ('bytes' in p && p.bytes.includes('\0') ? { bytes: p.bytes.slice(0, p.bytes.indexOf('\0')) } : p));
}

/** bash's $'...' after the opening quote: the bytes and the index after the closing quote. */
function ansiC(s: string, start: number): { bytes: string; end: number } | null {
  let out = '';
  let i = start;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "'") return { bytes: out, end: i + 1 };
    if (c !== '\\') {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1];
    if (n === undefined) return null;
    if (n in ANSI_SIMPLE) {
      out += ANSI_SIMPLE[n];
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
        continue;
      }
      const v = parseInt(digits, 16);
      if (n !== 'x' && v > 0x7f) return null;
      out += String.fromCharCode(v);
      i = j;
    } else if (n === 'c') {
      // \cX: the control character X & 0x1f (\c? is DEL), as bash's ansicstr does.
      const x = s[i + 2];
      if (x === undefined || x === "'") {
        out += '\\c';
        i += 2;
        continue;
      }
      out += x === '?' ? '\x7f' : String.fromCharCode(x.toUpperCase().charCodeAt(0) & 0x1f);
      i += 3;
    } else {
      out += '\\' + n;
      i += 2;
    }
  }
  return null;
}

/** The bytes of a value without environment references; null when it has some. */
export function bashBytes(v: BashValue): string | null {
  let out = '';
  for (const p of v) {
    if (!('bytes' in p)) return null;
    out += p.bytes;
  }
  return out;
}

/** A byte string for a message: in double quotes, with \ " and control characters escaped, bytes that are not UTF-8 as \xHH. */
export function quoteBytes(bytes: string): string {
  const buf = Buffer.from(bytes, 'latin1');
  const text = buf.toString('utf8');
  const chars = Buffer.from(text, 'utf8').equals(buf) ? text : bytes;
  const esc: Record<string, string> = { '\\': '\\\\', '"': '\\"', '\r': '\\r', '\n': '\\n', '\t': '\\t' };
  let out = '';
  for (const ch of chars) {
    const code = ch.codePointAt(0)!;
    if (ch in esc) out += esc[ch];
    else if (code < 0x20 || code === 0x7f || (chars === bytes && code >= 0x80)) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `"${out}"`;
}

/** How a message names bash's value: `"text"`, or its parts joined with `+` and the variables named. */
export function describeBashValue(v: BashValue): string {
  const env = [...new Set(v.flatMap((p) => ('env' in p ? [p.env] : [])))];
  const text = v.length === 0 ? '""' : v.map((p) => ('bytes' in p ? quoteBytes(p.bytes) : `$${p.env}`)).join(' + ');
  if (env.length === 0) return text;
  if (v.length === 1) return `${text} from the environment ifup runs in`;
  return `${text} (${env.map((n) => `$${n}`).join(', ')} from the environment ifup runs in)`;
}
