// The bundle's loader (src/loader/loader.ts) on its own: bundle texts made here, a real vm and real
// code caches, a host whose environment and events the test holds.
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type LoaderConfig, type LoaderHost, V8_FLAGS, programSource, runBundle, sideSource } from '../../src/loader/loader.js';
import { END_MARK, FIRST_SCREEN_EVENT, PAYLOAD_MARK, SIDE_MARK, cacheHeader } from '../../src/loader/protocol.js';
import * as zlib from 'node:zlib';

const require = createRequire(import.meta.url);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ttyconf-loader-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The programs record what they saw here (they run in this context, as in the bundle). */
const seen = globalThis as unknown as { loaderSeen?: unknown[] };

const PROGRAM = '(function (exports, require, module, __filename, __dirname) { module.exports.answer = 42; globalThis.loaderSeen.push(["program", __filename]); })';

function bundleText(program: string, sides: Record<string, string> = {}): string {
  const sideLines = Object.entries(sides).map(([name, code]) => `\n${SIDE_MARK}${name} ${brotliCompressSync(Buffer.from(code, 'latin1')).toString('base64')}`);
  return `(function ttyconfLoad() {\nreturn;\n${PAYLOAD_MARK}${program}${sideLines.join('')}\n})`;
}

function host(env: NodeJS.ProcessEnv = {}): LoaderHost & { flags: string[]; traced: string[]; events: EventEmitter } {
  const flags: string[] = [];
  const traced: string[] = [];
  return { env, v8: process.versions.v8, pid: 4242, events: new EventEmitter(), flags, traced, setV8Flags: (f) => void flags.push(f), trace: (t) => void traced.push(t) };
}

const CONFIG: LoaderConfig = { programId: 'abcdef0123456789', lineOffset: 3, multiline: false, sideOf: {} };

function run(text: string, h: LoaderHost, config: LoaderConfig = CONFIG, filename = join(dir, 'ttyconf.cjs')): { exports: Record<string, unknown> } {
  seen.loaderSeen = [];
  const module = { exports: {} as Record<string, unknown> };
  runBundle(config, { exports: module.exports, require, module, filename, dirname: dir }, () => text, h);
  return module;
}

describe('the program', () => {
  it('is taken from the line after the payload mark and run as the module, after the V8 flags are set', () => {
    const h = host();
    const m = run(bundleText(PROGRAM), h);
    expect(m.exports.answer).toBe(42);
    expect(h.flags).toEqual([V8_FLAGS]);
    expect(seen.loaderSeen).toEqual([['program', join(dir, 'ttyconf.cjs')]]);
  });

  it('on several lines behind "//" up to the end mark (--no-minify)', () => {
    const text = `x\n${PAYLOAD_MARK}(function (exports, require, module) {\n//  module.exports.lines = 2;\n//})\n${END_MARK}\n`;
    expect(programSource(text, true)).toBe('(function (exports, require, module) {\n  module.exports.lines = 2;\n})');
    expect(run(text, host(), { ...CONFIG, multiline: true }).exports.lines).toBe(2);
  });

  it('is read from the file when the function text does not hold it', () => {
    const file = join(dir, 'ttyconf.cjs');
    writeFileSync(file, bundleText(PROGRAM), 'latin1');
    expect(run('function ttyconfLoad() {}', host(), CONFIG, file).exports.answer).toBe(42);
  });

  it('a file without a program is an error that names it', () => {
    const file = join(dir, 'ttyconf.cjs');
    writeFileSync(file, 'nothing here\n');
    expect(() => run('nothing', host(), CONFIG, file)).toThrow(`${file} holds no program`);
  });

  it('keeps the line numbers of the file in stack traces', () => {
    const thrower = '(function () { throw new Error("boom"); })';
    try {
      run(bundleText(thrower), host(), { ...CONFIG, lineOffset: 41 });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).stack).toContain(`${join(dir, 'ttyconf.cjs')}:42:`);
    }
  });
});

describe('side modules', () => {
  const side = '(function (exports, require, module) { globalThis.loaderSeen.push(["side"]); const a = { a: 1 }; module.exports = { "pkg/a.js": a, "pkg/b.js": { b: a.a + 1, path: require("node:path") } }; })';
  const uses = '(function (exports, require, module) { globalThis.loaderSeen.push(["program"]); module.exports.get = (id) => require(id); })';
  const config = { ...CONFIG, sideOf: { 'pkg/a.js': 'pkg', 'pkg/b.js': 'pkg' } };

  it('are unpacked and compiled on the first require of one of their ids, once', () => {
    const m = run(bundleText(uses, { pkg: side }), host(), config);
    expect(seen.loaderSeen).toEqual([['program']]);
    const get = m.exports.get as (id: string) => unknown;
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
    expect(run(text, h).exports.answer).toBe(42);
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
    expect(run(text, h).exports.answer).toBe(42);
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
