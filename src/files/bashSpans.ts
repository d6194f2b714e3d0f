// How bash reads a KEY=value file when network-scripts sources it, statement by statement, as far
// as ttyconf can follow it exactly.
//
// An edit replaces or removes whole lines, so it is safe only where ttyconf knows which lines make up
// each statement: `GATEWAY=x\ #"` is one word to bash (the `#` follows an escaped blank), so the `"`
// opens a quote that runs over the next lines, and replacing that line alone would leave the lines
// after it to run as commands. This module reads the file the way bash's tokenizer does (bash's
// parse.y: shell_getc, read_token, read_token_word, parse_matched_pair) for a subset of the language:
//
// - every statement is a blank line, a comment, or one assignment `NAME=word`, optionally followed by
//   blanks, one `;` and a comment;
// - the word is made of plain characters, backslash escapes, '...', $'...', "..." (with \ escapes),
//   and the expansions $NAME and ${NAME}, which run nothing;
// - backslash-newline is removed wherever bash removes it (outside single quotes), and `#` starts a
//   comment only where bash starts a new token.
//
// Anything else (a command, a pipe, a redirection, a here-document or here-string, $(...), `...`,
// ${NAME...} with an operator, $((...)), $"...", special parameters, a quote left open, a NUL byte)
// stops the reading: the file is refused for editing, naming the line, instead of guessed at.

/** One assignment statement: its key and the lines (0-based, inclusive) bash reads it from. */
export interface AssignmentSpan {
  readonly key: string;
  readonly first: number;
  readonly last: number;
}

/** A `$NAME` or `${NAME}` in a value: editing NAME would change what bash reads there. */
export interface Reference {
  readonly name: string;
  /** 1-based. */
  readonly line: number;
}

/** Why ttyconf will not edit a file, and the line (1-based) where bash's reading leaves the subset. */
export interface Refusal {
  readonly line: number;
  readonly reason: string;
}

export interface BashLayout {
  /**
   * For each line, the first line of the statement bash reads it in. Lines from a refused statement
   * on are their own start: that is how NetworkManager reads them.
   */
  readonly starts: readonly number[];
  /** Assignment statements in file order, up to the refused statement. */
  readonly assignments: readonly AssignmentSpan[];
  readonly references: readonly Reference[];
  readonly refusal: Refusal | null;
}

/** NetworkManager's rule for an assignment line. */
const NM_ASSIGNMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=/;
const BASH_ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=/;
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const BLANK = (c: string | null): boolean => c === ' ' || c === '\t';
/** Characters that end a word (bash's shellbreak), besides `<` and `>`, which are refused. */
const BREAK = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')']);
/** Special parameters: their values change from run to run or with the shell's state. */
const SPECIAL_PARAMETER = /[0-9*@#?$!-]/;
/**
 * Variables whose value bash makes up (a line number, a clock, a random number), and variables whose
 * assignment changes how bash reads or runs what follows (locale, POSIX mode, options) or fails
 * (read-only ones).
 */
const DYNAMIC = /^(BASH\w*|LINENO|RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|HISTCMD|FUNCNAME|GROUPS|DIRSTACK|PIPESTATUS|COMP_\w+|_)$/;
const SPECIAL_ASSIGNMENT = /^(BASH\w*|SHELLOPTS|POSIXLY_CORRECT|LANG|LC_\w+|IFS|UID|EUID|PPID|LINENO|RANDOM|SRANDOM|SECONDS|EPOCHREALTIME|EPOCHSECONDS|HISTCMD|FUNCNAME|GROUPS|DIRSTACK|PIPESTATUS|OPTIND|OPTERR|_)$/;

class Refused extends Error {
  constructor(readonly pos: number, readonly reason: string) {
    super(reason);
  }
}

/** bash's input: shell_getc, which drops backslash-newline pairs when asked to. */
class Input {
  pos = 0;
  /** Where a backslash-newline that bash removed ends the file: it would join a line appended after it. */
  danglingContinuation: number | null = null;
  constructor(readonly text: string) {}

  getc(removeQuotedNewline: boolean): string | null {
    if (removeQuotedNewline) {
      const from = this.pos;
      while (this.text[this.pos] === '\\' && this.text[this.pos + 1] === '\n') this.pos += 2;
      if (this.pos > from && this.pos >= this.text.length) this.danglingContinuation = this.pos - 2;
    }
    if (this.pos >= this.text.length) return null;
    return this.text[this.pos++]!;
  }

  ungetc(c: string | null): void {
    if (c !== null) this.pos--;
  }
}

/** Text from the file for a message: bytes that are not printable ASCII as \xHH. */
function visible(s: string): string {
  return s.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function show(c: string): string {
  return c === '\n' ? 'a newline' : `"${visible(c)}"`;
}

/** A line bash reads as a statement by itself that assigns nothing: blanks, or a comment. */
const QUIET_LINE = /^[ \t]*(?:#.*)?$/;
/**
 * A line bash reads as one whole assignment: NAME=word, then optional blanks and `;`, and a comment
 * only where a blank or the `;` ends the word (`#` inside a word is part of it). The word is
 * characters that end no word and start no expansion or quote, and one-line '...' or "..." with no
 * `$` or backquote inside. (A backslash or NUL anywhere sends the whole file to the tokenizer.)
 */
const PLAIN_ASSIGNMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=(?:[^ \t\n;&|()<>$`'"]|"[^"$`\n]*"|'[^'\n]*')*(?:[ \t]*;[ \t]*(?:#.*)?|[ \t]+(?:#.*)?)?$/;

/** Reads the file as bash does, as far as it stays in the subset ttyconf edits. */
export function bashLayout(text: string): BashLayout {
  return plainLayout(text) ?? tokenizedLayout(text);
}

/**
 * The layout of a file whose every line is a statement by itself (most ifcfg files), found with one
 * expression per line instead of bash's tokenizer: the same result (a test compares them), for about
 * a tenth of the first reading's cost on the console's first screen. Null when any line needs the
 * tokenizer.
 */
export function plainLayout(text: string): BashLayout | null {
  if (text.includes('\\') || text.includes('\x00')) return null;
  const lines = text === '' ? [] : (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');
  const starts: number[] = [];
  const assignments: AssignmentSpan[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!QUIET_LINE.test(line)) {
      const m = PLAIN_ASSIGNMENT.exec(line);
      if (!m || SPECIAL_ASSIGNMENT.test(m[1]!)) return null;
      assignments.push({ key: m[1]!, first: i, last: i });
    }
    starts.push(i);
  }
  return { starts, assignments, references: [], refusal: null };
}

/** bash's tokenizer (parse.y), for the subset above: any file, with the line where it leaves it. */
export function tokenizedLayout(text: string): BashLayout {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const lineCount = text === '' ? 0 : text.endsWith('\n') ? lineStarts.length - 1 : lineStarts.length;
  const lineOf = (pos: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  const lines = (text.endsWith('\n') ? text.slice(0, -1) : text).split('\n');

  const starts: number[] = [];
  const assignments: AssignmentSpan[] = [];
  const references: Reference[] = [];
  const input = new Input(text);
  let pending: Reference[] = [];

  const refuse = (pos: number, reason: string): never => {
    throw new Refused(pos, reason);
  };

  const reference = (name: string, pos: number): void => {
    if (DYNAMIC.test(name)) refuse(pos, `$${name} changes from one reading to the next`);
    pending.push({ name, line: lineOf(pos) + 1 });
  };

  /** After a `$` (at dollarPos) outside single quotes: $NAME, ${NAME}, $'...' or a literal `$`. Returns the next character. */
  const dollar = (dollarPos: number, inDouble: boolean): string | null => {
    const c = input.getc(true);
    if (c === null) return null;
    if (NAME_START.test(c)) {
      let name = c;
      let n = input.getc(true);
      while (n !== null && NAME_CHAR.test(n)) {
        name += n;
        n = input.getc(true);
      }
      reference(name, dollarPos);
      return n;
    }
    if (c === '{') {
      let name = '';
      let n = input.getc(true);
      while (n !== null && NAME_CHAR.test(n)) {
        name += n;
        n = input.getc(true);
      }
      if (n !== '}' || !/^[A-Za-z_]/.test(name)) refuse(dollarPos, '${...} other than ${NAME} (an expansion with an operator) is beyond what ttyconf reads');
      reference(name, dollarPos);
      return input.getc(true);
    }
    if (c === '(') refuse(dollarPos, '$(...) runs a command (or computes) when bash reads the file');
    if (c === '[') refuse(dollarPos, '$[...] computes when bash reads the file');
    if (SPECIAL_PARAMETER.test(c)) refuse(dollarPos, `$${c} is a special parameter of the shell`);
    if (!inDouble && c === "'") {
      ansiC(dollarPos);
      return input.getc(true);
    }
    if (!inDouble && c === '"') refuse(dollarPos, '$"..." is a translated string');
    return c; // a literal `$`
  };

  /** $'...' after the opening quote: backslash escapes any character, nothing is removed. */
  const ansiC = (openPos: number): void => {
    for (;;) {
      const c = input.getc(false);
      if (c === null) refuse(openPos, "the $'...' quote opened here is never closed");
      if (c === "'") return;
      if (c === '\\' && input.getc(false) === null) refuse(openPos, "the $'...' quote opened here is never closed");
    }
  };

  const single = (openPos: number): void => {
    for (;;) {
      const c = input.getc(false);
      if (c === null) refuse(openPos, "the '...' quote opened here is never closed");
      if (c === "'") return;
    }
  };

  const double = (openPos: number): void => {
    let c = input.getc(true);
    for (;;) {
      if (c === null) refuse(openPos, 'the "..." quote opened here is never closed');
      if (c === '"') return;
      if (c === '\\') {
        // The escaped character is taken as it is; a backslash-newline disappears.
        if (input.getc(false) === null) refuse(openPos, 'the "..." quote opened here is never closed');
        c = input.getc(true);
      } else if (c === '`') refuse(input.pos - 1, '`...` runs a command when bash reads the file');
      else if (c === '$') c = dollar(input.pos - 1, true);
      else c = input.getc(true);
    }
  };

  /** One word starting with c; returns how its text starts as bash's token holds it (a quote as itself). */
  const word = (first: string): string => {
    let token = '';
    let c: string | null = first;
    for (;;) {
      if (c === null) break;
      const at = input.pos - 1;
      if (c === '\\') {
        const next = input.getc(false);
        if (next === null) refuse(at, 'a backslash at the very end of the file (bash keeps it; a line ttyconf appends would join it)');
        token += c + next;
        c = input.getc(true);
        continue;
      }
      if (BREAK.has(c)) {
        input.ungetc(c);
        break;
      }
      token += c;
      if (c === "'") single(at);
      else if (c === '"') double(at);
      else if (c === '`') refuse(at, '`...` runs a command when bash reads the file');
      else if (c === '$') {
        c = dollar(at, false);
        continue;
      } else if (c === '<' || c === '>') refuse(at, `${show(c)} is a redirection (or a here-document, here-string or process substitution)`);
      else if (c === '\x00') refuse(at, 'a NUL byte (bash drops it)');
      c = input.getc(true);
    }
    return token;
  };

  /** A comment: bash drops everything up to the newline (a backslash does not continue it). */
  const comment = (): string | null => {
    let c = input.getc(false);
    while (c !== null && c !== '\n') {
      if (c === '\x00') refuse(input.pos - 1, 'a NUL byte (bash drops it)');
      c = input.getc(false);
    }
    return c;
  };

  /** Blanks, then the end of the statement: a newline, the end of the file, or a comment. */
  const endOfStatement = (): boolean => {
    let c = input.getc(true);
    while (BLANK(c)) c = input.getc(true);
    if (c === null || c === '\n') return true;
    if (c === '#') {
      comment();
      return true;
    }
    input.ungetc(c);
    return false;
  };

  let statementStart = 0;
  try {
    while (input.pos < text.length) {
      statementStart = input.pos;
      const firstLine = lineOf(statementStart);
      pending = [];
      let c = input.getc(true);
      while (BLANK(c)) c = input.getc(true);
      let key: string | null = null;
      if (c === null || c === '\n') {
        // a blank line
      } else if (c === '#') comment();
      else {
        const at = input.pos - 1;
        if (c === '\x00') refuse(at, 'a NUL byte (bash drops it)');
        if (BREAK.has(c) || c === '<' || c === '>') refuse(at, `${show(c)} is shell syntax: bash runs this line as a command`);
        const token = word(c);
        const m = BASH_ASSIGNMENT.exec(token);
        if (!m) refuse(at, `bash runs "${visible(token.slice(0, 40))}" as a command`);
        key = m![1]!;
        if (SPECIAL_ASSIGNMENT.test(key)) refuse(at, `${key} is a variable bash itself uses or keeps read-only`);
        if (!endOfStatement()) {
          const next = input.getc(true);
          if (next === ';') {
            if (!endOfStatement()) refuse(input.pos, 'more than one statement on a line');
          } else refuse(input.pos - 1, next !== null && !BREAK.has(next) && next !== '<' && next !== '>'
            ? `bash runs what follows the value of ${key} as a command`
            : `${show(next!)} after the value of ${key} is shell syntax (a command list, pipe, redirection or subshell)`);
        }
      }
      const end = input.pos;
      const lastLine = end > statementStart && text[end - 1] === '\n' ? lineOf(end - 1) : lineOf(Math.max(statementStart, end - 1));
      if (key !== null) {
        const nm = NM_ASSIGNMENT.exec(lines[firstLine] ?? '');
        if (nm?.[1] !== key) refuse(statementStart, `bash reads an assignment of ${key} that starts here, NetworkManager ${nm ? `one of ${nm[1]}` : 'none'}`);
        for (let i = firstLine + 1; i <= lastLine; i++) {
          const other = NM_ASSIGNMENT.exec(lines[i]!);
          if (other) refuse(lineStarts[i]!, `NetworkManager reads an assignment of ${other[1]} here, bash reads the line as part of the value of ${key} on line ${firstLine + 1}`);
        }
        assignments.push({ key, first: firstLine, last: lastLine });
      }
      if (input.danglingContinuation !== null) refuse(input.danglingContinuation, 'the file ends with a backslash-newline: bash would join it with a line added after it');
      for (let i = firstLine; i <= lastLine; i++) starts.push(firstLine);
      references.push(...pending);
    }
  } catch (e) {
    if (!(e instanceof Refused)) throw e;
    for (let i = starts.length; i < lineCount; i++) starts.push(i);
    return { starts, assignments, references, refusal: { line: lineOf(Math.min(e.pos, Math.max(0, text.length - 1))) + 1, reason: e.reason } };
  }
  return { starts, assignments, references, refusal: null };
}

/** The index after the last line of the statement that starts at line `i`. */
export function spanEnd(starts: readonly number[], i: number): number {
  let k = i + 1;
  while (k < starts.length && starts[k] === i) k++;
  return k;
}
