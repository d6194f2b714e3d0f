// A KEY=value file (ifcfg-*, /etc/sysconfig/network) edited in place: every line ttyconf does not
// change stays byte for byte. The text is a latin1 "byte string" (see shvar.ts).
import { spanEnd, spanStarts } from './bashSpans.js';
import { bytesToText, escapeValue, textToBytes, unescapeValue } from './shvar.js';

const ASSIGNMENT = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)=/;

export interface ValueRead {
  readonly key: string;
  /** Decoded text as NetworkManager reads it; '' when NM treats it as empty ("badly quoted"). */
  readonly value: string;
  readonly line: number;
  readonly raw: string;
  /** Set when NM rejects the value or bash would read something else. */
  readonly warning: string | null;
}

export class ShellVarsFile {
  private lines: string[];
  private endsWithNewline: boolean;
  /** Decoded assignments and bash's line spans, kept until the next edit. */
  private parsed: ValueRead[] | null = null;
  private starts: number[] | null = null;

  private constructor(lines: string[], endsWithNewline: boolean) {
    this.lines = lines;
    this.endsWithNewline = endsWithNewline;
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

  private spanStarts(): number[] {
    this.starts ??= spanStarts(this.lines);
    return this.starts;
  }

  private edited(): void {
    this.parsed = null;
    this.starts = null;
  }

  /** The key assigned on line i; null for other lines and for lines inside another line's span. */
  private keyAt(i: number): string | null {
    if (this.spanStarts()[i] !== i) return null;
    return ASSIGNMENT.exec(this.lines[i]!)?.[1] ?? null;
  }

  /** Removes whole spans (an assignment and the lines bash reads as part of it), given their first lines. */
  private removeSpans(firstLines: readonly number[], keep?: { at: number; line: string }): void {
    const starts = this.spanStarts();
    const drop = new Set<number>();
    for (const i of firstLines) for (let k = i; k < spanEnd(starts, i); k++) drop.add(k);
    const out: string[] = [];
    this.lines.forEach((l, i) => {
      if (keep && i === keep.at) out.push(keep.line);
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
    this.lines.forEach((line, i) => {
      const m = this.keyAt(i) === null ? null : ASSIGNMENT.exec(line);
      if (!m) return;
      const key = m[1]!;
      const raw = line.slice(m[0].length);
      const span = spanEnd(starts, i) - i;
      if (span > 1) {
        out.push({ key, value: '', line: i + 1, raw, warning: `continues over ${span} lines: bash reads them as one value (running what follows the quote), NetworkManager only this line` });
        return;
      }
      const u = unescapeValue(raw);
      if (!u.ok) {
        out.push({ key, value: '', line: i + 1, raw, warning: `${u.reason}; NetworkManager treats it as empty` });
        return;
      }
      const text = bytesToText(u.bytes);
      if (text === null) {
        out.push({ key, value: '', line: i + 1, raw, warning: 'is not valid UTF-8; NetworkManager treats it as empty' });
        return;
      }
      out.push({ key, value: text, line: i + 1, raw, warning: u.bashDiffers ? `${u.bashDiffers}; bash and NetworkManager read it differently` : null });
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
   * Sets KEY: its last line is replaced, earlier duplicates removed, a new key appended at the end.
   * The value is written in the safe subset. A value equal to what is there already leaves the line alone.
   */
  set(key: string, value: string, opts: { quote?: boolean } = {}): void {
    const idx = this.lines.map((_, i) => i).filter((i) => this.keyAt(i) === key);
    const line = textToBytes(`${key}=${escapeValue(value, opts.quote ?? false)}`);
    const current = this.read(key);
    const last = idx[idx.length - 1];
    if (last === undefined) {
      this.lines.push(line);
      this.endsWithNewline = true;
      this.edited();
      return;
    }
    const keep = idx.length === 1 && current !== undefined && current.warning === null && current.value === value;
    if (keep) return;
    this.removeSpans(idx, { at: last, line });
  }

  delete(key: string): void {
    this.removeSpans(this.lines.map((_, i) => i).filter((i) => this.keyAt(i) === key));
  }

  /** Deletes every key matching the pattern (e.g. /^IPADDR\d*$/). */
  deleteMatching(pattern: RegExp): void {
    this.removeSpans(this.lines.map((_, i) => i).filter((i) => {
      const k = this.keyAt(i);
      return k !== null && pattern.test(k);
    }));
  }
}
