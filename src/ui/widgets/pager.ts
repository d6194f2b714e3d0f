// Scrolling for read-only screens (the diff, a long result): Up/Down/PgUp/PgDn/Home/End/Space.
import type { Key } from '../keys.js';
import { type Line, bold } from '../text.js';

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
    const top = scrolled(k, this.top, this.page, { space: true });
    if (top === null) return false;
    this.top = top;
    return true;
  }
}

/**
 * Where a scrolling key moves the first shown row (Up/Down/PgUp/PgDn/Home/End, and Space when
 * `space`); null when the key does not scroll. The caller clamps the end to what it has.
 */
export function scrolled(k: Key, top: number, page: number, opts: { space: boolean }): number | null {
  switch (k.name) {
    case 'up': return Math.max(0, top - 1);
    case 'down': return top + 1;
    case 'pageup': return Math.max(0, top - page);
    case 'pagedown': return top + page;
    case 'home': return 0;
    case 'end': return Number.MAX_SAFE_INTEGER;
    case 'char': return opts.space && k.ch === ' ' ? top + page : null;
    default: return null;
  }
}
