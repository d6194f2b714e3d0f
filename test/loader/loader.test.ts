// The bundle's loader (src/loader/loader.ts) on its own: bundle texts made here, a real vm and real
// code caches, a host whose environment and events the test holds.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoaderConfig, type LoaderHost, V8_FLAGS, laterSources, programSource, runBundle, sideSource } from '../../src/loader/loader.js';
import { END_MARK, FIRST_SCREEN_EVENT, PARTS_MARK, PAYLOAD_MARK, SIDE_MARK, cacheHeader, parseCacheHeader } from '../../src/loader/protocol.js';
import * as zlib from 'node:zlib';

const require = createRequire(import.meta.url);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttyconf-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The programs record what they saw here (they run in this context, as in the bundle). */
const seen = globalThis as unknown as { loaderSeen?: unknown[]; loaderGet?: (id: string) => unknown };

/** A script of the program, as the build makes it: a table of parts, each a function body here. */
function script(parts: Record<string, string>): string {
  const table = Object.entries(parts).map(([name, body]) => `${JSON.stringify(name)}: function (exports, require, module) { ${body} }`);
  return `(function (exports, require, module, __filename, __dirname) { return { ${table.join(', ')} }; })`;
}

const PROGRAM = script({ 'main.js': 'globalThis.loaderSeen.push(["program", __filename]);' });

const pack = (text: string): string => brotliCompressSync(Buffer.from(text, 'latin1')).toString('base64');

function bundleText(program: string, sides: Record<string, string> = {}, later: Record<string, string> = {}): string {
  // The later parts' text (protocol.ts): an index of [start, end] by name, a newline, the scripts.
  let at = 0;
  const index = Object.fromEntries(Object.entries(later).map(([name, code]) => [name, [at, (at += code.length)]]));
  const laterLine = Object.keys(later).length ? `\n${PARTS_MARK}${pack(`${JSON.stringify(index)}\n${Object.values(later).join('')}`)}` : '';
  const sideLines = Object.entries(sides).map(([name, code]) => `\n${SIDE_MARK}${name} ${pack(code)}`);
  return `(function ttyconfLoad() {\nreturn;\n${PAYLOAD_MARK}${program}${laterLine}${sideLines.join('')}\n})`;
}

function host(env: NodeJS.ProcessEnv = {}): LoaderHost & { flags: string[]; traced: string[]; events: EventEmitter } {
  const flags: string[] = [];
  const traced: string[] = [];
  return { env, v8: process.versions.v8, pid: 4242, events: new EventEmitter(), flags, traced, setV8Flags: (f) => void flags.push(f), trace: (t) => void traced.push(t) };
}

const CONFIG: LoaderConfig = { programId: 'abcdef0123456789', lineOffset: 3, multiline: false, entry: 'main.js', sideOf: {} };

/** Runs the bundle text; what the program saw is in seen.loaderSeen. Returns the bundle module's exports, which the program leaves alone. */
function run(text: string, h: LoaderHost, config: LoaderConfig = CONFIG, filename = join(dir, 'ttyconf.cjs')): Record<string, unknown> {
  seen.loaderSeen = [];
  const module = { exports: {} as Record<string, unknown> };
  runBundle(config, { exports: module.exports, require, module, filename, dirname: dir }, () => text, h);
  return module.exports;
}

describe('the program', () => {
  it('is taken from the line after the payload mark, and its entry part run, after the V8 flags are set', () => {
    const h = host();
    expect(run(bundleText(PROGRAM), h)).toEqual({});
    expect(h.flags).toEqual([V8_FLAGS]);
    expect(seen.loaderSeen).toEqual([['program', join(dir, 'ttyconf.cjs')]]);
  });

  it('on several lines behind "//" up to the end mark (--no-minify)', () => {
    const text = `x\n${PAYLOAD_MARK}(function () {\n//  return { "main.js": function () { globalThis.loaderSeen.push("lines"); } };\n//})\n${END_MARK}\n`;
    expect(programSource(text, true)).toBe('(function () {\n  return { "main.js": function () { globalThis.loaderSeen.push("lines"); } };\n})');
    run(text, host(), { ...CONFIG, multiline: true });
    expect(seen.loaderSeen).toEqual(['lines']);
  });

  it('is read from the file when the function text does not hold it', () => {
    const file = join(dir, 'ttyconf.cjs');
    writeFileSync(file, bundleText(PROGRAM), 'latin1');
    run('function ttyconfLoad() {}', host(), CONFIG, file);
    expect(seen.loaderSeen).toEqual([['program', file]]);
  });

  it('a file without a program is an error that names it', () => {
    const file = join(dir, 'ttyconf.cjs');
    writeFileSync(file, 'nothing here\n');
    expect(() => run('nothing', host(), CONFIG, file)).toThrow(`${file} holds no program`);
  });

  it('keeps the line numbers of the file in stack traces', () => {
    const thrower = script({ 'main.js': 'throw new Error("boom");' });
    try {
      run(bundleText(thrower), host(), { ...CONFIG, lineOffset: 41 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).stack).toContain(`${join(dir, 'ttyconf.cjs')}:42:`);
    }
  });
});

describe('the parts of the program', () => {
  const shared = 'globalThis.loaderSeen.push("shared"); module.exports.n = (module.exports.n || 0) + 1; module.exports.main = require("./main.js");';
  const startup = script({
    'main.js': 'globalThis.loaderSeen.push("main"); exports.early = 1; const s = require("./shared.js"); globalThis.loaderGet = (id) => require(id); globalThis.loaderSeen.push(["main sees", s.n, s.main.early]);',
    'shared.js': shared,
  });
  const later = { 'later.js': script({ 'later.js': 'globalThis.loaderSeen.push("later"); module.exports = { shared: require("./shared.js"), both: require("./both.js").x };' }), 'both.js': script({ 'both.js': 'exports.x = 2;' }) };

  it('each runs once, on its first require; a part required back while it runs gets its exports so far', () => {
    run(bundleText(startup), host());
    expect(seen.loaderSeen).toEqual(['main', 'shared', ['main sees', 1, 1]]);
    expect(seen.loaderGet!('./shared.js')).toEqual({ n: 1, main: { early: 1 } });
    expect(seen.loaderSeen).toHaveLength(3);
  });

  it('the later parts are unpacked and compiled on their first require, each once, and can require the start-up parts', () => {
    const h = host({ TTYCONF_CODE_CACHE: 'trace' });
    run(bundleText(startup, {}, later), h);
    expect(h.traced.join('')).not.toContain('compiling');
    const l = seen.loaderGet!('./later.js') as { shared: unknown; both: number };
    expect(l.shared).toBe(seen.loaderGet!('./shared.js'));
    expect(l.both).toBe(2);
    expect(seen.loaderGet!('./later.js')).toBe(l);
    expect(seen.loaderSeen!.filter((x) => x === 'later')).toHaveLength(1);
    expect(h.traced.filter((t) => t.includes('compiling'))).toEqual(['ttyconf: compiling part later.js\n', 'ttyconf: compiling part both.js\n']);
  });

  it('a part missing from the file is an error that names it', () => {
    run(bundleText(startup, {}, later), host());
    expect(() => seen.loaderGet!('./gone.js')).toThrow('the bundle has no part gone.js');
    expect(() => laterSources(bundleText(startup), zlib)).toThrow('the bundle has no later parts');
  });
});

describe('side modules', () => {
  const side = '(function (exports, require, module) { globalThis.loaderSeen.push(["side"]); const a = { a: 1 }; module.exports = { "pkg/a.js": a, "pkg/b.js": { b: a.a + 1, path: require("node:path") } }; })';
  const uses = script({ 'main.js': 'globalThis.loaderSeen.push(["program"]); globalThis.loaderGet = (id) => require(id);' });
  const config = { ...CONFIG, sideOf: { 'pkg/a.js': 'pkg', 'pkg/b.js': 'pkg' } };

  it('are unpacked and compiled on the first require of one of their ids, once', () => {
    run(bundleText(uses, { pkg: side }), host(), config);
    expect(seen.loaderSeen).toEqual([['program']]);
    const get = seen.loaderGet!;
    expect(get('pkg/b.js')).toEqual({ b: 2, path: require('node:path') });
    expect(get('pkg/a.js')).toEqual({ a: 1 });
    expect(seen.loaderSeen).toEqual([['program'], ['side']]);
    // Everything else is node's require.
    expect(get('node:path')).toBe(require('node:path'));
  });

  it('a side module missing from the file is an error that says so', () => {
    expect(() => sideSource(bundleText(uses), 'pkg', zlib)).toThrow('the bundle has no side module pkg');
  });
});

describe('the code cache', () => {
  it("header line ends where the cache starts 16-byte aligned, and reads back whatever the versions' lengths", () => {
    for (let n = 1; n <= 40; n++) {
      const v8 = '1'.repeat(n);
      const header = cacheHeader(v8, 'abcdef0123456789');
      expect((header.length + 1) % 16, v8).toBe(0);
      expect(parseCacheHeader(header)).toEqual({ v8, programId: 'abcdef0123456789' });
    }
  });

  const file = (): string => join(dir, 'ttyconf.cjs');
  const text = bundleText(PROGRAM);

  /** A cache as the build makes it: the program run with TTYCONF_BUILD_CODE_CACHE_OUT, kept at the first screen. */
  function makeCache(): Buffer {
    const out = join(dir, 'made.cache');
    const h = host({ TTYCONF_BUILD_CODE_CACHE_OUT: out });
    run(text, h);
    expect(existsSync(out)).toBe(false);
    h.events.emit(FIRST_SCREEN_EVENT);
    return readFileSync(out);
  }

  it('made at the first screen names this V8 and this program, and is used by the next start', () => {
    const cache = makeCache();
    expect(cache.subarray(0, cache.indexOf(10)).toString()).toBe(cacheHeader(process.versions.v8, CONFIG.programId));
    writeFileSync(`${file()}.cache`, cache);
    const h = host({ TTYCONF_CODE_CACHE: 'trace' });
    run(text, h);
    expect(seen.loaderSeen).toEqual([['program', file()]]);
    expect(h.traced).toEqual(['ttyconf: code cache used\n']);
  });

  it.each([
    ['absent', null, 'not used: absent'],
    ['not a cache', Buffer.from('garbage\n'), 'not used: not a ttyconf code cache'],
    ['another program', 'other', 'not used: made for V8 '],
    ['noise instead of V8 data', 'noise', 'rejected by V8'],
  ] as const)('%s: the program runs from source and says why', (_, content, says) => {
    if (content === 'other') writeFileSync(`${file()}.cache`, Buffer.concat([Buffer.from(`${cacheHeader(process.versions.v8, '0000000000000000')}\n`), Buffer.alloc(100)]));
    else if (content === 'noise') writeFileSync(`${file()}.cache`, Buffer.concat([Buffer.from(`${cacheHeader(process.versions.v8, CONFIG.programId)}\n`), Buffer.alloc(4000, 0x5a)]));
    else if (content) writeFileSync(`${file()}.cache`, content);
    const h = host({ TTYCONF_CODE_CACHE: 'trace' });
    run(text, h);
    expect(seen.loaderSeen).toEqual([['program', file()]]);
    expect(h.traced.join('')).toContain(says);
  });

  it('TTYCONF_CODE_CACHE=off reads no cache and writes none', () => {
    writeFileSync(`${file()}.cache`, 'x');
    const own = join(dir, 'own');
    const h = host({ TTYCONF_CODE_CACHE: 'off', TTYCONF_CODE_CACHE_DIR: own });
    run(text, h);
    h.events.emit(FIRST_SCREEN_EVENT);
    expect(existsSync(own)).toBe(false);
  });

  it('a console without a cache that fits makes its own in TTYCONF_CODE_CACHE_DIR at the first screen, and uses it next time', () => {
    const own = join(dir, 'own');
    const first = host({ TTYCONF_CODE_CACHE_DIR: own, TTYCONF_CODE_CACHE: 'trace' });
    run(text, first);
    expect(first.traced).toEqual(['ttyconf: code cache not used: absent\n']);
    first.events.emit(FIRST_SCREEN_EVENT);
    expect(readdirSync(own)).toEqual(['ttyconf.cjs.cache']);
    const next = host({ TTYCONF_CODE_CACHE_DIR: own, TTYCONF_CODE_CACHE: 'trace' });
    run(text, next);
    expect(next.traced).toEqual(['ttyconf: code cache used\n']);
    // In use, the own cache is set aside as .trying: one that crashes V8 is never used twice.
    expect(readdirSync(own)).toEqual(['ttyconf.cjs.cache.trying']);
    next.events.emit(FIRST_SCREEN_EVENT);
    expect(readdirSync(own)).toEqual(['ttyconf.cjs.cache']);
  });

  it('an own cache set aside by a start that never reached its first screen is not used again', () => {
    const own = join(dir, 'own');
    const first = host({ TTYCONF_CODE_CACHE_DIR: own });
    run(text, first);
    first.events.emit(FIRST_SCREEN_EVENT);
    const crashed = host({ TTYCONF_CODE_CACHE_DIR: own });
    run(text, crashed); // ... and V8 crashed here: no first screen, no exit handler
    const after = host({ TTYCONF_CODE_CACHE_DIR: own, TTYCONF_CODE_CACHE: 'trace' });
    run(text, after);
    expect(after.traced).toEqual(['ttyconf: code cache not used: absent\n']);
    after.events.emit(FIRST_SCREEN_EVENT);
    expect(readdirSync(own)).toEqual(['ttyconf.cjs.cache']);
  });
});

describe('built-ins in the program (src/loader/builtins.ts)', () => {
  it('lazyBuiltin loads the module on its first use, and a module that is a function can be called', async () => {
    const { lazyBuiltin } = await import('../../src/loader/builtins.js');
    const asked: string[] = [];
    const req = ((id: string) => (asked.push(id), require(id))) as NodeJS.Require;
    const assert = lazyBuiltin(req, 'node:assert') as typeof import('node:assert');
    const os = lazyBuiltin(req, 'node:os') as typeof import('node:os');
    expect(asked).toEqual([]);
    expect(() => assert(false)).toThrow();
    expect(os.EOL).toBe('\n');
    expect('EOL' in os).toBe(true);
    expect(asked).toEqual(['node:assert', 'node:os']);
  });

  it('importBuiltin gives what import() of a built-in gives: its exports and default', async () => {
    const { importBuiltin } = await import('../../src/loader/builtins.js');
    const ns = importBuiltin(require, 'node:path') as Record<string, unknown>;
    expect(ns.join).toBe(require('node:path').join);
    expect(ns.default).toBe(require('node:path'));
    expect(Object.isFrozen(ns)).toBe(true);
  });
});
