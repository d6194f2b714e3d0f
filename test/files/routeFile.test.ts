// route-DEV files: what ttyconf reads from them must be what CentOS 7's own ifup-routes makes of them
// (run for real, with `ip` recording its arguments), before and after ttyconf edits the default route.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { editDefaultRoute, parseIpRouteWords, parseRouteFile } from '../../src/files/routeFile.js';
import { type RouteFile, type StaticRoute, defaultRouteOf } from '../../src/model/routes.js';
import { CORPUS } from '../helpers/corpus.js';
import { haveIfupRoutes, ifupRoutesAll } from '../helpers/ifupRoutes.js';

const parse = (text: string, device = 'em1'): RouteFile =>
  parseRouteFile(`etc/sysconfig/network-scripts/route-${device}`, { file: `etc/sysconfig/network-scripts/ifcfg-${device}`, device }, Buffer.from(text, 'latin1'));

describe('reading route files', () => {
  it('an os-net-config default route is the gateway', () => {
    const f = parse('default via 192.168.1.1 dev em1\n');
    expect(f.format).toBe('ip');
    expect(defaultRouteOf([f])?.route).toMatchObject({ line: 1, via: '192.168.1.1', dev: 'em1', destination: { address: '0.0.0.0', prefix: 0 } });
  });

  it.each(['0.0.0.0/0 via 192.0.2.1', '0/0 via 192.0.2.1', 'to default via 192.0.2.1', 'via 192.0.2.1 to 0.0.0.0/0', 'any via 192.0.2.1 metric 5'])(
    '%s is a default route',
    (line) => expect(defaultRouteOf([parse(`# comment\n\n  ${line}\n`)])?.route.via).toBe('192.0.2.1'),
  );

  it('the numbered form: ADDRESSn/NETMASKn/GATEWAYn up to the first gap', () => {
    const f = parse('ADDRESS0=10.1.0.0\nNETMASK0=255.255.0.0\nGATEWAY0=192.0.2.254\nADDRESS1=0.0.0.0\nNETMASK1=0.0.0.0\nGATEWAY1=192.0.2.1\nADDRESS3=10.3.0.0\nNETMASK3=255.255.0.0\n');
    expect(f.format).toBe('numbered');
    expect(f.routes.map((r) => [r.index, r.destination, r.via])).toEqual([
      [0, { address: '10.1.0.0', prefix: 16 }, '192.0.2.254'],
      [1, { address: '0.0.0.0', prefix: 0 }, '192.0.2.1'],
    ]);
    expect(defaultRouteOf([f])?.route.via).toBe('192.0.2.1');
  });

  it('lines ip would refuse are warnings naming the line, not routes', () => {
    const f = parse('10.0.0.0/8 via 192.0.2.1 # a comment\n10.1.0.0/16 via $GW\n');
    expect(f.routes).toEqual([]);
    expect(f.warnings.map((w) => w.line)).toEqual([1, 2]);
  });

  it('local/blackhole routes and /0 with other types are not default routes', () => {
    expect(defaultRouteOf([parse('blackhole 0.0.0.0/0\nlocal 1.2.3.4\n')])).toBeNull();
    expect(parseIpRouteWords(['local', '1.2.3.4'])).toMatchObject({ type: 'local', destination: { address: '1.2.3.4', prefix: 32 } });
  });
});

// Generated route files, both forms; each is checked against the real script.
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function generated(count: number): string[] {
  const r = rng(20261204);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const host = (): string => `192.0.2.${1 + Math.floor(r() * 250)}`;
  const net = (): string => pick(['10.1.0.0/16', '10.2.3.0/24', '172.16.0.0/12', '198.51.100.7/32', '203.0.113.0/25']);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    if (n % 3 === 2) {
      const lines: string[] = ['# numbered'];
      const routes = 1 + Math.floor(r() * 4);
      const def = Math.floor(r() * (routes + 1));
      for (let i = 0; i < routes; i++) {
        const [a, m] = i === def ? ['0.0.0.0', '0.0.0.0'] : pick([['10.1.0.0', '255.255.0.0'], ['10.2.3.0', '255.255.255.0'], ['198.51.100.7', '255.255.255.255']]);
        lines.push(`ADDRESS${i}=${a}`, `NETMASK${i}=${m}`);
        if (r() < 0.85) lines.push(`GATEWAY${i}=${host()}`);
        if (r() < 0.3) lines.push(`METRIC${i}=${Math.floor(r() * 100)}`);
        if (r() < 0.2) lines.push('');
      }
      out.push(lines.join('\n') + '\n');
      continue;
    }
    const lines: string[] = [];
    const count2 = 1 + Math.floor(r() * 5);
    for (let i = 0; i < count2; i++) {
      const pad = pick(['', ' ', '\t', '  ']);
      const kind = Math.floor(r() * 8);
      if (kind === 0) lines.push(pick(['', '# a comment', '   # indented comment', '\t']));
      else if (kind === 1) lines.push(`${pad}default via ${host()}${pick(['', ' dev em1', ' dev em1 metric 100', ' metric 5 dev em1'])}`);
      else if (kind === 2) lines.push(`${pad}${pick(['0.0.0.0/0', '0/0', 'to default'])} via ${host()}${pick(['', ' dev em1'])}`);
      else if (kind === 3) lines.push(`${pad}via ${host()} to ${net()}`);
      else if (kind === 4) lines.push(`${pad}${net()} via ${host()}${pick(['', ' dev em1', ' metric 3', ' src 192.0.2.10', ' mtu lock 1400 onlink'])}`);
      else if (kind === 5) lines.push(`${pad}${net()} dev em1${pick(['', ' scope link', ' proto static'])}`);
      else if (kind === 6) lines.push(`${pad}${pick(['local 1.2.3.4', 'blackhole 10.9.0.0/16', 'unreachable 10.8.0.0/16'])}`);
      else lines.push(`${pad}${net()}  via\t${host()}${pad}`);
    }
    // Some files have CRLF line ends (ifup-routes then hands ip a last word ending in CR).
    out.push(lines.join(n % 10 === 4 ? '\r\n' : '\n') + pick(['\n', '', '\n\n']));
  }
  return out;
}

/** What the real ifup-routes does with each text (as route-gN of device gN): the `ip` argument lists. */
function real(texts: readonly string[]): string[][] {
  const root = mkdtempSync(join(tmpdir(), 'ttyconf-routes-'));
  try {
    const dir = join(root, 'etc/sysconfig/network-scripts');
    mkdirSync(dir, { recursive: true });
    texts.forEach((t, i) => writeFileSync(join(dir, `route-g${i}`), t, 'latin1'));
    const calls = ifupRoutesAll(root, texts.map((_, i) => `g${i}`));
    // The numbered form names the device (`dev gN`); drop it so runs of different devices compare.
    return texts.map((_, i) => (calls.get(`g${i}`) ?? []).map((c) => c.replace(new RegExp(` dev g${i}$`), '')));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The route an `ip ... route add ARGS` call adds, read with the same word parser. */
function fromCall(call: string): Omit<StaticRoute, 'line' | 'index'> | string {
  // ip got separate words joined by one blank. A word with a CR is no address, number or device
  // name ip accepts (`dev em1\r` names no device), so ip adds no route for that call.
  const words = call.replace(/^(-4 )?route add /, '').split(' ').filter(Boolean);
  return words.some((w) => w.includes('\r')) ? 'a word with a CR' : parseIpRouteWords(words);
}

function agree(text: string, calls: readonly string[]): void {
  const f = parse(text);
  // Every route ttyconf reads is one `ip route add` call, in order, with the same destination and next hop;
  // every line it does not read is a warning (ip is still called for it and fails or does something else).
  const readLines = f.routes.length;
  const unread = f.warnings.filter((w) => /is not read by ttyconf/.test(w.message)).length;
  expect(calls.length, `calls ${JSON.stringify(calls)}`).toBe(readLines + unread);
  const parsedCalls = calls.map(fromCall).filter((c): c is Exclude<typeof c, string> => typeof c !== 'string');
  expect(parsedCalls.map((c) => [c.destination, c.via, c.type])).toEqual(f.routes.map((x) => [x.destination, x.via, x.type]));
}

const files = generated(60);
const corpusDir = join(CORPUS, 'ifcfg-rh-related');
const corpus = existsSync(corpusDir) ? readdirSync(corpusDir).filter((n) => /^route-/.test(n)).sort() : [];

describe.skipIf(!haveIfupRoutes)('ttyconf reads route files as CentOS 7 ifup-routes does', () => {
  it.each(corpus)('corpus %s', (name) => {
    const text = readFileSync(join(corpusDir, name), 'latin1');
    agree(text, real([text])[0]!);
  });

  it(`${files.length} generated files (ip and numbered forms)`, { timeout: 180_000 }, () => {
    const calls = real(files);
    files.forEach((text, i) => agree(text, calls[i]!));
  });

  it('editing the default route changes only its next hop; removing it keeps every other route', { timeout: 180_000 }, () => {
    const cases = files.map((text) => ({ text, f: parse(text) })).flatMap(({ text, f }) => {
      const found = defaultRouteOf([f]);
      if (!found || f.warnings.length) return [];
      const moved = editDefaultRoute(f, Buffer.from(text, 'latin1'), found.route, '192.0.2.77').toString('latin1');
      const removed = editDefaultRoute(f, Buffer.from(text, 'latin1'), found.route, null).toString('latin1');
      return [{ text, f, found, moved, removed }];
    });
    const runs = real(cases.flatMap((c) => [c.text, c.moved, c.removed]));
    cases.forEach(({ text, f, found, moved }, n) => {
      const [before, after, removed] = [runs[3 * n]!, runs[3 * n + 1]!, runs[3 * n + 2]!];
      const i = before.findIndex((c) => {
        const p = fromCall(c);
        return typeof p !== 'string' && p.destination.prefix === 0 && p.type === null;
      });
      expect(after.length).toBe(before.length);
      after.forEach((c, k) => {
        if (k === i) expect(fromCall(c)).toMatchObject({ destination: { prefix: 0 }, via: '192.0.2.77' });
        else expect(c).toBe(before[k]);
      });
      // Only the default route's line changed, byte for byte elsewhere (ip form).
      if (f.format === 'ip') {
        const a = text.split('\n');
        const b = moved.split('\n');
        expect(b.filter((_, k) => k !== found.route.line - 1)).toEqual(a.filter((_, k) => k !== found.route.line - 1));
      }
      expect(removed).toEqual(before.filter((_, k) => k !== i));
    });
    expect(cases.length).toBeGreaterThan(25);
  });
});

if (!haveIfupRoutes) console.warn('SKIPPED: CentOS 7 network-scripts (ifup-routes) not found beside the project');
