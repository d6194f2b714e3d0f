// The first code of ttyconf that runs on every console: the bundle's loader (protocol.ts shows the
// file). The build compiles this file with esbuild into the bundle's outer function and calls
// runBundle with what only the build knows (LoaderConfig). It
// 1. sets V8's flags, before the program compiles;
// 2. takes the program from the line comment at the end of its own function: a slice of the text
//    node already read, neither a second read nor a copy (node 20 compiles a main file without a
//    code cache, and skipping a comment costs far less than parsing the program);
// 3. compiles it with vm.Script and V8's code cache when one fits this V8 and this program;
// 4. runs it with a require that unpacks and compiles a side module (blessed, execa) the first time
//    one of its ids is required;
// 5. when the UI's first screen is up, writes the code cache if there was none that fitted.
// It imports nothing at run time (node's modules come through the bundle's own require), and the
// build compiles it for ES2015: a Node too old for ttyconf parses the file and reaches the version
// check at its top instead of failing on syntax.
import type * as Fs from 'node:fs';
import type * as Vm from 'node:vm';
import type * as Zlib from 'node:zlib';
import { END_MARK, FIRST_SCREEN_EVENT, PAYLOAD_MARK, SIDE_MARK, cacheHeader, parseCacheHeader } from './protocol.js';

/**
 * For a console that idles for months and redraws on a key (docs/bench.md): no optimising compiler
 * (its code and compile zones were 4-5 MB of resident memory) and a young generation that does not
 * grow (up to 3 MB more). Set before the program compiles, so a code cache made by this loader
 * carries them; on the command line they would change V8's flag hash and node's own code cache for
 * its built-in modules would be refused (+6 ms).
 */
export const V8_FLAGS = '--no-opt --semi-space-growth-factor=1';

/** What the build writes beside the loader. */
export interface LoaderConfig {
  /** Names the program's text (a hash): a code cache made for another program is never used. */
  readonly programId: string;
  /** The line of the file the program starts on (0-based): stack traces keep the file's lines. */
  readonly lineOffset: number;
  /** The program is on several lines, each behind "//", up to END_MARK (--no-minify builds). */
  readonly multiline: boolean;
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
  /** TTYCONF_CODE_CACHE=trace says here whether the cache was used. */
  trace(text: string): void;
}

type ProgramFn = (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void;

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
  const m = `\n${SIDE_MARK}${name} `;
  const at = text.indexOf(m);
  if (at < 0) throw new Error(`ttyconf: the bundle has no side module ${name}: the file is damaged`);
  const start = at + m.length;
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
  let why = 'absent';
  for (const file of plan.own ? [plan.own, plan.beside] : [plan.beside]) {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'absent' : (e as Error).message;
      continue;
    }
    const nl = buf.indexOf(10);
    const header = parseCacheHeader(buf.toString('latin1', 0, Math.max(nl, 0)));
    if (!header) {
      why = 'not a ttyconf code cache';
      continue;
    }
    if (header.v8 !== host.v8 || header.programId !== programId) {
      why = `made for V8 ${header.v8} and program ${header.programId}`;
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
    return { data: buf.subarray(nl + 1), file };
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

/**
 * The require the program gets: a side module's id unpacks and compiles that side module once
 * (stack traces name it FILE#name); everything else is node's require.
 */
export function sideRequire(scope: ModuleScope, sideOf: Readonly<Record<string, string>>, text: () => string, vm: typeof Vm): NodeJS.Require {
  const loaded: Record<string, Record<string, unknown>> = {};
  const load = ((id: string): unknown => {
    if (!Object.prototype.hasOwnProperty.call(sideOf, id)) return scope.require(id);
    const name = sideOf[id]!;
    if (!loaded[name]) {
      const mod = { exports: {} as Record<string, unknown> };
      // node:zlib (and node:stream under it) loads here, not before the first screen.
      const zlib = scope.require('zlib') as typeof Zlib;
      const fn = new vm.Script(sideSource(text(), name, zlib), { filename: `${scope.filename}#${name}` }).runInThisContext() as ProgramFn;
      fn(mod.exports, load, mod, scope.filename, scope.dirname);
      loaded[name] = mod.exports;
    }
    return loaded[name]![id];
  }) as NodeJS.Require;
  load.resolve = scope.require.resolve;
  load.cache = scope.require.cache;
  load.main = scope.require.main;
  return load;
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
  const require = sideRequire(scope, config.sideOf, () => text, vm);
  (script.runInThisContext() as ProgramFn)(scope.exports, require, scope.module, scope.filename, scope.dirname);
}

// The build reads the layout from the compiled loader itself (scripts/build/wrap.mjs).
export { END_MARK, PAYLOAD_MARK, SIDE_MARK } from './protocol.js';
