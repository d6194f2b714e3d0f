// The first code of ttyconf that runs on every console: the bundle's loader (protocol.ts shows the
// file). The build compiles this file with esbuild into the bundle's outer function and calls
// runBundle with what only the build knows (LoaderConfig). It
// 1. sets V8's flags, before the program compiles;
// 2. takes the program's start-up script from the line comment at the end of its own function: a
//    slice of the text node already read, neither a second read nor a copy (node 20 compiles a main
//    file without a code cache, and skipping a comment costs far less than parsing the program);
// 3. compiles it with vm.Script and V8's code cache when one fits this V8 and this program;
// 4. runs the program's entry part with a require that runs each part once, and unpacks and
//    compiles a later part of the program or a side module (blessed, execa) the first time it is
//    required;
// 5. when the UI's first screen is up, writes the code cache if there was none that fitted.
// It imports nothing at run time (node's modules come through the bundle's own require), and the
// build compiles it for ES2015: a Node too old for ttyconf parses the file and reaches the version
// check at its top instead of failing on syntax.
import type * as Fs from 'node:fs';
import type * as Vm from 'node:vm';
import type * as Zlib from 'node:zlib';
import { END_MARK, FIRST_SCREEN_EVENT, PARTS_MARK, PAYLOAD_MARK, SIDE_MARK, cacheHeader, parseCacheHeader } from './protocol.js';

/**
 * For a console that idles for months and redraws on a key (docs/bench.md): no optimising compiler
 * (its code and compile zones were 4-5 MB of resident memory), a young generation that does not
 * grow (up to 3 MB more), and each regular expression compiled once, to machine code, instead of to
 * bytecode first and again to machine code on its second use (about 30 expressions run before the
 * first screen; 2 M instructions less). Set before the program compiles, so a code cache made by
 * this loader carries them; on the command line they would change V8's flag hash and node's own
 * code cache for its built-in modules would be refused (+6 ms).
 */
export const V8_FLAGS = '--no-opt --semi-space-growth-factor=1 --no-regexp-tier-up';

/** What the build writes beside the loader. */
export interface LoaderConfig {
  /** Names the program's text (a hash): a code cache made for another program is never used. */
  readonly programId: string;
  /** The line of the file the program starts on (0-based): stack traces keep the file's lines. */
  readonly lineOffset: number;
  /** The program is on several lines, each behind "//", up to END_MARK (--no-minify builds). */
  readonly multiline: boolean;
  /** The part the loader runs (it requires the others). */
  readonly entry: string;
  /** Each id a side module answers (e.g. 'blessed/lib/tput.js') -> the side module's name. */
  readonly sideOf: Readonly<Record<string, string>>;
}

/** What node gives the bundle's module wrapper. */
export interface ModuleScope {
  readonly exports: unknown;
  readonly require: NodeJS.Require;
  readonly module: unknown;
  readonly filename: string;
  readonly dirname: string;
}

/** The process as the loader uses it (tests give their own). */
export interface LoaderHost {
  readonly env: NodeJS.ProcessEnv;
  /** process.versions.v8 */
  readonly v8: string;
  readonly pid: number;
  /** Where FIRST_SCREEN_EVENT and 'exit' are heard. */
  readonly events: NodeJS.EventEmitter;
  setV8Flags(flags: string): void;
  /** TTYCONF_CODE_CACHE=trace says here whether the cache was used, and which part it compiles when. */
  trace(text: string): void;
}

/** A side module's script: a CommonJS module whose exports are { id: module } for its ids. */
type ProgramFn = (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;
/** One part of the program: runs once, when first required. */
type PartFn = (exports: unknown, require: NodeJS.Require, module: { exports: unknown }) => void;
/** A script of the program (the start-up one, or a later part's): returns the parts it holds. */
type PartsScript = (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => Readonly<Record<string, PartFn>>;

/** The real process. V8's flags go through its binding: node:v8 would load node:stream first (1.2 ms). */
export function processHost(require: NodeJS.Require): LoaderHost {
  return {
    env: process.env,
    v8: process.versions.v8,
    pid: process.pid,
    events: process,
    setV8Flags(flags) {
      // process.binding prints a deprecation notice: silenced for this one call. A Node without it takes node:v8.
      const quiet = process.noDeprecation;
      process.noDeprecation = true;
      try {
        (process as unknown as { binding(name: 'v8'): { setFlagsFromString(f: string): void } }).binding('v8').setFlagsFromString(flags);
      } catch {
        (require('v8') as typeof import('node:v8')).setFlagsFromString(flags);
      } finally {
        process.noDeprecation = quiet;
      }
    },
    trace: (text) => void process.stderr.write(text),
  };
}

/** The program's source in the loader's text, or null when the text does not hold it. */
export function programSource(text: string, multiline: boolean): string | null {
  const at = text.indexOf(`\n${PAYLOAD_MARK}`);
  if (at < 0) return null;
  const start = at + 1 + PAYLOAD_MARK.length;
  if (!multiline) return text.slice(start, text.indexOf('\n', start));
  const end = text.indexOf(`\n${END_MARK}`, start);
  if (end < 0) return null;
  return text.slice(start, end).split('\n//').join('\n');
}

/** A side module's packed line in the loader's text, unpacked. */
export function sideSource(text: string, name: string, zlib: typeof Zlib): string {
  return unpack(text, `\n${SIDE_MARK}${name} `, `side module ${name}`, zlib);
}

/**
 * The program's later parts in the loader's text, unpacked (protocol.ts): a part's script's source
 * by its name, a slice of the unpacked text; undefined for a name the text does not hold.
 */
export function laterSources(text: string, zlib: typeof Zlib): (name: string) => string | undefined {
  const all = unpack(text, `\n${PARTS_MARK}`, 'later parts', zlib);
  const nl = all.indexOf('\n');
  const index = JSON.parse(all.slice(0, nl)) as Record<string, [number, number]>;
  return (name) => (Object.prototype.hasOwnProperty.call(index, name) ? all.slice(nl + 1 + index[name]![0], nl + 1 + index[name]![1]) : undefined);
}

function unpack(text: string, mark: string, what: string, zlib: typeof Zlib): string {
  const at = text.indexOf(mark);
  if (at < 0) throw new Error(`ttyconf: the bundle has no ${what}: the file is damaged`);
  const start = at + mark.length;
  const end = text.indexOf('\n', start);
  return zlib.brotliDecompressSync(Buffer.from(text.slice(start, end < 0 ? undefined : end), 'base64')).toString('latin1');
}

/** Where a code cache is looked for and kept. */
export interface CachePlan {
  /** 'off' (TTYCONF_CODE_CACHE=off), 'trace', or ''. */
  readonly mode: string;
  /** The build's run: where to write the cache at the first screen (TTYCONF_BUILD_CODE_CACHE_OUT). */
  readonly buildOut: string;
  /** The console's own cache for the Node it runs on, in TTYCONF_CODE_CACHE_DIR; '' without one. */
  readonly own: string;
  readonly ownDir: string;
  /** The build's cache beside the bundle. */
  readonly beside: string;
}

export function cachePlan(env: NodeJS.ProcessEnv, filename: string): CachePlan {
  const dir = env.TTYCONF_CODE_CACHE_DIR || '';
  const base = filename.slice(filename.lastIndexOf('/') + 1);
  return {
    mode: env.TTYCONF_CODE_CACHE || '',
    buildOut: env.TTYCONF_BUILD_CODE_CACHE_OUT || '',
    own: dir ? `${dir}/${base}.cache` : '',
    ownDir: dir,
    beside: `${filename}.cache`,
  };
}

export type CacheChoice = { readonly data: Buffer; readonly file: string } | { readonly data: null; readonly why: string };

/**
 * The first cache that fits this V8 and this program: the console's own, then the build's. V8 does
 * not checksum a cache, so the own one is renamed to .trying while in use and put back at the first
 * screen or a normal exit: a cache that crashes V8 is used once, never in a restart loop.
 */
export function chooseCache(plan: CachePlan, fs: typeof Fs, host: LoaderHost, programId: string): CacheChoice {
  if (plan.mode === 'off' || plan.buildOut) return { data: null, why: 'off' };
  // The header a cache that fits starts with, compared as it is: a cache that fits is the usual case.
  const fits = `${cacheHeader(host.v8, programId)}\n`;
  let why = 'absent';
  for (const file of plan.own ? [plan.own, plan.beside] : [plan.beside]) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : (e as Error).message;
      continue;
    }
    if (buf.toString('latin1', 0, fits.length) !== fits) {
      const header = parseCacheHeader(buf.toString('latin1', 0, Math.max(buf.indexOf(10), 0)));
      why = header ? `made for V8 ${header.v8} and program ${header.programId}` : 'not a ttyconf code cache';
      continue;
    }
    if (file === plan.own) {
      const trying = `${plan.own}.trying`;
      fs.renameSync(plan.own, trying);
      const putBack = (): void => {
        try {
          fs.renameSync(trying, plan.own);
        } catch {
          // already back, or removed meanwhile: nothing to restore
        }
        host.events.removeListener(FIRST_SCREEN_EVENT, putBack);
        host.events.removeListener('exit', putBack);
      };
      host.events.once(FIRST_SCREEN_EVENT, putBack);
      host.events.once('exit', putBack);
    }
    return { data: buf.subarray(fits.length), file };
  }
  return { data: null, why };
}

/** Writes a cache atomically (temp file beside, fsync, rename); a failure leaves no temp file behind. */
export function writeCache(fs: typeof Fs, file: string, header: string, data: Buffer, pid: number): void {
  const tmp = `${file}.${pid}.tmp`;
  try {
    const fd = fs.openSync(tmp, 'w', 0o644);
    try {
      fs.writeSync(fd, Buffer.concat([Buffer.from(`${header}\n`), data]));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never made
    }
    throw e;
  }
}

/** The program's modules: its parts and the side modules, each run once. */
export interface ProgramModules {
  /** The require every part gets: './NAME' is a part, a side module's id its module, anything else node's. */
  readonly require: NodeJS.Require;
  /** Adds the parts a compiled script holds. */
  define(script: PartsScript): void;
}

/**
 * The later parts' line is unpacked the first time one of them is required, and each part compiled
 * the first time it is; a side module's line is unpacked and compiled the first time one of its ids
 * is required. Stack traces name them FILE#name. node:zlib (and node:stream under it) loads then,
 * not before the first screen.
 */
export function programModules(scope: ModuleScope, sideOf: Readonly<Record<string, string>>, text: () => string, vm: typeof Vm, trace?: (text: string) => void): ProgramModules {
  const defined: Record<string, PartFn> = {};
  const parts: Record<string, { exports: unknown }> = {};
  const sides: Record<string, Record<string, unknown>> = {};
  let later: ((name: string) => string | undefined) | null = null;
  const zlib = (): typeof Zlib => scope.require('zlib') as typeof Zlib;
  const compile = (source: string, name: string): unknown => new vm.Script(source, { filename: `${scope.filename}#${name}` }).runInThisContext();
  const define = (script: PartsScript): void => {
    // A module of its own: the script's table is its exports, never the bundle file's.
    const mod = { exports: {} };
    Object.assign(defined, script(mod.exports, require, mod, scope.filename, scope.dirname));
  };
  const part = (name: string): unknown => {
    const done = parts[name];
    if (done) return done.exports;
    if (!Object.prototype.hasOwnProperty.call(defined, name)) {
      later ??= laterSources(text(), zlib());
      const source = later(name);
      if (source === undefined) throw new Error(`ttyconf: the bundle has no part ${name}: the file is damaged`);
      trace?.(`ttyconf: compiling part ${name}\n`);
      define(compile(source, name) as PartsScript);
    }
    const fn = defined[name];
    if (!fn) throw new Error(`ttyconf: the bundle's part ${name} does not define itself: the file is damaged`);
    // Known before it runs: a part that requires back (a cycle) gets the exports made so far, as in node.
    const mod = { exports: {} as unknown };
    parts[name] = mod;
    fn(mod.exports, require, mod);
    return mod.exports;
  };
  const side = (name: string): Record<string, unknown> => {
    const done = sides[name];
    if (done) return done;
    const mod = { exports: {} as Record<string, unknown> };
    trace?.(`ttyconf: compiling side module ${name}\n`);
    (compile(sideSource(text(), name, zlib()), name) as ProgramFn)(mod.exports, require, mod, scope.filename, scope.dirname);
    return (sides[name] = mod.exports);
  };
  const require = ((id: string): unknown => {
    if (id.startsWith('./')) return part(id.slice(2));
    if (Object.prototype.hasOwnProperty.call(sideOf, id)) return side(sideOf[id]!)[id];
    return scope.require(id);
  }) as NodeJS.Require;
  require.resolve = scope.require.resolve;
  require.cache = scope.require.cache;
  require.main = scope.require.main;
  return { require, define };
}

/**
 * Runs the program held in `ownText()` (the text of the function the build wrapped this loader in).
 * Falls back to reading the file when that text does not hold the program.
 */
export function runBundle(config: LoaderConfig, scope: ModuleScope, ownText: () => string, host: LoaderHost = processHost(scope.require)): void {
  const fs = scope.require('fs') as typeof Fs;
  host.setV8Flags(V8_FLAGS);
  let text = ownText();
  let source = programSource(text, config.multiline);
  if (source === null) {
    text = fs.readFileSync(scope.filename, 'latin1');
    source = programSource(text, config.multiline);
    if (source === null) throw new Error(`ttyconf: ${scope.filename} holds no program: the file is damaged`);
  }
  const plan = cachePlan(host.env, scope.filename);
  const cache = chooseCache(plan, fs, host, config.programId);
  const vm = scope.require('vm') as typeof Vm;
  const cached = cache.data ?? undefined;
  const script = new vm.Script(source, { filename: scope.filename, lineOffset: config.lineOffset, columnOffset: PAYLOAD_MARK.length, cachedData: cached });
  if (plan.mode === 'trace') {
    host.trace(`ttyconf: code cache ${cache.data ? (script.cachedDataRejected ? 'rejected by V8' : 'used') : `not used: ${cache.why}`}\n`);
    host.events.once(FIRST_SCREEN_EVENT, () => host.trace('ttyconf: first screen up\n'));
  }
  // What is compiled when the UI's first screen is up: the build's run keeps it as FILE.cache; a
  // console without a cache that fits keeps its own for the next start.
  const keepAt = plan.buildOut || (plan.own && plan.mode !== 'off' && (!cache.data || script.cachedDataRejected) ? plan.own : '');
  if (keepAt) {
    host.events.once(FIRST_SCREEN_EVENT, () => {
      try {
        if (!plan.buildOut) fs.mkdirSync(plan.ownDir, { recursive: true, mode: 0o755 });
        writeCache(fs, keepAt, cacheHeader(host.v8, config.programId), script.createCachedData(), host.pid);
        if (!plan.buildOut) fs.rmSync(`${keepAt}.trying`, { force: true });
      } catch {
        // No cache this time: the next start compiles from source, as this one did.
      }
    });
  }
  const modules = programModules(scope, config.sideOf, () => text, vm, plan.mode === 'trace' ? host.trace : undefined);
  modules.define(script.runInThisContext() as PartsScript);
  modules.require(`./${config.entry}`);
}

// The build reads the layout from the compiled loader itself (scripts/build/wrap.mjs).
export { END_MARK, PARTS_MARK, PAYLOAD_MARK, SIDE_MARK } from './protocol.js';
