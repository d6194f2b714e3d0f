// The home screen: what anyone at the console sees before touching anything.
import type { Current } from '../core.js';
import type { InterfaceStatus } from '../status.js';
import { type Key, isChar } from './keys.js';
import { type KeyHelp, type Line, bold, line, padRight, seg, wrap } from './text.js';
import type { Frame, Size, View } from './view.js';

export function linkText(link: InterfaceStatus['link']): string {
  return link === 'no-carrier' ? 'no carrier' : link;
}

export function methodText(method: InterfaceStatus['method']): string {
  switch (method) {
    case 'dhcp': return 'DHCP';
    case 'static': return 'static';
    case 'disabled': return 'off';
    case 'unknown': return '?';
    default: return 'no file';
  }
}

/**
 * The addresses of an interface: for DHCP what the running system holds (the lease); for static
 * the configured ones, with what is running when that differs (files written, not applied yet).
 */
export function addressText(i: InterfaceStatus): string {
  const running = i.liveAddresses.filter((a) => !i.addresses.includes(a));
  if (i.method === 'dhcp') return i.liveAddresses.join(' ') || '(no lease)';
  if (i.addresses.length) return i.addresses.join(' ') + (running.length ? ` (running: ${running.join(' ')})` : '');
  return running.join(' ') || '(none)';
}

export function hostnameText(c: Current): string {
  return c.status.hostname ?? c.status.liveHostname ?? '(not set)';
}

/** The status screen's lines for a body of the given width. Pure. */
export interface StatusExtras {
  /** The vendor's banner line. */
  readonly banner?: string;
  /** Who is logged in, or how to log in. */
  readonly session?: string;
  /** Warnings from outside the network reading (vendor settings, an interrupted change undone). */
  readonly warnings?: readonly string[];
  /** Interfaces the vendor hid. */
  readonly hidden?: (name: string) => boolean;
}

export function statusLines(c: Current, width: number, extras: StatusExtras = {}): Line[] {
  const s = c.status;
  const out: Line[] = [];
  if (extras.banner) out.push([bold(extras.banner)], []);
  const label = (t: string): string => padRight(t, 17);
  const host = line(label('Hostname'), bold(hostnameText(c)));
  out.push(host);
  if (s.liveHostname && s.hostname && s.liveHostname !== s.hostname) {
    out.push(line(label(''), `(the running system still says ${s.liveHostname})`));
  }
  out.push([]);

  const withMac = width >= 70;
  const cols = withMac ? [11, 12, 19, 8] : [11, 12, 8];
  const header = withMac ? ['Interface', 'Link', 'MAC', 'Method'] : ['Interface', 'Link', 'Method'];
  out.push([bold(header.map((h, k) => padRight(h, cols[k]!)).join('') + 'IPv4 address')]);
  const shown = s.interfaces.filter((i) => !extras.hidden?.(i.name));
  if (shown.length === 0) out.push(line('(no network interfaces found)'));
  for (const i of shown) {
    const cells = withMac
      ? [i.name, linkText(i.link), i.mac ?? '-', methodText(i.method)]
      : [i.name, linkText(i.link), methodText(i.method)];
    const lead = cells.map((v, k) => padRight(v, cols[k]! - 1) + ' ').join('');
    wrap(addressText(i), Math.max(10, width - lead.length)).forEach((t, k) => {
      out.push(line((k === 0 ? lead : ' '.repeat(lead.length)) + t));
    });
  }
  out.push([]);

  const gwDev = c.live.defaultGateway && c.live.defaultGateway.via === s.defaultGateway ? ` (${c.live.defaultGateway.dev})` : '';
  out.push(line(label('Default gateway'), s.defaultGateway ? s.defaultGateway + gwDev : '(none)'));
  out.push(line(label('DNS servers'), s.dns.servers.join(' ') || '(none)'));
  out.push(line(label('Search domains'), s.dns.search.join(' ') || '(none)'));

  const warnings = [
    ...s.warnings.map((w) => (w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : '') + w.message),
    ...(extras.warnings ?? []),
  ];
  if (warnings.length) {
    out.push([], [bold('Warnings')]);
    for (const w of warnings) wrap(w, width - 2).forEach((t, k) => out.push([bold(k === 0 ? '! ' : '  '), seg(t)]));
  }
  if (extras.session) {
    out.push([]);
    wrap(extras.session, width).forEach((t) => out.push(line(t)));
  }
  if (!c.root.isSystem) {
    out.push([]);
    wrap(`Files under ${c.root.dir}: changes are written there, the running system is left alone.`, width)
      .forEach((t) => out.push(line(t)));
  }
  return out;
}

export interface StatusActions {
  /** Null until the settings could be read. */
  current(): Current | null;
  /** Why the last reading failed, if it did. */
  readError(): string | null;
  openMenu(): void;
  refresh(): void;
  /** Quits the UI, or explains why it does not. */
  quit(): void;
  readonly canQuit: boolean;
  banner?(): string;
  session?(): string;
  extraWarnings?(): readonly string[];
  hidden?(name: string): boolean;
}

export class StatusView implements View {
  readonly title = 'Status';

  constructor(private readonly actions: StatusActions) {}

  render(size: Size): Frame {
    const c = this.actions.current();
    const failed = this.actions.readError();
    const lines: Line[] = [];
    if (failed) {
      wrap(`! Cannot read the network settings: ${failed}`, size.width).forEach((t) => lines.push([bold(t)]));
      lines.push(line(c ? 'Showing the last reading. R tries again.' : 'R tries again.'), []);
    }
    const a = this.actions;
    if (c) {
      lines.push(...statusLines(c, size.width, {
        banner: a.banner?.(), session: a.session?.(), warnings: a.extraWarnings?.(), hidden: (n) => a.hidden?.(n) ?? false,
      }));
    }
    else if (!failed) lines.push(line('Reading the network settings...'));
    return { lines };
  }

  help(): KeyHelp {
    const keys: [string, string][] = [['Enter/M', 'Menu'], ['R/F5', 'Refresh'], ['Ctrl-L', 'Redraw']];
    if (this.actions.canQuit) keys.push(['Q', 'Quit']);
    return keys;
  }

  key(k: Key): void {
    if (k.name === 'enter' || isChar(k, 'm')) this.actions.openMenu();
    else if (k.name === 'f5' || isChar(k, 'r')) this.actions.refresh();
    else if (k.name === 'C-c' || isChar(k, 'q')) this.actions.quit();
  }
}
