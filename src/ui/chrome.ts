// The whole screen around the top view: the header bar (product, version, hostname, clock), the
// view's title and keys, and the notice; and the screen shown when the status cannot be drawn.
import type { BorderChars, Composed } from './frame.js';
import { bodySize, compose } from './frame.js';
import { shortMessage } from './errors.js';
import { line } from './text.js';
import type { Size, View } from './view.js';

export interface Header {
  /** The vendor's product name ([product] name), ttyconf by default. */
  readonly product: string;
  readonly version: string;
  /** The machine's hostname; empty before the first reading. */
  readonly host: string;
  readonly now: Date;
}

export interface Notice {
  readonly text: string;
  /** Information ("Logged out") is not marked '!'; problems are. */
  readonly info: boolean;
}

export function viewScreen(size: Size, view: View, header: Header, notice: Notice | null, border: BorderChars, prevScroll: number): Composed {
  const frame = view.render(bodySize(size));
  const t = header.now;
  const clock = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
  return compose(size, {
    headerLeft: `${header.product} ${header.version}${header.host ? `  |  ${header.host}` : ''}`,
    headerRight: clock,
    title: view.title,
    help: view.help(),
    notice: notice ? `${notice.info ? '' : '! '}${notice.text}` : null,
    border,
  }, frame, prevScroll);
}

/** The status screen itself failed to draw: say so, R tries again. */
export function brokenScreen(size: Size, version: string, border: BorderChars, e: unknown): Composed {
  return compose(size, {
    headerLeft: `ttyconf ${version}`, headerRight: '', title: 'Error', help: [['R', 'Try again']], notice: null, border,
  }, { lines: [line(`The status screen cannot be drawn: ${shortMessage(e)}`)] }, 0);
}
