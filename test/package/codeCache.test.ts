// The bundle's V8 code cache (FILE.cache beside it, scripts/build.mjs) only ever speeds it up: the
// bundle gives the same results with the cache, without it, and with a damaged or foreign one.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildReport, buildBundle, projectRoot, serviceEnv } from './harness.js';

let dir: string;
let bundle: string;
let cache: Buffer;
let root: string;
let report: BuildReport & { codeCache?: { bytes: number | null; why: string | null } };

/** stderr without the trace of the parts compiled on first use (a command loads its own). */
const cacheTrace = (err: string): string => err.split('\n').filter((l) => !l.startsWith('ttyconf: compiling ')).join('\n');

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const env = { ...serviceEnv('dumb', dir), TTYCONF_CODE_CACHE: 'trace' };
  const r = spawnSync(process.execPath, [bundle, ...args], { cwd: dir, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttyconf-cc-'));
  const built = join(dir, 'build', 'ttyconf.cjs');
  report = buildBundle(built);
  bundle = join(dir, 'ttyconf.cjs');
  copyFileSync(built, bundle);
  cache = readFileSync(`${built}.cache`);
  root = join(dir, 'root');
  cpSync(join(projectRoot, 'demo', 'centos7'), root, { recursive: true });
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the bundle's UI in a pseudo-terminal until its first screen, then ends it; returns the screen. */
async function uiFirstScreen(env: Record<string, string>): Promise<string> {
  const pty = createRequire(import.meta.url)('@lydell/node-pty') as typeof import('@lydell/node-pty');
  const p = pty.spawn(process.execPath, [bundle, 'ui', '--root', root], { name: 'linux', cols: 80, rows: 25, cwd: dir, env });
  let screen = '';
  await new Promise<void>((done) => {
    const timer = setTimeout(done, 20_000);
    p.onData((d) => {
      screen += d;
      // The cache is written right after the first screen (src/ui/main.ts onFirstPaint).
      if (screen.includes('Redraw')) setTimeout(() => { clearTimeout(timer); done(); }, 500);
    });
  });
  p.kill('SIGKILL');
  return screen;
}

describe('the code cache', () => {
  it('is built for this node and used', () => {
    expect(report.codeCache?.bytes).toBe(cache.length);
    expect(cache.subarray(0, cache.indexOf(10)).toString()).toMatch(new RegExp(`^ttyconf-code-cache v8=${process.versions.v8.replace(/\./g, '\\.')} id=[0-9a-f]{16} *$`));
    // Padded: the cache after the header line starts 16-byte aligned (V8 copies unaligned data).
    expect((cache.indexOf(10) + 1) % 16).toBe(0);
    writeFileSync(`${bundle}.cache`, cache);
    const r = run('show', '--root', root);
    expect(cacheTrace(r.err)).toBe('ttyconf: code cache used\n');
    // show's own code is in parts compiled when it runs, which the trace says.
    expect(r.err).toMatch(/^ttyconf: compiling part part-[A-Z0-9]+\.js$/m);
    expect(r.code).toBe(0);
  });

  it('gives the same output with the cache, without it, and with a damaged or foreign one', () => {
    writeFileSync(`${bundle}.cache`, cache);
    const reference = run('show', '--json', '--root', root);
    expect(reference.code).toBe(0);
    const header = cache.subarray(0, cache.indexOf(10) + 1).toString();
    const body = cache.subarray(cache.indexOf(10) + 1);
    const variants: [string, Buffer | null, RegExp][] = [
      ['missing', null, /not used: absent/],
      ['empty', Buffer.alloc(0), /not used: not a ttyconf code cache/],
      ['garbage', Buffer.from('\x00\x01garbage\n'.repeat(100)), /not used: not a ttyconf code cache/],
      ['truncated', cache.subarray(0, Math.floor(cache.length / 2)), /rejected by V8/],
      ['body replaced by noise', Buffer.concat([Buffer.from(header), Buffer.alloc(body.length, 0x5a)]), /rejected by V8/],
      ['another V8', Buffer.concat([Buffer.from(header.replace(/v8=\S+/, 'v8=0.0.0')), body]), /not used: made for V8 0\.0\.0/],
      ['another program', Buffer.concat([Buffer.from(header.replace(/id=\S+/, 'id=0123456789abcdef')), body]), /not used: made for V8 \S+ and program 0123456789abcdef/],
    ];
    for (const [name, content, says] of variants) {
      rmSync(`${bundle}.cache`, { force: true });
      if (content) writeFileSync(`${bundle}.cache`, content);
      const r = run('show', '--json', '--root', root);
      expect(r.err, name).toMatch(says);
      expect(r.code, name).toBe(0);
      expect(r.out, name).toBe(reference.out);
    }
  });

  // A Node other than the build's (an RPM on another machine): the console makes its own cache in
  // TTYCONF_CODE_CACHE_DIR when its first screen is up, and the next start uses it.
  it('is made for the Node it runs on, in TTYCONF_CODE_CACHE_DIR, by the first screen of the UI', async () => {
    rmSync(`${bundle}.cache`, { force: true });
    const own = join(dir, 'own-cache');
    const env = { ...serviceEnv('linux', dir), LANG: 'C.UTF-8', TTYCONF_CODE_CACHE_DIR: own, TTYCONF_CODE_CACHE: 'trace' };
    expect(spawnSync(process.execPath, [bundle, 'show', '--root', root], { cwd: dir, encoding: 'utf8', env }).stderr).toMatch(/not used: absent/);
    expect(existsSync(own)).toBe(false);
    const screen = await uiFirstScreen(env);
    expect(screen).toContain('Redraw');
    const made = readFileSync(join(own, 'ttyconf.cjs.cache'));
    expect(made.subarray(0, made.indexOf(10)).toString()).toBe(cache.subarray(0, cache.indexOf(10)).toString());
    expect(readdirSync(own)).toEqual(['ttyconf.cjs.cache']);
    const again = spawnSync(process.execPath, [bundle, 'show', '--json', '--root', root], { cwd: dir, encoding: 'utf8', env });
    expect(cacheTrace(again.stderr)).toBe('ttyconf: code cache used\n');
    expect(again.status).toBe(0);
  });

  // The start-up script holds every part the first screen runs (scripts/build/program.mjs
  // FIRST_SCREEN_MODULES): a part compiled from its line before then would start without a cache.
  it('covers the whole first screen: no part of the program is compiled from its own line before it is up', async () => {
    writeFileSync(`${bundle}.cache`, cache);
    const screen = await uiFirstScreen({ ...serviceEnv('linux', dir), LANG: 'C.UTF-8', TTYCONF_CODE_CACHE: 'trace' });
    expect(screen).toContain('ttyconf: code cache used');
    const up = screen.indexOf('ttyconf: first screen up');
    expect(up).toBeGreaterThan(0);
    expect(screen.slice(0, up)).not.toContain('ttyconf: compiling');
  });

  it('is left out with TTYCONF_CODE_CACHE=off, and usage errors stay the same', () => {
    writeFileSync(`${bundle}.cache`, cache);
    const on = spawnSync(process.execPath, [bundle, 'set', 'ip', 'eth0', 'bogus'], { cwd: dir, encoding: 'utf8', env: serviceEnv('dumb', dir) });
    const off = spawnSync(process.execPath, [bundle, 'set', 'ip', 'eth0', 'bogus'], { cwd: dir, encoding: 'utf8', env: { ...serviceEnv('dumb', dir), TTYCONF_CODE_CACHE: 'off' } });
    expect(on.status).toBe(2);
    expect(off.status).toBe(2);
    expect(off.stderr).toBe(on.stderr);
  });
});
