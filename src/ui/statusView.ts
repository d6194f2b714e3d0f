// The home screen: what anyone at the console sees before touching anything.
import type { Current } from '../core.js';
import type { InterfaceStatus } from '../status.js';
import { type Key, isChar } from './keys.js';
import { scrolled } from './widgets/pager.js';
import { type KeyHelp, type Line, ascii, bold, line, padRight } from './text.js';
import type { Frame, Size, View } from './view.js';
import { ipv6TextLine } from '../showTextIpv6.js';
import { ipv6Verdict } from './verdictIpv6.js';
import { underParents, vlanDepth } from '../statusVlan.js';

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

/**
 * Interfaces as people count them: eth2 before eth10. Runs of digits compare by value, the rest
 * without case, then as written. Not localeCompare: its collation data (ICU, mapped from the node
 * binary) is about 2.8 MB of resident memory on a console that sorts a few names.
 */
export function naturalCompare(a: string, b: string): number {
  const xs = a.match(/\d+|\D+/g) ?? [];
  const ys = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(xs.length, ys.length); i++) {
    const c = compareRun(xs[i]!, ys[i]!);
    if (c !== 0) return c;
  }
  return xs.length - ys.length || a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function compareRun(x: string, y: string): number {
  if (/^\d/.test(x) && /^\d/.test(y)) {
    const v = x.replace(/^0+(?=\d)/, '');
    const w = y.replace(/^0+(?=\d)/, '');
    if (v.length !== w.length) return v.length - w.length;
    return v < w ? -1 : v > w ? 1 : 0;
  }
  const v = x.toLowerCase();
  const w = y.toLowerCase();
  return v < w ? -1 : v > w ? 1 : 0;
}

export function inNaturalOrder<T extends { readonly name: string }>(xs: readonly T[]): T[] {
  return [...xs].sort((a, b) => naturalCompare(a.name, b.name));
}

/**
 * Rows of at most `w` columns: broken at spaces where it can; a word longer than a row is split
 * and the row ends in '\', so no value is ever cut without a mark.
 */
export function wrapMarked(text: string, w: number): string[] {
  const width = Math.max(2, w);
  const out: string[] = [];
  let cur = '';
  for (const word of ascii(text).split(' ')) {
    const room = cur ? width - cur.length - 1 : width;
    if (word.length <= room) {
      cur = cur ? `${cur} ${word}` : word;
      continue;
    }
    if (cur) out.push(cur);
    cur = '';
    let rest = word;
    while (rest.length > width) {
      out.push(`${rest.slice(0, width - 1)}\\`);
      rest = rest.slice(width - 1);
    }
    cur = rest;
  }
  out.push(cur);
  return out;
}

/** The answer to "is this machine on the network?", from the readings, and what is wrong if not. */
export interface NetworkVerdict {
  readonly connected: boolean;
  readonly text: string;
  /** Each problem, for the warnings. */
  readonly problems: readonly string[];
}

export function networkVerdict(c: Current, hidden: (name: string) => boolean = () => false): NetworkVerdict {
  const s = c.status;
  const shown = s.interfaces.filter((i) => !hidden(i.name));
  const route = c.live.defaultRoute;
  const gateway = route?.via ?? s.defaultGateway;
  const routeDev = route?.dev ?? s.interfaces.find((i) => i.gateway !== null && i.gateway === s.defaultGateway)?.name ?? null;
  const withLink = shown.filter((i) => i.link === 'up');
  const addressed = withLink.filter((i) => i.liveAddresses.length > 0);
  const bare = (cidr: string): string => cidr.replace(/\/\d+$/, '');
  const dev = routeDev ? s.interfaces.find((i) => i.name === routeDev) : undefined;
  const no = (why: string, problems: string[]): NetworkVerdict => ({ connected: false, text: `Network: NOT CONNECTED: ${why}`, problems });
  if (shown.length === 0) return no('no network interface found', ['no network interface was found']);
  if (withLink.length === 0) return no('no interface has a link', ['no interface has a link: check the cable or the virtual NIC']);
  if (dev && dev.link !== 'up') {
    return no(`${dev.name} (default route) has no link`, [`${dev.name} carries the default route but has no link: check its cable or virtual NIC`]);
  }
  const v6 = addressed.length === 0 ? ipv6Verdict(c, shown) : null;
  if (v6) return { ...v6, problems: v6.connected ? [] : ['no IPv6 default gateway: only the local link is reachable'] };
  if (addressed.length === 0) {
    return no('no address', [`no interface with a link has an IPv4 address (${withLink.map((i) => `${i.name}: ${i.method === 'dhcp' ? 'no DHCP lease' : 'none set'}`).join(', ')})`]);
  }
  const main = (dev && dev.liveAddresses.length ? dev : undefined) ?? addressed[0]!;
  const how = main.method === 'dhcp' ? 'DHCP' : main.method === 'static' ? 'static' : methodText(main.method);
  const where = `${bare(main.liveAddresses[0]!)} on ${main.name} (${how})`;
  if (!gateway) {
    return no(`no default gateway (${where} reaches only its own subnet)`, ['no default gateway: only the local subnet is reachable']);
  }
  return { connected: true, text: `Network: ${where}, gateway ${gateway}`, problems: [] };
}

export function statusLines(c: Current, width: number, extras: StatusExtras = {}): Line[] {
  const s = c.status;
  const out: Line[] = [];
  const hidden = (n: string): boolean => extras.hidden?.(n) ?? false;
  if (extras.banner) wrapMarked(extras.banner, width).forEach((t) => out.push([bold(t)]));
  const verdict = networkVerdict(c, hidden);
  wrapMarked(verdict.text, width).forEach((t) => out.push([bold(t)]));

  const warnings = [
    ...verdict.problems,
    ...s.warnings.map((w) => (w.file ? `${w.file}${w.line ? `:${w.line}` : ''}: ` : '') + w.message),
    ...(extras.warnings ?? []),
  ];
  if (warnings.length) {
    out.push([]);
    for (const w of warnings) wrapMarked(w, width - 2).forEach((t, k) => out.push([bold(k === 0 ? '! ' : '  '), bold(t)]));
  }
  out.push([]);

  const LABEL = 17;
  const label = (t: string): string => padRight(t, LABEL);
  // A value under its label; rows after the first start under the value.
  const field = (name: string, values: readonly string[], strong = false): void => {
    let first = true;
    for (const v of values.length ? values : ['(none)']) {
      for (const t of wrapMarked(v, width - LABEL)) {
        out.push(line(label(first ? name : ''), strong ? bold(t) : t));
        first = false;
      }
    }
  };
  field('Hostname', [hostnameText(c)], true);
  if (s.liveHostname && s.hostname && s.liveHostname !== s.hostname) field('', [`(the running system still says ${s.liveHostname})`]);
  out.push([]);

  out.push(...interfaceTable(underParents(inNaturalOrder(s.interfaces.filter((i) => !hidden(i.name)))), width));
  out.push([]);

  const gwDev = c.live.defaultRoute && c.live.defaultRoute.via === s.defaultGateway ? ` (${c.live.defaultRoute.dev})` : '';
  field('Default gateway', [s.defaultGateway ? s.defaultGateway + gwDev : '(none)']);
  if (s.defaultGateway6) field('IPv6 gateway', [`${s.defaultGateway6.via} (${s.defaultGateway6.dev})`]);
  field('DNS servers', s.dns.servers);
  field('Search domains', [s.dns.search.join(' ')].filter(Boolean));

  if (extras.session) {
    out.push([]);
    wrapMarked(extras.session, width).forEach((t) => out.push(line(t)));
  }
  if (!c.root.isSystem) {
    out.push([]);
    wrapMarked(`Files under ${c.root.dir}: changes are written there, the running system is left alone.`, width)
      .forEach((t) => out.push(line(t)));
  }
  return out;
}

/**
 * The interface table: name, link, MAC (where the width allows), method, addresses. Columns are as
 * wide as their longest value, so nothing in them is cut; addresses wrap under their column.
 */
export function interfaceTable(list: readonly InterfaceStatus[], width: number, indent = ''): Line[] {
  const out: Line[] = [];
  // A VLAN sits under its parent, indented.
  const named = (i: InterfaceStatus): string => '  '.repeat(vlanDepth(list, i.name)) + i.name;
  const nameW = Math.max(10, ...list.map((i) => named(i).length + 1));
  const withMac = width - indent.length >= 70;
  const cols = withMac ? [nameW, 11, 18, 8] : [nameW, 11, 8];
  const header = withMac ? ['Interface', 'Link', 'MAC', 'Method'] : ['Interface', 'Link', 'Method'];
  out.push([bold(indent + header.map((h, k) => padRight(h, cols[k]!)).join('') + 'IPv4 address')]);
  if (list.length === 0) out.push(line(`${indent}(no network interfaces found)`));
  for (const i of list) out.push(...interfaceRows(i, width, indent, withMac, cols, named(i)));
  return out;
}

/** One label per interface, in columns as wide as their longest value, for a list to pick from. */
export function interfaceChoices(list: readonly InterfaceStatus[], nameOf: (i: InterfaceStatus) => string = (i) => i.name): { header: string; labels: string[] } {
  const nameW = Math.max(10, ...list.map((i) => nameOf(i).length + 1));
  const cols = [nameW, 11, 18, 8];
  const header = ['Interface', 'Link', 'MAC', 'Method'].map((h, k) => padRight(h, cols[k]!)).join('') + 'IPv4 address';
  const labels = list.map((i) => [nameOf(i), ...interfaceCells(i, true).slice(1)].map((v, k) => padRight(v, cols[k]!)).join('') + addressText(i));
  return { header, labels };
}

export function interfaceCells(i: InterfaceStatus, withMac: boolean): string[] {
  return withMac ? [i.name, linkText(i.link), i.mac ?? '-', methodText(i.method)] : [i.name, linkText(i.link), methodText(i.method)];
}

function interfaceRows(i: InterfaceStatus, width: number, indent: string, withMac: boolean, cols: readonly number[], name = i.name): Line[] {
  const lead = indent + [name, ...interfaceCells(i, withMac).slice(1)].map((v, k) => padRight(v, cols[k]!)).join('');
  const pad = ' '.repeat(lead.length);
  const rows = wrapMarked(addressText(i), Math.max(10, width - lead.length)).map((t, k) => line((k === 0 ? lead : pad) + t));
  // IPv6 under the IPv4 address, wrapped in the same column (a long address is split with a mark, never cut).
  if (i.vlan) rows.push(line(`${pad}VLAN ${i.vlan.id} on ${i.vlan.parent}`));
  const v6 = ipv6TextLine(i.ipv6);
  if (v6) rows.push(...wrapMarked(v6, Math.max(10, width - lead.length)).map((t) => line(pad + t)));
  return rows;
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
  /** Someone is logged in: O logs out from here. */
  loggedIn?(): boolean;
  logout?(): void;
}

export class StatusView implements View {
  readonly title = 'Status';
  /** The first body row shown; the body scrolls when it does not fit. */
  private top = 0;
  private page = 1;
  private scrollable = false;

  constructor(private readonly actions: StatusActions) {}

  render(size: Size): Frame {
    const c = this.actions.current();
    const failed = this.actions.readError();
    const lines: Line[] = [];
    if (failed) {
      wrapMarked(`! Cannot read the network settings: ${failed}`, size.width).forEach((t) => lines.push([bold(t)]));
      lines.push(line(c ? 'Showing the last reading. R tries again.' : 'R tries again.'), []);
    }
    const a = this.actions;
    if (c) {
      lines.push(...statusLines(c, size.width, {
        banner: a.banner?.(), session: a.session?.(), warnings: a.extraWarnings?.(), hidden: (n) => a.hidden?.(n) ?? false,
      }));
    }
    else if (!failed) lines.push(line('Reading the network settings...'));
    this.scrollable = lines.length > size.height;
    this.page = Math.max(1, size.height - 1);
    this.top = Math.max(0, Math.min(this.top, lines.length - size.height));
    return { lines, scroll: this.top };
  }

  help(): KeyHelp {
    const keys: [string, string][] = [['Enter/M', 'Menu']];
    if (this.scrollable) keys.push(['Up/Dn/PgUp/PgDn/Home/End', 'Scroll']);
    keys.push(['R', 'Refresh']);
    if (this.actions.loggedIn?.()) keys.push(['O', 'Log out']);
    if (!this.scrollable) keys.push(['Ctrl-L', 'Redraw']);
    if (this.actions.canQuit) keys.push(['Q', 'Quit']);
    return keys;
  }

  key(k: Key): void {
    const top = scrolled(k, this.top, this.page, { space: false });
    if (top !== null) this.top = top;
    if (k.name === 'enter' || isChar(k, 'm')) this.actions.openMenu();
    else if (k.name === 'f5' || isChar(k, 'r')) this.actions.refresh();
    else if (isChar(k, 'o') && this.actions.loggedIn?.()) this.actions.logout?.();
    else if (k.name === 'C-c' || isChar(k, 'q')) this.actions.quit();
  }
}
