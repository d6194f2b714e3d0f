// route-DEV files beside the ifcfg files: the static IPv4 routes of one profile, read as
// network-scripts' ifup-routes reads them, and the in-place edits ttyconf makes to their default route.
//
// Two forms (ifup-routes picks the numbered one when any line starts with `ADDRESSn=`):
// - `ip route` arguments, one route a line (`default via 192.0.2.1 dev em1`, `10.1.0.0/16 via
//   192.0.2.254`): ifup-routes runs `ip -4 route add LINE` for each line that is not blank or a comment.
// - `ADDRESSn=`/`NETMASKn=`/`GATEWAYn=` (+`METRICn`, `OPTIONSn`), n from 0 up to the first gap: the file
//   is sourced by bash, each route becomes `ip route add ADDRESSn/PREFIX [via GATEWAYn] dev DEV`.
import { basename, dirname, join } from 'node:path';
import { formatIPv4, netmaskToPrefix, parseIPv4, parsePrefix, prefixToMask, sameSubnet } from '../model/ipv4.js';
import { type RouteFile, type StaticRoute, isDefaultRoute } from '../model/routes.js';
import type { Warning } from '../model/state.js';
import type { Ipv4Cidr } from '../model/types.js';
import { ShellVarsFile } from './shellVars.js';

const NUMBERED = /^[ \t\r\v\f]*ADDRESS[0-9]+=/m;
const SKIP = /^[ \t\r\n\v\f]*(#.*)?$/;
const ROUTE_TYPES = new Set(['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat', 'anycast']);
/** `ip route` options that take one argument (some take `lock` before it). */
const ONE_ARG = new Set([
  'src', 'table', 'proto', 'protocol', 'scope', 'realm', 'realms', 'tos', 'dsfield', 'mtu', 'advmss', 'window', 'cwnd',
  'initcwnd', 'initrwnd', 'rtt', 'rttvar', 'ssthresh', 'reordering', 'hoplimit', 'features', 'quickack', 'congctl',
  'rto_min', 'expires', 'pref', 'fastopen_no_cookie', 'ttl-propagate', 'nhid', 'oif', 'weight',
]);
const FLAGS = new Set(['onlink', 'pervasive']);
const METRIC = new Set(['metric', 'preference', 'priority']);

/** An IPv4 address as iproute2 takes it: 1 to 4 dotted parts, the missing ones zero (`10` is 10.0.0.0). */
function ipAddr(text: string): number | null {
  if (!/^\d{1,3}(\.\d{1,3}){0,3}$/.test(text)) return null;
  const parts = text.split('.');
  while (parts.length < 4) parts.push('0');
  return parseIPv4(parts.map((p) => String(Number(p))).join('.'));
}

/** `default`/`all`/`any`, ADDR, ADDR/LEN or ADDR/MASK as iproute2's prefix argument. */
function ipPrefix(text: string): Ipv4Cidr | null {
  if (text === 'default' || text === 'all' || text === 'any') return { address: '0.0.0.0', prefix: 0 };
  const [addrText, lenText, extra] = text.split('/');
  if (extra !== undefined || addrText === undefined) return null;
  const addr = ipAddr(addrText);
  if (addr === null) return null;
  const prefix = lenText === undefined ? 32 : parsePrefix(lenText) ?? netmaskToPrefix(lenText);
  if (prefix === null) return null;
  if ((addr & ~prefixToMask(prefix)) >>> 0 !== 0) return null; // ip: "Invalid prefix for given prefix length"
  return { address: formatIPv4(addr), prefix };
}

/** One line as `ip -4 route add WORDS` takes it; a string says why ip (or ttyconf) cannot. */
export function parseIpRouteWords(words: readonly string[]): Omit<StaticRoute, 'line' | 'index'> | string {
  let type: string | null = null;
  let destination: Ipv4Cidr | null = null;
  let via: string | null = null;
  let dev: string | null = null;
  let metric: number | null = null;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const arg = (): string | null => words[++i] ?? null;
    if (w === 'via') {
      let a = arg();
      if (a === 'inet') a = arg();
      if (a === null || ipAddr(a) === null || a.split('.').length !== 4) return `"via ${a ?? ''}" is not an IPv4 address`;
      via = a;
    } else if (w === 'dev') {
      const a = arg();
      if (a === null) return '"dev" has no argument';
      dev = a;
    } else if (METRIC.has(w)) {
      const a = arg();
      if (a === null || !/^\d{1,10}$/.test(a) || Number(a) > 0xffffffff) return `"${w} ${a ?? ''}" is not a number`;
      metric = Number(a);
    } else if (ONE_ARG.has(w)) {
      let a = arg();
      if (a === 'lock') a = arg();
      if (a === null) return `"${w}" has no argument`;
    } else if (FLAGS.has(w)) {
      // no argument
    } else if (w === 'nexthop' || w === 'encap') {
      return `"${w}" routes are kept as they are but not read by ttyconf`;
    } else if (destination === null && (ROUTE_TYPES.has(w) || w === 'to')) {
      if (ROUTE_TYPES.has(w)) type = w === 'unicast' ? null : w;
      else if (ROUTE_TYPES.has(words[i + 1] ?? '')) type = words[++i] === 'unicast' ? null : words[i]!;
      const a = arg();
      const p = a === null ? null : ipPrefix(a);
      if (p === null) return `"${a ?? ''}" is not an IPv4 destination`;
      destination = p;
    } else if (destination === null) {
      const p = ipPrefix(w);
      if (p === null) return `"${w}" is neither an option nor an IPv4 destination`;
      destination = p;
    } else {
      return `"${w}" is not an option ip route knows`;
    }
  }
  if (destination === null) return 'no destination';
  return { destination, via, dev, metric, type };
}

/** What bash's `read line` (no -r) leaves of a line; null when it would differ from the plain words. */
function plainWords(line: string): string[] | null {
  // A backslash (escape or continuation) or a glob character changes what ifup-routes passes to ip,
  // and a CR stays in the last word (bash's read splits on blanks only); ttyconf does not guess then.
  if (/[\\*?[\r]/.test(line)) return null;
  return line.split(/[ \t]+/).filter((w) => w !== '');
}

function parseIpForm(file: string, profile: string, device: string, text: string): RouteFile {
  const routes: StaticRoute[] = [];
  const warnings: Warning[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (SKIP.test(raw)) return;
    const words = plainWords(raw);
    const r = words === null ? 'a backslash, a glob character or a CR: bash changes the words before ip sees them' : parseIpRouteWords(words);
    if (typeof r === 'string') warnings.push({ file, line, message: `route line "${raw.trim()}" is not read by ttyconf: ${r}` });
    else routes.push({ line, index: null, ...r });
  });
  return { file, profile, device, format: 'ip', routes, warnings };
}

const NUMBERED_KEYS = ['ADDRESS', 'NETMASK', 'GATEWAY', 'METRIC', 'OPTIONS'] as const;

function parseNumberedForm(file: string, profile: string, device: string, doc: ShellVarsFile): RouteFile {
  const routes: StaticRoute[] = [];
  const warnings: Warning[] = [];
  for (const e of doc.entries()) {
    if (e.warning) warnings.push({ file, line: e.line, key: e.key, message: `${e.key} ${e.warning}` });
  }
  for (let n = 0; doc.get(`ADDRESS${n}`); n++) {
    const line = doc.read(`ADDRESS${n}`)!.line;
    const address = doc.get(`ADDRESS${n}`)!;
    const netmask = doc.get(`NETMASK${n}`) ?? '';
    const gateway = doc.get(`GATEWAY${n}`) || null;
    const metric = doc.get(`METRIC${n}`) || null;
    const addr = parseIPv4(address);
    const prefix = netmaskToPrefix(netmask);
    const unsure = NUMBERED_KEYS.find((k) => doc.read(`${k}${n}`)?.warning);
    const bad = unsure ? `${unsure}${n} is read differently by bash`
      : addr === null ? `ADDRESS${n}="${address}" is not an IPv4 address`
      : prefix === null ? `NETMASK${n}="${netmask}" is missing or not a netmask (ipcalc fails, so ip does)`
        : (addr & ~prefixToMask(prefix)) >>> 0 !== 0 ? `ADDRESS${n} has host bits set for NETMASK${n}`
          : gateway !== null && parseIPv4(gateway) === null ? `GATEWAY${n}="${gateway}" is not an IPv4 address`
            : metric !== null && !/^\d{1,10}$/.test(metric) ? `METRIC${n}="${metric}" is not a number`
              : null;
    if (bad !== null || addr === null || prefix === null) {
      warnings.push({ file, line, message: `route ${n} is not read by ttyconf: ${bad}` });
      continue;
    }
    routes.push({ line, index: n, destination: { address, prefix }, via: gateway, dev: null, metric: metric === null ? null : Number(metric), type: null });
  }
  return { file, profile, device, format: 'numbered', routes, warnings };
}

export function parseRouteFile(file: string, profile: { readonly file: string; readonly device: string }, bytes: Buffer): RouteFile {
  const text = bytes.toString('latin1');
  return NUMBERED.test(text)
    ? parseNumberedForm(file, profile.file, profile.device, ShellVarsFile.parse(text))
    : parseIpForm(file, profile.file, profile.device, text);
}

/**
 * The route files of a profile, as initscripts looks for them: `route-NAME` (the ifcfg file's suffix,
 * the only one NetworkManager reads) and `route-DEVICE` when the device has another name.
 */
export function routeFileNames(ifcfgFileName: string, device: string): string[] {
  const name = ifcfgFileName.replace(/^ifcfg-/, '');
  return name === device ? [`route-${name}`] : [`route-${name}`, `route-${device}`];
}

/** Static routes whose next hop is outside the subnet (they cannot be added once the address moves there). */
export function routesLeavingSubnet(files: readonly RouteFile[], subnet: Ipv4Cidr, device: string): { file: RouteFile; route: StaticRoute }[] {
  const net = parseIPv4(subnet.address)!;
  const out: { file: RouteFile; route: StaticRoute }[] = [];
  for (const file of files) {
    for (const route of file.routes) {
      if (isDefaultRoute(route) || route.via === null || (route.dev !== null && route.dev !== device)) continue;
      const via = parseIPv4(route.via);
      if (via !== null && !sameSubnet(via, net, subnet.prefix)) out.push({ file, route });
    }
  }
  return out;
}

/**
 * The file with its default route changed in place: `via` set to the new gateway (the rest of the line
 * byte for byte), or the route removed (null). Numbered form: GATEWAYn is set; a removed route's
 * higher-numbered routes move down one, since ifup-routes stops at the first missing ADDRESSn.
 */
export function editDefaultRoute(file: RouteFile, bytes: Buffer, route: StaticRoute, gateway: string | null): Buffer {
  const text = bytes.toString('latin1');
  if (file.format === 'ip') {
    const lines = text.split('\n');
    const at = route.line - 1;
    if (gateway === null) lines.splice(at, 1);
    else {
      const old = lines[at]!;
      const m = /(^|[ \t])via([ \t]+)(?:inet[ \t]+)?(\S+)/.exec(old);
      lines[at] = m
        ? old.slice(0, m.index) + m[1] + 'via' + m[2] + gateway + old.slice(m.index + m[0].length)
        : old.replace(/[ \t\r]*$/, (tail) => ` via ${gateway}${tail}`);
    }
    return Buffer.from(lines.join('\n'), 'latin1');
  }
  const doc = ShellVarsFile.parse(text);
  const n = route.index!;
  if (gateway !== null) {
    doc.set(`GATEWAY${n}`, gateway);
    return doc.toBuffer();
  }
  let last = n;
  while (doc.get(`ADDRESS${last + 1}`)) last++;
  for (let k = n; k < last; k++) {
    for (const key of NUMBERED_KEYS) {
      const next = doc.read(`${key}${k + 1}`);
      if (next) doc.set(`${key}${k}`, next.value);
      else doc.delete(`${key}${k}`);
    }
  }
  for (const key of NUMBERED_KEYS) doc.delete(`${key}${last}`);
  return doc.toBuffer();
}

/** Reads the route files of every profile; `read` returns a file's bytes (and records them) or null. */
export function readRouteFiles(
  profiles: readonly { readonly file: string; readonly device: string }[],
  dirNames: readonly string[],
  read: (rel: string) => Buffer | null,
): RouteFile[] {
  const out: RouteFile[] = [];
  const seen = new Set<string>();
  for (const p of profiles) {
    const dir = dirname(p.file);
    for (const name of routeFileNames(basename(p.file), p.device)) {
      const rel = join(dir, name);
      if (!dirNames.includes(name) || seen.has(rel)) continue;
      seen.add(rel);
      const buf = read(rel);
      if (buf) out.push(parseRouteFile(rel, p, buf));
    }
  }
  return out;
}
