// Read-only text (the full diff, why a restore cannot be done) as screen rows, scrollable.
import { type Key, isChar } from '../keys.js';
import { Pager } from './pager.js';
import { type KeyHelp, type Line, ascii, bold, expandTabs, seg } from '../text.js';
import type { Frame, Screens, Size, View } from '../view.js';

/**
 * Text as screen rows of at most `width` columns: TABs to the next 8-column stop, other control
 * characters as '?', and a row that continues on the next one ends in a bold '\'.
 */
export function textRows(text: string, width: number): Line[] {
  const w = Math.max(2, width);
  return text.replace(/\n$/, '').split('\n').flatMap((raw) => {
    const l = ascii(expandTabs(raw));
    const out: Line[] = [];
    let s = l;
    while (s.length > w) {
      out.push([seg(s.slice(0, w - 1)), bold('\\')]);
      s = s.slice(w - 1);
    }
    out.push([seg(s)]);
    return out;
  });
}

/** Text to read, scrollable; Esc (or D, Q) goes back. */
export class TextPager implements View {
  private readonly pager = new Pager();

  constructor(readonly title: string, private readonly text: string, private readonly screens: Pick<Screens, 'back'>) {}

  render(size: Size): Frame {
    return { lines: this.pager.view(textRows(this.text, size.width), size.height) };
  }

  help(): KeyHelp {
    return [['Up/Down/PgUp/PgDn', 'Scroll'], ['Esc/D', 'Back to review'], ['\\', 'line goes on']];
  }

  key(k: Key): void {
    if (this.pager.key(k)) return;
    if (k.name === 'escape' || k.name === 'backspace' || isChar(k, 'd', 'q')) this.screens.back();
  }
}
