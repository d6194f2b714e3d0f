// Scrolling for read-only screens (the diff, a long result): Up/Down/PgUp/PgDn/Home/End/Space.
import type { Key } from './keys.js';
import { type Line, bold } from './text.js';

export class Pager {
  top = 0;
  private page = 10;

  /** The rows to show; the last row says where we are when not everything fits. */
  view(all: readonly Line[], height: number): Line[] {
    const paged = all.length > height;
    const rows = paged ? Math.max(1, height - 1) : height;
    this.page = Math.max(1, rows - 1);
    this.top = Math.max(0, Math.min(this.top, all.length - rows));
    const shown = all.slice(this.top, this.top + rows);
    if (paged) {
      while (shown.length < rows) shown.push([]);
      const end = Math.min(all.length, this.top + rows);
      shown.push([bold(`-- lines ${this.top + 1}-${end} of ${all.length}; Up/Down/PgUp/PgDn scroll --`)]);
    }
    return shown;
  }

  /** Handles a scrolling key; false when the key is not one. */
  key(k: Key): boolean {
    switch (k.name) {
      case 'up': this.top--; break;
      case 'down': this.top++; break;
      case 'pageup': this.top -= this.page; break;
      case 'pagedown': this.top += this.page; break;
      case 'home': this.top = 0; break;
      case 'end': this.top = Number.MAX_SAFE_INTEGER; break;
      case 'char':
        if (k.ch !== ' ') return false;
        this.top += this.page;
        break;
      default: return false;
    }
    this.top = Math.max(0, this.top);
    return true;
  }
}
