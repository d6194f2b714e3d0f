// A list to pick from: the menu and the interface picker. Up/Down move, Enter selects, Esc goes back,
// a letter jumps to the next item starting with it.
import type { Key } from '../keys.js';
import { type KeyHelp, type Line, focus, line, padRight, seg } from '../text.js';
import type { Frame, Size, View } from '../view.js';

export interface ListItem {
  /** Columns are already laid out by the caller. */
  readonly label: string;
  /** The letter that jumps here; the label's first letter when absent. */
  readonly hotkey?: string;
  readonly select: () => void;
}

/** A letter that acts on the list (the interface list's A adds a VLAN) instead of jumping. */
export interface ListAction {
  /** Lower case; the upper-case letter works too. */
  readonly key: string;
  /** On the key line: `A Add VLAN`. */
  readonly word: string;
  readonly run: (selected: number) => void;
}

export interface ListOptions {
  readonly title: string;
  /** Read on every draw, so the list follows the status refresh. */
  readonly items: () => readonly ListItem[];
  /** Lines above the list. */
  readonly intro?: readonly Line[];
  /** A column header row, shown unhighlighted right above the items. */
  readonly header?: Line;
  /** Lines below the list (e.g. what the selected item does). */
  readonly footer?: (selected: number) => readonly Line[];
  readonly showHotkeys?: boolean;
  readonly back: () => void;
  readonly selectWord?: string;
  readonly actions?: readonly ListAction[];
}

export class ListView implements View {
  readonly title: string;
  selected = 0;

  constructor(private readonly opts: ListOptions) {
    this.title = opts.title;
  }

  hotkey(item: ListItem): string {
    return (item.hotkey ?? item.label.trim()[0] ?? '').toLowerCase();
  }

  render(size: Size): Frame {
    const lines: Line[] = [...(this.opts.intro ?? [])];
    if (this.opts.header) lines.push(this.opts.header);
    const first = lines.length;
    const items = this.opts.items();
    this.selected = Math.min(this.selected, Math.max(0, items.length - 1));
    if (items.length === 0) lines.push(line('  (nothing to choose)'));
    items.forEach((item, i) => {
      const text = (this.opts.showHotkeys ? `${this.hotkey(item).toUpperCase()}  ` : '') + item.label;
      // The selected row: a '>' marker and inverse, so it shows on a monochrome console too.
      // A label wider than the body ends in '>': cut, and said to be.
      const shown = text.length > size.width - 2 ? `${text.slice(0, Math.max(0, size.width - 3))}>` : text;
      lines.push(i === this.selected ? line(seg('> '), focus(padRight(shown, size.width - 2))) : line(`  ${shown}`));
    });
    if (this.opts.footer) lines.push(...this.opts.footer(this.selected));
    return { lines, focusRow: first + this.selected };
  }

  help(): KeyHelp {
    const actions = (this.opts.actions ?? []).map((a): [string, string] => [a.key.toUpperCase(), a.word]);
    return [['Up/Down', 'Move'], ['Enter', this.opts.selectWord ?? 'Select'], ...actions, ['Letter', 'Jump'], ['Esc', 'Back']];
  }

  key(k: Key): void {
    const items = this.opts.items();
    const n = items.length;
    this.selected = Math.min(this.selected, Math.max(0, n - 1));
    const action = k.name === 'char' ? this.opts.actions?.find((a) => a.key === k.ch.toLowerCase()) : undefined;
    if (action) {
      action.run(this.selected);
      return;
    }
    if (n === 0) {
      if (k.name === 'escape' || k.name === 'backspace') this.opts.back();
      return;
    }
    switch (k.name) {
      case 'up': this.selected = (this.selected + n - 1) % n; return;
      case 'down': this.selected = (this.selected + 1) % n; return;
      case 'home': case 'pageup': this.selected = 0; return;
      case 'end': case 'pagedown': this.selected = n - 1; return;
      case 'enter': items[this.selected]!.select(); return;
      case 'escape': case 'backspace': this.opts.back(); return;
      case 'char': {
        const c = k.ch.toLowerCase();
        for (let step = 1; step <= n; step++) {
          const i = (this.selected + step) % n;
          if (this.hotkey(items[i]!) === c) {
            this.selected = i;
            return;
          }
        }
        return;
      }
      default:
    }
  }
}
