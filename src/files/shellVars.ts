// A KEY=value file (ifcfg-*, /etc/sysconfig/network) edited in place: every line ttyconf does not
// change stays byte for byte. The text is a latin1 "byte string" (see shvar.ts).
import { type AssignmentSpan, type BashLayout, type Refusal, bashLayout, spanEnd } from './bashSpans.js';
import { type BashValue, bashBytes, bashValue, describeBashValue, quoteBytes } from './bashValue.js';
import { bytesToText, escapeValue, textToBytes, unescapeValue } from './shvar.js';

const ASSIGNMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=/;
const PLAIN_VALUE = /^(?:[A-Za-z0-9_.,:/@%+=-]*|"([A-Za-z0-9_.,:/@%+=\- !#&'()*;<>?[\]^{|}~]*)")$/;

/**
 * The text of a value (what follows `KEY=` on one line) that bash and NetworkManager both read the
 * same without the full readers, or null: ASCII that neither quotes, escapes, expands (no `~`, which
 * bash expands in an assignment) nor ends a word, or printable ASCII inside one pair of double
 * quotes with no `$`, backquote, backslash or `"`. Most values are.
 */
export function plainValue(raw: string): string | null {
  const m = PLAIN_VALUE.exec(raw);
  return m ? (m[1] ?? raw) : null;
}

export interface ValueRead {
  readonly key: string;
  /** Decoded text as NetworkManager reads it; '' when NM treats it as empty ("badly quoted"). */
  readonly value: string;
  readonly line: number;
  readonly raw: string;
  /** Set when NM rejects the value or bash would read something else. */
  readonly warning: string | null;
}

type NmReading =
  | { readonly ok: true; readonly text: string; readonly bashDiffers: string | null }
  | { readonly ok: false; readonly reason: string };

/** The value as NetworkManager >= 1.34 reads it: decoded and valid UTF-8, or treated as empty. */
function nmReading(raw: string): NmReading {
  const u = unescapeValue(raw);
  if (!u.ok) return u;
  const text = bytesToText(u.bytes);
  if (text === null) return { ok: false, reason: 'is not valid UTF-8' };
  return { ok: true, text, bashDiffers: u.bashDiffers };
}

export class ShellVarsFile {
  private lines: string[];
  private endsWithNewline: boolean;
  /** Decoded assignments and bash's reading of the lines, kept until the next edit. */
  private parsed: ValueRead[] | null = null;
  private bash: BashLayout | null = null;
  private originalBash: BashLayout | null = null;
  /** The first edit refused (the file is left as it was from then on). */
  private refusal: Refusal | null = null;
  /** The file as read: a refused edit puts it back, so no part of a refused change is left. */
  private readonly original: { readonly lines: readonly string[]; readonly endsWithNewline: boolean };

  private constructor(lines: string[], endsWithNewline: boolean) {
    this.lines = lines;
    this.endsWithNewline = endsWithNewline;
    this.original = { lines: [...lines], endsWithNewline };
  }

  static parse(bytes: string): ShellVarsFile {
    if (bytes === '') return new ShellVarsFile([], true);
    const endsWithNewline = bytes.endsWith('\n');
    const lines = (endsWithNewline ? bytes.slice(0, -1) : bytes).split('\n');
    return new ShellVarsFile(lines, endsWithNewline);
  }

  static fromBuffer(buf: Buffer): ShellVarsFile {
    return ShellVarsFile.parse(buf.toString('latin1'));
  }

  serialize(): string {
    if (this.lines.length === 0) return '';
    return this.lines.join('\n') + (this.endsWithNewline ? '\n' : '');
  }

  toBuffer(): Buffer {
    return Buffer.from(this.serialize(), 'latin1');
  }

  private layout(): BashLayout {
    this.bash ??= bashLayout(this.serialize());
    return this.bash;
  }

  private spanStarts(): readonly number[] {
    return this.layout().starts;
  }

  private edited(): void {
    this.parsed = null;
    this.bash = null;
  }

  /**
   * Where bash's reading of the file leaves what ttyconf can follow exactly (a command, a here-document,
   * $(...), a quote never closed, ...): no edit is made to such a file. Null when every line is understood.
   */
  bashRefusal(): Refusal | null {
    return this.layout().refusal;
  }

  /** The first edit this file refused; the caller must not write the file then. */
  refused(): Refusal | null {
    return this.refusal;
  }

  /** bash's reading of the file as it was read: refusals name its lines, not those of an edit under way. */
  private originalLayout(): BashLayout {
    this.originalBash ??= bashLayout(this.original.lines.length ? this.original.lines.join('\n') + (this.original.endsWithNewline ? '\n' : '') : '');
    return this.originalBash;
  }

  /** Whether an edit that changes KEYS may go ahead; records the refusal when not. */
  private mayEdit(changes: (key: string) => boolean): boolean {
    if (this.refusal) return false;
    const layout = this.originalLayout();
    // ttyconf writes no $ that expands, so every reference is one the file had.
    const ref = layout.references.find((r) => changes(r.name));
    this.refusal = layout.refusal
      ?? (ref ? { line: ref.line, reason: `a value refers to $${ref.name}, which this change sets or removes: bash would read that value differently` } : null);
    if (this.refusal === null) return true;
    this.lines = [...this.original.lines];
    this.endsWithNewline = this.original.endsWithNewline;
    this.edited();
    return false;
  }

  /** Whether bash's reading of the whole file is understood; records the refusal when not. */
  private understood(): boolean {
    return this.mayEdit(() => false);
  }

  /** The statements that assign a matching key, in file order. */
  private statementsOf(matches: (key: string) => boolean): AssignmentSpan[] {
    return this.layout().assignments.filter((a) => matches(a.key));
  }

  /** The key assigned on line i; null for other lines and for lines inside another line's span. */
  private keyAt(i: number): string | null {
    return this.assignmentAt(i)?.[1] ?? null;
  }

  /** ASSIGNMENT's match on line i (the key in [1]); null as for keyAt. */
  private assignmentAt(i: number): RegExpExecArray | null {
    return this.spanStarts()[i] === i ? ASSIGNMENT.exec(this.lines[i]!) : null;
  }

  /** Removes whole statements (an assignment and every line bash reads as part of it); `put` takes the place of one. */
  private removeStatements(statements: readonly AssignmentSpan[], put?: { at: AssignmentSpan; line: string }): void {
    const drop = new Set<number>();
    for (const s of statements) for (let k = s.first; k <= s.last; k++) drop.add(k);
    const out: string[] = [];
    this.lines.forEach((l, i) => {
      if (put && i === put.at.first) out.push(put.line);
      else if (!drop.has(i)) out.push(l);
    });
    this.lines = out;
    this.edited();
  }

  /** Every assignment in file order (a key may occur more than once; the last wins). */
  entries(): readonly ValueRead[] {
    this.parsed ??= this.parseEntries();
    return this.parsed;
  }

  private parseEntries(): ValueRead[] {
    const out: ValueRead[] = [];
    const starts = this.spanStarts();
    const refusal = this.layout().refusal;
    /** bash's value of each key so far, in file order (null: not known). */
    const bash = new Map<string, BashValue | null>();
    this.lines.forEach((line, i) => {
      const m = this.assignmentAt(i);
      if (!m) return;
      const key = m[1]!;
      const raw = line.slice(m[0].length);
      const span = spanEnd(starts, i) - i;
      const plain = span === 1 && refusal === null ? plainValue(raw) : null;
      if (plain !== null) {
        bash.set(key, plain === '' ? [] : [{ bytes: plain }]);
        out.push({ key, value: plain, line: i + 1, raw, warning: null });
        return;
      }
      // What network-scripts assign (the file sourced by bash), where ttyconf follows bash's reading.
      const statement = [raw, ...this.lines.slice(i + 1, i + span)].join('\n');
      const bv = refusal && refusal.line <= i + span ? null : bashValue(statement, bash);
      bash.set(key, bv);
      const nm = nmReading(raw);
      const value = nm.ok ? nm.text : '';
      const bashBytesRead = bv && bashBytes(bv);
      if (bv && nm.ok && bashBytesRead === textToBytes(nm.text)) {
        out.push({ key, value, line: i + 1, raw, warning: null });
        return;
      }
      const why = span > 1 ? `continues over ${span} lines (bash joins them, NetworkManager reads only the first)` : nm.ok ? nm.bashDiffers : nm.reason;
      if (bv) {
        const nmSays = nm.ok ? `NetworkManager reads ${quoteBytes(textToBytes(nm.text))}` : 'NetworkManager treats it as empty ("")';
        out.push({ key, value, line: i + 1, raw, warning: `${why ?? 'is read differently by bash'}: ${nmSays}; network-scripts (bash) read ${describeBashValue(bv)}` });
        return;
      }
      // bash's reading is beyond what ttyconf follows (the file is refused for editing): say what is known.
      if (span > 1) out.push({ key, value: '', line: i + 1, raw, warning: `continues over ${span} lines: bash reads them as one value, NetworkManager only this line` });
      else if (!nm.ok) out.push({ key, value: '', line: i + 1, raw, warning: `${nm.reason}; NetworkManager treats it as empty` });
      else out.push({ key, value, line: i + 1, raw, warning: nm.bashDiffers ? `${nm.bashDiffers}; bash and NetworkManager read it differently` : null });
    });
    return out;
  }

  /** The last assignment of KEY, as NetworkManager >= 1.6 reads it. */
  read(key: string): ValueRead | undefined {
    return this.entries().findLast((e) => e.key === key);
  }

  get(key: string): string | undefined {
    return this.read(key)?.value;
  }

  has(key: string): boolean {
    return this.lines.some((_, i) => this.keyAt(i) === key);
  }

  keys(): string[] {
    return [...new Set(this.entries().map((e) => e.key))];
  }

  /**
   * Sets KEY: its last statement is replaced, earlier ones removed, a new key appended at the end.
   * The value is written in the safe subset. A value equal to what is there already leaves the line
   * alone. Refused (see refused()) when bash's reading of the file is beyond what ttyconf follows, or a
   * value refers to $KEY.
   */
  set(key: string, value: string, opts: { quote?: boolean } = {}): void {
    if (!this.understood()) return;
    const statements = this.statementsOf((k) => k === key);
    const current = this.read(key);
    const keep = statements.length === 1 && current !== undefined && current.warning === null && current.value === value;
    if (keep || !this.mayEdit((k) => k === key)) return;
    const line = textToBytes(`${key}=${escapeValue(value, opts.quote ?? false)}`);
    const last = statements[statements.length - 1];
    if (last === undefined) {
      this.lines.push(line);
      this.endsWithNewline = true;
      this.edited();
      return;
    }
    this.removeStatements(statements, { at: last, line });
  }

  delete(key: string): void {
    this.deleteMatching({ test: (k: string) => k === key });
  }

  /** Deletes every key matching the pattern (e.g. /^IPADDR\d*$/). Refused as set() is. */
  deleteMatching(pattern: { test(key: string): boolean }): void {
    if (!this.understood()) return;
    const statements = this.statementsOf((k) => pattern.test(k));
    if (statements.length === 0) return;
    const removed = new Set(statements.map((a) => a.key));
    if (this.mayEdit((k) => removed.has(k))) this.removeStatements(statements);
  }
}
