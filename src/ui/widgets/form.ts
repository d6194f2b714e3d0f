// A form: labelled fields, each error written under the field it concerns (all at once, in words,
// never by color alone), and what was typed is kept through errors and back from the review.
// Tab / Shift-Tab and Up/Down move between fields, Enter submits, Esc cancels.
import type { FieldError } from '../../model/fieldError.js';
import { type PlanError, formatPlanError, isFileRefusal } from '../../model/planError.js';
import type { Result } from '../../model/result.js';
import type { Change } from '../../model/types.js';
import type { Key } from '../keys.js';
import { type KeyHelp, type Line, bold, focus, line, padRight, seg, wrap } from '../text.js';
import type { Frame, Screens, Size, View } from '../view.js';

export interface TextField {
  readonly kind: 'text';
  readonly id: string;
  readonly label: string;
  value: string;
  /** Shown right of the field when there is room. */
  readonly hint?: string;
  /**
   * Width of the input box: the longest valid value (an IPv6 address 39, a hostname 64), narrowed
   * only by the terminal; default 28. Content scrolled out of view is marked by '<' and '>' in
   * place of the brackets.
   */
  readonly width?: number;
  readonly maxLength?: number;
  /** False: shown read-only and skipped by Tab (an address while DHCP is chosen). */
  readonly enabled?: () => boolean;
  /** Said after the value while the field is disabled. */
  readonly disabledNote?: string;
  /** A password: shown as `*`, one per character typed. */
  readonly mask?: boolean;
}

export interface ChoiceField {
  readonly kind: 'choice';
  readonly id: string;
  readonly label: string;
  readonly options: readonly { readonly value: string; readonly label: string; readonly key: string }[];
  value: string;
  readonly hint?: string;
}

export type Field = TextField | ChoiceField;

export interface FormSpec {
  readonly title: string;
  /** Lines above the fields: what is being edited and its current values. */
  readonly intro: () => readonly Line[];
  readonly fields: readonly Field[];
  /** Turns the values into the changes to review, or every input error. */
  readonly submit: (values: ReadonlyMap<string, string>) => Result<readonly Change[], readonly FieldError[]>;
  /** The field (id) an error belongs under; null puts it above the fields. Default: its field name. */
  readonly fieldOf?: (e: FieldError) => string | null;
  /**
   * What a valid form leads to, given by the feature (the review of the changes, the next step of
   * the first-boot wizard, the test): returns errors to show under the fields instead, or null.
   */
  readonly next: (changes: readonly Change[]) => readonly PlanError[] | null;
  /** False for a form that never writes (Test network): its errors do not say "nothing was written". */
  readonly writes?: boolean;
  /** What Enter does, on the key line; default "Review". */
  readonly submitWord?: string;
  /** What Esc does; default back to the screen before (the first-boot wizard goes one step back). */
  readonly cancel?: () => void;
}

/**
 * An error in the words of the screen: under a field it names the field by its visible label, and
 * a masked field's value is never repeated.
 */
export function errorText(e: PlanError, f?: Field): string {
  if (isFileRefusal(e) || !f) return formatPlanError(e);
  if (f.kind === 'text' && f.mask) return `${f.label} ${e.rule}`;
  return `${f.label}: "${e.value}" ${e.rule}`;
}

const LABEL_WIDTH = 16;
const GUTTER = 2;
const DEFAULT_BOX = 28;

export class FormView implements View {
  readonly title: string;
  focused: number;
  errors: readonly PlanError[] = [];
  private readonly cursor = new Map<string, number>();
  private readonly offset = new Map<string, number>();

  constructor(private readonly screens: Pick<Screens, 'back'>, readonly spec: FormSpec) {
    this.title = spec.title;
    this.focused = Math.max(0, spec.fields.findIndex((f) => this.enabled(f)));
    for (const f of spec.fields) if (f.kind === 'text') this.cursor.set(f.id, f.value.length);
  }

  field(id: string): Field | undefined {
    return this.spec.fields.find((f) => f.id === id);
  }

  values(): Map<string, string> {
    return new Map(this.spec.fields.map((f) => [f.id, f.value]));
  }

  private enabled(f: Field): boolean {
    return f.kind === 'choice' || (f.enabled?.() ?? true);
  }

  private fieldFor(e: PlanError): string | null {
    if (isFileRefusal(e)) return null;
    const id = this.spec.fieldOf ? this.spec.fieldOf(e) : e.field;
    return id !== null && this.field(id) ? id : null;
  }

  private boxWidth(f: TextField, size: Size): number {
    return Math.max(8, Math.min(f.width ?? DEFAULT_BOX, size.width - GUTTER - LABEL_WIDTH - 2));
  }

  render(size: Size): Frame {
    const lines: Line[] = [...this.spec.intro()];
    if (lines.length) lines.push([]);
    const errorLines = (errs: readonly PlanError[], indent: number, f?: Field): void => {
      for (const e of errs) {
        wrap(errorText(e, f), size.width - indent - 2).forEach((t, k) => {
          lines.push([seg(' '.repeat(indent)), bold(k === 0 ? '! ' : '  '), bold(t)]);
        });
      }
    };
    if (this.errors.length) {
      const n = this.errors.length;
      const fixable = this.errors.filter((e) => !isFileRefusal(e)).length;
      const fix = fixable ? ` Fix the field${fixable === 1 ? '' : 's'} marked !` : '';
      const written = this.spec.writes === false ? '' : ': nothing was written';
      lines.push([bold(`! ${n} problem${n === 1 ? '' : 's'}${written}.${fix}`)]);
      errorLines(this.errors.filter((e) => this.fieldFor(e) === null), 0);
      lines.push([]);
    }
    let focusRow = 0;
    let cursor: Frame['cursor'];
    this.spec.fields.forEach((f, i) => {
      const isFocused = i === this.focused;
      let hintBelow: string | null = null;
      const errs = this.errors.filter((e) => this.fieldFor(e) === f.id);
      const gutter = `${isFocused ? '>' : ' '}${errs.length ? '!' : ' '}`;
      const label = padRight(f.label, LABEL_WIDTH);
      const row: Line[number][] = [seg(gutter), isFocused ? bold(label) : seg(label)];
      if (isFocused) focusRow = lines.length;
      if (f.kind === 'choice') {
        f.options.forEach((o, k) => {
          const mark = `(${o.value === f.value ? '*' : ' '}) ${o.label}`;
          if (k > 0) row.push(seg('   '));
          row.push(isFocused && o.value === f.value ? focus(mark) : seg(mark));
        });
        if (f.hint) row.push(seg(`   ${f.hint}`));
      } else if (!this.enabled(f)) {
        row.push(seg(`${f.value || '-'}${f.disabledNote ? `  ${f.disabledNote}` : ''}`));
      } else {
        let w = this.boxWidth(f, size);
        // A box narrowed by the terminal gives the hint room beside it while it stays 30 wide.
        const spare = size.width - (GUTTER + LABEL_WIDTH + w + 2);
        if (f.hint && spare < f.hint.length + 2 && w - (f.hint.length + 2 - spare) >= 30) w -= f.hint.length + 2 - spare;
        const c = this.cursor.get(f.id) ?? f.value.length;
        let off = this.offset.get(f.id) ?? 0;
        if (c < off) off = c;
        if (c > off + w - 1) off = c - w + 1;
        off = Math.max(0, Math.min(off, Math.max(0, f.value.length - w + 1)));
        this.offset.set(f.id, off);
        const shown = padRight((f.mask ? '*'.repeat(f.value.length) : f.value).slice(off, off + w), w);
        row.push(seg(off > 0 ? '<' : '['), isFocused ? focus(shown) : seg(shown), seg(f.value.length > off + w ? '>' : ']'));
        // A hint that does not fit beside the box goes under it: never cut.
        if (f.hint && GUTTER + LABEL_WIDTH + w + 2 + 2 + f.hint.length <= size.width) row.push(seg(`  ${f.hint}`));
        else if (f.hint) hintBelow = f.hint;
        if (isFocused) cursor = { row: lines.length, col: GUTTER + LABEL_WIDTH + 1 + (c - off) };
      }
      lines.push(line(...row));
      if (hintBelow) lines.push(line(' '.repeat(GUTTER + LABEL_WIDTH + 1) + hintBelow));
      errorLines(errs, GUTTER + 2, f);
    });
    return { lines, focusRow, cursor };
  }

  help(): KeyHelp {
    const f = this.spec.fields[this.focused];
    const common: [string, string][] = [['Tab/S-Tab/Up/Down', 'Field'], ['Enter', this.spec.submitWord ?? 'Review'], ['Esc', 'Cancel']];
    if (f?.kind === 'choice') {
      const letters = f.options.map((o) => o.key.toUpperCase()).join('/');
      return [...common.slice(0, 1), [`Space/${letters}`, 'Change'], ...common.slice(1)];
    }
    return [...common, ['Ctrl-U', 'Clear']];
  }

  private move(step: 1 | -1): void {
    const n = this.spec.fields.length;
    for (let k = 1; k <= n; k++) {
      const i = (this.focused + step * k + n * k) % n;
      if (this.enabled(this.spec.fields[i]!)) {
        this.focused = i;
        return;
      }
    }
  }

  /** Validates and goes on to the next step; on errors shows them all and focuses the first. */
  submit(): void {
    const r = this.spec.submit(this.values());
    const errors = r.ok ? this.spec.next(r.value) : r.error;
    this.errors = errors ?? [];
    if (errors && errors.length) {
      const first = this.spec.fields.findIndex((f) => this.enabled(f) && errors.some((e) => this.fieldFor(e) === f.id));
      if (first >= 0) this.focused = first;
    }
  }

  key(k: Key): void {
    const f = this.spec.fields[this.focused];
    switch (k.name) {
      case 'escape': (this.spec.cancel ?? (() => this.screens.back()))(); return;
      case 'enter': this.submit(); return;
      case 'tab': case 'down': this.move(1); return;
      case 'backtab': case 'up': this.move(-1); return;
      default:
    }
    if (!f) return;
    if (f.kind === 'choice') this.choiceKey(f, k);
    else if (this.enabled(f)) this.textKey(f, k);
  }

  private choiceKey(f: ChoiceField, k: Key): void {
    const i = f.options.findIndex((o) => o.value === f.value);
    const n = f.options.length;
    if (k.name === 'left') f.value = f.options[(i + n - 1) % n]!.value;
    else if (k.name === 'right' || (k.name === 'char' && k.ch === ' ')) f.value = f.options[(i + 1) % n]!.value;
    else if (k.name === 'char') {
      const o = f.options.find((x) => x.key.toLowerCase() === k.ch.toLowerCase());
      if (o) f.value = o.value;
    }
  }

  private textKey(f: TextField, k: Key): void {
    let c = Math.min(this.cursor.get(f.id) ?? f.value.length, f.value.length);
    const v = f.value;
    switch (k.name) {
      case 'char':
        if (v.length >= (f.maxLength ?? 255)) return;
        f.value = v.slice(0, c) + k.ch + v.slice(c);
        c++;
        break;
      case 'backspace':
        if (c > 0) {
          f.value = v.slice(0, c - 1) + v.slice(c);
          c--;
        }
        break;
      case 'delete': f.value = v.slice(0, c) + v.slice(c + 1); break;
      case 'left': c = Math.max(0, c - 1); break;
      case 'right': c = Math.min(v.length, c + 1); break;
      case 'home': case 'C-a': c = 0; break;
      case 'end': case 'C-e': c = v.length; break;
      case 'C-u': f.value = ''; c = 0; break;
      case 'C-k': f.value = v.slice(0, c); break;
      default: return;
    }
    this.cursor.set(f.id, c);
  }
}
