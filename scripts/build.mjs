#!/usr/bin/env node
// Bundles ttyconf into ONE self-contained CommonJS file, build/ttyconf.cjs, that runs with plain
// `node` and no node_modules beside it. What it takes care of:
// - blessed 0.1.81: lib/widget.js requires './widgets/' + name (no extension: a bundle cannot resolve
//   it), so it is rewritten to a static table; lib/tput.js reads its fallback terminfo/termcap files
//   from __dirname + '/../usr/...', so the few it needs are embedded and served from memory.
//   term.js and pty.js (optional deps of the Terminal widget, never used) stay external.
// - ESM source in a CJS file: import.meta.url is defined from __filename; TTYCONF_VERSION is defined.
// - dynamic import() must stay lazy: checked after every build (see lazyReport below).
// - start-up (docs/bench.md): node built-ins that the first screen does not need (crypto,
//   child_process, assert) load on first use; the code runs from a comment through vm.Script with a
//   V8 code cache embedded in the same file (see wrapWithLoader and produceCodeCache below).
//
// Usage: node scripts/build.mjs [--outfile FILE] [--entry FILE] [--report FILE] [--no-code-cache] [--no-minify] [--quiet]
//   --entry FILE   bundle FILE (any module with side effects) instead of the CLI entry (tests use it)
//   --report FILE  also write a JSON report: bytes, lazy modules, eager violations, licences
import * as esbuild from 'esbuild';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { createHash } from 'node:crypto';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** blessed's terminal files the bundle carries (fonts for BigText are left out on purpose). */
const EMBEDDED_USR = ['xterm', 'xterm-256color', 'linux', 'windows-ansi', 'xterm.termcap'];
/** A path prefix that exists nowhere: tput.js asks for it, the embedded table answers. */
const EMBEDDED_PREFIX = '/@ttyconf-embedded/blessed/usr/';
/** Lowest Node.js major the bundle runs on (package.json "engines"). */
const NODE_MAJOR = 20;

function replaceExactly(source, file, search, replacement, count) {
  const found = source.split(search).length - 1;
  if (found !== count) {
    throw new Error(`build: expected ${count} occurrence(s) of ${JSON.stringify(search)} in ${file}, found ${found}: has blessed changed?`);
  }
  return source.split(search).join(replacement);
}

/** Makes blessed bundle-safe (see the header). Fails the build if blessed's code is not what it expects. */
export function blessedPlugin() {
  return {
    name: 'ttyconf-blessed',
    setup(build) {
      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]widget\.js$/ }, (args) => {
        const file = relative(projectRoot, args.path);
        const widgetsDir = join(dirname(args.path), 'widgets');
        const names = readdirSync(widgetsDir)
          .filter((f) => f.endsWith('.js'))
          .map((f) => f.slice(0, -3))
          .sort();
        const table =
          'var __ttyconfWidgets = {\n' +
          names.map((n) => `  ${JSON.stringify(n)}: function () { return require(${JSON.stringify(`./widgets/${n}.js`)}); }`).join(',\n') +
          '\n};\n';
        let source = readFileSync(args.path, 'utf8');
        const classes = /widget\.classes = \[([^\]]*)\]/.exec(source);
        if (!classes) throw new Error(`build: no widget.classes list in ${file}: has blessed changed?`);
        for (const m of classes[1].matchAll(/'([A-Za-z]+)'/g)) {
          if (!names.includes(m[1].toLowerCase())) throw new Error(`build: blessed widget ${m[1]} has no file in ${widgetsDir}`);
        }
        source = replaceExactly(source, file, "require('./widgets/' + file)", '__ttyconfWidgets[file]()', 1);
        return { contents: table + source, loader: 'js' };
      });

      // unicode.js needs only Screen (for the tab width) but requires blessed's index for it, which
      // pulls in all 38 widgets and their image decoders (about 300 KB the program never runs).
      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]unicode\.js$/ }, (args) => {
        const file = relative(projectRoot, args.path);
        const source = replaceExactly(readFileSync(args.path, 'utf8'), file, "exports.blessed = require('../');", "exports.blessed = { screen: require('./widgets/screen') };", 1);
        return { contents: source, loader: 'js' };
      });

      build.onLoad({ filter: /[\\/]blessed[\\/]lib[\\/]tput\.js$/ }, (args) => {
        const file = relative(projectRoot, args.path);
        const usrDir = join(dirname(args.path), '..', 'usr');
        const embedded = Object.fromEntries(EMBEDDED_USR.map((n) => [n, readFileSync(join(usrDir, n)).toString('base64')]));
        const prelude = `
// ttyconf build: blessed's usr/ files, embedded (the bundle has no usr/ directory beside it).
var __ttyconfUsr = ${JSON.stringify(embedded, null, 1)};
var __ttyconfUsrPrefix = ${JSON.stringify(EMBEDDED_PREFIX)};
function __ttyconfReadFileSync(file, encoding) {
  if (typeof file === 'string' && file.indexOf(__ttyconfUsrPrefix) === 0) {
    var name = file.slice(__ttyconfUsrPrefix.length);
    if (!Object.prototype.hasOwnProperty.call(__ttyconfUsr, name)) {
      var e = new Error('ENOENT: no such file (not embedded in the ttyconf bundle): ' + file);
      e.code = 'ENOENT';
      throw e;
    }
    var data = Buffer.from(__ttyconfUsr[name], 'base64');
    return encoding ? data.toString(encoding) : data;
  }
  return require('fs').readFileSync(file, encoding);
}
`;
        let source = readFileSync(args.path, 'utf8');
        source = replaceExactly(source, file, "__dirname + '/../usr/", `__ttyconfUsrPrefix + '`, 4);
        source = replaceExactly(source, file, 'fs.readFileSync(', '__ttyconfReadFileSync(', 3);
        // Parsing a terminfo file calls assert.equal/assert for every section: check inline and load
        // node:assert (about 1 ms at start-up) only to throw its error when a check fails.
        source = replaceExactly(
          source,
          file,
          "var assert = require('assert')",
          "var assert = function (v) { if (!v) require('assert')(v); };\nassert.equal = function (a, b) { if (a != b) require('assert').equal(a, b); }",
          1,
        );
        if (source.includes('__dirname')) throw new Error(`build: ${file} still uses __dirname after patching`);
        return { contents: prelude + source, loader: 'js' };
      });
    },
  };
}

/**
 * Which modules reachable only through dynamic import() the bundle initialises at start-up anyway.
 * esbuild (non-minified CJS) wraps a lazily imported ESM module in `var init_X = __esm({"path"() {...}})`
 * and a CJS module in `var require_X = __commonJS({"path"(...) {...}})`; only calls at column 0 run at
 * start-up. A module that only dynamic imports reach must have no such call.
 */
export function lazyReport(code, metafile) {
  const inputs = metafile.inputs;
  const staticKinds = new Set(['import-statement', 'require-call', 'require-resolve']);
  const entries = Object.keys(metafile.outputs).flatMap((o) => (metafile.outputs[o].entryPoint ? [metafile.outputs[o].entryPoint] : []));
  const reached = new Set(entries);
  const queue = [...entries];
  while (queue.length) {
    const p = queue.pop();
    for (const imp of inputs[p]?.imports ?? []) {
      if (imp.external || !staticKinds.has(imp.kind) || reached.has(imp.path)) continue;
      reached.add(imp.path);
      queue.push(imp.path);
    }
  }
  const dynamicTargets = new Set(
    Object.values(inputs).flatMap((i) => i.imports.filter((imp) => imp.kind === 'dynamic-import' && !imp.external).map((imp) => imp.path)),
  );
  const lazyOnly = Object.keys(inputs).filter((p) => !reached.has(p));
  const wrapperOf = new Map();
  for (const m of code.matchAll(/^var ((?:init|require)_[\w$]+) = __(?:esm|commonJS)\(\{\n\s+"([^"]+)"/gm)) wrapperOf.set(m[1], m[2]);
  if (dynamicTargets.size > 0 && wrapperOf.size === 0) {
    throw new Error('build: cannot check that import() stays lazy: no esbuild module wrappers found (minified output?)');
  }
  const eager = new Set();
  for (const m of code.matchAll(/^(?:var [\w$]+ = )?(?:__toESM\()?((?:init|require)_[\w$]+)\(\)/gm)) {
    const p = wrapperOf.get(m[1]);
    if (p) eager.add(p);
  }
  return {
    dynamicImports: [...dynamicTargets].sort(),
    lazyModules: lazyOnly.length,
    lazyBytes: lazyOnly.reduce((n, p) => n + inputs[p].bytes, 0),
    eagerViolations: lazyOnly.filter((p) => eager.has(p)).sort(),
  };
}

/** The third-party packages inside the bundle, with their licence texts (shipped beside it). */
export function bundledPackages(...metafiles) {
  const dirs = new Set();
  for (const p of metafiles.flatMap((m) => Object.keys(m.inputs))) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(p);
    if (m) dirs.add(m[1]);
  }
  return [...dirs].sort().map((dir) => {
    const abs = resolve(projectRoot, dir);
    const pkg = JSON.parse(readFileSync(join(abs, 'package.json'), 'utf8'));
    const licenceFile = readdirSync(abs).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
    const license = typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? 'UNKNOWN');
    return { name: pkg.name, version: pkg.version, license, text: licenceFile ? readFileSync(join(abs, licenceFile), 'utf8') : null };
  });
}

function licencesText(packages) {
  const parts = packages.map(
    (p) => `${'='.repeat(76)}\n${p.name} ${p.version} (${p.license})\n${'='.repeat(76)}\n${p.text ?? `(the package ships no licence file; its package.json says ${p.license})\n`}`,
  );
  return `Third-party software bundled in ttyconf.cjs\n\n${parts.join('\n')}`;
}


/**
 * Node built-ins that blessed and the core require at module top level but the first screen never
 * uses (each costs 0.5-2 ms to load): `require("node:crypto")` and friends in the output become a
 * proxy that loads the module on first property access or call. Only plain `X = require(...)` is
 * rewritten: esbuild's named imports read properties at call time (`(0, import_x.fn)(...)`), blessed
 * calls `cp.spawn(...)` and `assert(...)`. A namespace import (`__toESM(require(...))`) copies every
 * property at once and is left alone.
 */
export const LAZY_BUILTINS = ['crypto', 'child_process', 'assert', 'net', 'os'];

export function lazyBuiltins(code) {
  const names = LAZY_BUILTINS.join('|');
  const re = new RegExp(`= require\\("((?:node:)?(?:${names}))"\\)`, 'g');
  return code.replace(re, '= __ttyconfLazyBuiltin("$1")');
}

/**
 * esbuild leaves `import("node:x")` of a built-in as a real import(). The program runs from
 * vm.Script (wrapWithLoader), which has no loader for import(): it becomes a require of the built-in
 * with the namespace shape import() gives (its exports plus `default`). Any other import() left in
 * the output fails the build.
 */
export function builtinImports(code) {
  const out = code.replace(/\bimport\("((?:node:)?[a-z0-9_/]+)"\)/g, 'Promise.resolve().then(() => __ttyconfImportBuiltin("$1"))');
  const left = /\bimport\(\s*["'`]/.exec(out);
  if (left) throw new Error(`build: an import() esbuild did not bundle is left at offset ${left.index}: ${out.slice(left.index, left.index + 60)}`);
  return out;
}

const LAZY_BUILTIN_HELPER = `
// ttyconf build: a built-in module loaded on first use (see lazyBuiltins in scripts/build.mjs).
function __ttyconfLazyBuiltin(name) {
  var m = null;
  function load() { return m || (m = require(name)); }
  return new Proxy(function () {}, {
    get: function (_, key) { return load()[key]; },
    has: function (_, key) { return key in load(); },
    apply: function (_, self, args) { return load().apply(self, args); },
  });
}
function __ttyconfImportBuiltin(name) {
  var m = require(name);
  return Object.freeze(Object.assign(Object.create(null), m, { default: m }));
}`;

/**
 * Packages the first screen never runs, kept out of the program's script: each is its own line in
 * the file, compiled when first required (blessed on the first key, execa on the first command run).
 * In the program's script they cost start-up time although nothing of them ran: node scans their
 * text either way, but V8 also deserialised their functions' outlines from the code cache and made
 * their closures (0.8 ms and 1 MB measured with both left out). `ids` are what the program requires.
 */
export const SIDE_MODULES = [
  {
    name: 'blessed',
    ids: ['blessed/lib/widgets/screen.js', 'blessed/lib/widgets/box.js', 'blessed/lib/tput.js'],
  },
  { name: 'execa', ids: ['execa'] },
];

/** See wrapWithLoader. */
export const V8_FLAGS = '--no-opt --semi-space-growth-factor=1';

const PAYLOAD_MARK = '//@ttyconf-payload ';

export function payloadOf(program) {
  return `(function (exports, require, module, __filename, __dirname) {\n${program}\n})`;
}

/**
 * The payload minified (esbuild: whitespace, syntax, identifiers), about half the bytes: less for
 * node to read and skip, less memory for the source V8 keeps. Names are not kept (keepNames cost
 * 0.5 MB of heap at start-up): to read a stack trace from the journal, build with --no-minify.
 */
export async function minifyPayload(payload) {
  const prefix = '__ttyconfPayload=';
  // Template literals lowered (to "".concat(), same semantics): their raw newlines were the only
  // ones left, and the payload must be one line (wrapWithLoader).
  const r = await esbuild.transform(prefix + payload, {
    minify: true,
    charset: 'ascii',
    legalComments: 'none',
    target: `node${NODE_MAJOR}`,
    supported: { 'template-literal': false },
  });
  const body = r.code.trimEnd().replace(/;$/, '');
  // Anything esbuild puts before the expression (helpers) runs inside it.
  const at = body.indexOf(prefix);
  if (at < 0) throw new Error('build: minified payload lost its marker');
  const helpers = body.slice(0, at);
  const expr = body.slice(at + prefix.length);
  const out = helpers ? `(function(){${helpers}return ${expr}})()` : expr;
  if (out.includes('\n')) throw new Error('build: the minified payload still has a newline');
  return out;
}

/**
 * The file as shipped: a small loader function whose last line is a line comment holding the whole
 * program (minified to one line). The loader takes the program from its own source
 * (String(ttyconfLoad): a slice of the text Node already read, so neither a second read nor a copy),
 * compiles it with vm.Script and, when FILE.cache beside it is valid, V8's code cache, and runs it
 * with this module's require/module/exports.
 * Why: Node 20 compiles the main file with no code cache; skipping a comment is much cheaper than
 * parsing the same text, and the cache holds what the first screen runs, compiled.
 * The cache (FILE.cache, written by produceCodeCache) is optional: without it, for another V8 (checked
 * first, from its header), with TTYCONF_CODE_CACHE=off, or when V8 rejects it (other flags, another
 * source length), the program compiles from source as before. TTYCONF_CODE_CACHE=trace says which.
 * A --no-minify build (for reading stack traces) keeps its lines, each behind "//"; the loader joins
 * them (a copy, only there). Stack traces keep the file's line numbers (lineOffset).
 */
export function packSide(code) {
  return brotliCompressSync(Buffer.from(code, 'latin1'), {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).toString('base64');
}

export function wrapWithLoader(head, payload, sides = []) {
  // Names this program's text in the code cache's header: a cache never meets another program.
  const id = createHash('sha256').update(payload).digest('hex').slice(0, 16);
  for (const p of [payload, ...sides.map((x) => x.payload)]) {
    if (/[\r\u2028\u2029]/.test(p)) throw new Error('build: the payload holds a line break other than \\n: it cannot sit in line comments');
  }
  for (const x of sides) if (x.payload.includes('\n')) throw new Error(`build: side module ${x.name} is not one line (--no-minify keeps side modules in the program)`);
  const multiline = payload.includes('\n');
  const sideOf = Object.fromEntries(sides.flatMap((x) => x.ids.map((id) => [id, x.name])));
  const end = multiline ? "text.indexOf('\\n//@ttyconf-end', start)).split('\\n//').join('\\n')" : "text.indexOf('\\n', start))";
  const before = `${head}
(function ttyconfLoad(exports, require, module, __filename, __dirname) {
  // ttyconf build: see wrapWithLoader in scripts/build.mjs and docs/bench.md.
  var fs = require('fs');
  // V8 flags for a console that idles for months and redraws on a key press (docs/bench.md): no
  // optimising compiler (its code and compile zones were 4-5 MB of resident memory) and a young
  // generation that does not grow (up to 3 MB more). Set before the program compiles, so the code
  // cache (made by this same loader) carries them. Through V8's binding: node:v8 would load
  // node:stream first (1.2 ms); process.binding('v8') prints a deprecation notice, silenced for
  // this one call. A Node without it takes node:v8.
  var quiet = process.noDeprecation;
  process.noDeprecation = true;
  try {
    process.binding('v8').setFlagsFromString(${JSON.stringify(V8_FLAGS)});
  } catch (e) {
    require('v8').setFlagsFromString(${JSON.stringify(V8_FLAGS)});
  } finally {
    process.noDeprecation = quiet;
  }
  var mark = ${JSON.stringify(PAYLOAD_MARK)};
  var text = String(ttyconfLoad);
  var at = text.indexOf('\\n' + mark);
  if (at < 0) {
    text = fs.readFileSync(__filename, 'latin1');
    at = text.indexOf('\\n' + mark);
  }
  var start = at + 1 + mark.length;
  var source = text.slice(start, ${end};
  // The code cache: one this program made in TTYCONF_CODE_CACHE_DIR (the unit sets /var/cache/ttyconf)
  // for the Node and flags it runs with, else FILE.cache beside the bundle (made by the build). Its
  // header names the V8 version and this program's text (a hash taken by the build). V8 does not
  // checksum a cache: the own one is renamed to .trying while it is in use and put back at the first
  // screen or a normal exit, so a cache that crashes V8 is used once, never in a restart loop.
  var mode = process.env.TTYCONF_CODE_CACHE || '';
  var out = process.env.TTYCONF_BUILD_CODE_CACHE_OUT;
  var dir = process.env.TTYCONF_CODE_CACHE_DIR || '';
  var own = dir ? dir + '/' + require('path').basename(__filename) + '.cache' : '';
  var headerText = 'ttyconf-code-cache v8=' + process.versions.v8 + ' id=' + ${JSON.stringify(id)};
  var cachedData;
  var why = 'off';
  if (mode !== 'off' && !out) {
    var files = own ? [own, __filename + '.cache'] : [__filename + '.cache'];
    for (var f = 0; f < files.length && !cachedData; f++) {
      try {
        var buf = fs.readFileSync(files[f]);
        var nl = buf.indexOf(10);
        var header = /^ttyconf-code-cache v8=(\\S+) id=(\\S+)$/.exec(buf.toString('latin1', 0, nl));
        if (!header) why = 'not a ttyconf code cache';
        else if (header[1] !== process.versions.v8 || header[2] !== ${JSON.stringify(id)}) why = 'made for V8 ' + header[1] + ' and program ' + header[2];
        else {
          if (files[f] === own) {
            fs.renameSync(own, own + '.trying');
            var trying = own + '.trying';
            var putBack = function () {
              try { fs.renameSync(trying, own); } catch (e) {}
              process.removeListener('exit', putBack);
            };
            process.once('ttyconf-first-screen', putBack);
            process.once('exit', putBack);
          }
          cachedData = buf.subarray(nl + 1);
        }
      } catch (e) {
        why = e.code === 'ENOENT' ? 'absent' : e.message;
      }
    }
  }
  var vm = require('vm');
  // Side modules (SIDE_MODULES in scripts/build.mjs): one packed line each after the program,
  // unpacked and compiled on the first require of one of their ids (stack traces: FILE#name).
  var sideOf = ${JSON.stringify(sideOf)};
  var sides = {};
  var load = function (id) {
    if (!Object.prototype.hasOwnProperty.call(sideOf, id)) return require(id);
    var name = sideOf[id];
    if (!sides[name]) {
      var m = '\\n//@ttyconf-side ' + name + ' ';
      var s = text.indexOf(m) + m.length;
      var code = require('zlib').brotliDecompressSync(Buffer.from(text.slice(s, text.indexOf('\\n', s)), 'base64')).toString('latin1');
      var mod = { exports: {} };
      new vm.Script(code, { filename: __filename + '#' + name }).runInThisContext()(mod.exports, load, mod, __filename, __dirname);
      sides[name] = mod.exports;
    }
    return sides[name][id];
  };
  load.resolve = require.resolve;
  load.cache = require.cache;
  load.main = require.main;
  var script = new vm.Script(source, { filename: __filename, lineOffset: LINE_OFFSET, columnOffset: mark.length, cachedData: cachedData });
  if (mode === 'trace') {
    process.stderr.write('ttyconf: code cache ' + (cachedData ? (script.cachedDataRejected ? 'rejected by V8' : 'used') : 'not used: ' + why) + '\\n');
  }
  // What is compiled when the UI's first screen is up (src/ui/main.ts says so): the build's run
  // writes it as FILE.cache; a console without a usable cache writes its own for the next start.
  var keepAt = out || (own && mode !== 'off' && (!cachedData || script.cachedDataRejected) ? own : '');
  if (keepAt) {
    process.once('ttyconf-first-screen', function () {
      var tmp = keepAt + '.' + process.pid + '.tmp';
      try {
        if (!out) fs.mkdirSync(dir, { recursive: true, mode: 493 });
        var fd = fs.openSync(tmp, 'w', 420);
        try {
          fs.writeSync(fd, Buffer.concat([Buffer.from(headerText + '\\n'), script.createCachedData()]));
          fs.fsyncSync(fd);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(tmp, keepAt);
        if (!out) try { fs.unlinkSync(keepAt + '.trying'); } catch (e) {}
      } catch (e) {
        try { fs.unlinkSync(tmp); } catch (e2) {}
      }
    });
  }
  script.runInThisContext()(exports, load, module, __filename, __dirname);
  return;
`;
  // The payload's first line is this many lines into the file (vm.Script's lineOffset).
  const lineOffset = before.split('\n').length - 1;
  const body = multiline ? `${payload.split('\n').join('\n//')}\n//@ttyconf-end` : payload;
  // Side modules are brotli-compressed (base64): node scans every character of the file at start-up,
  // and these are two thirds of it (0.7 ms measured), unpacked only when first required.
  const sideText = sides.map((x) => `\n//@ttyconf-side ${x.name} ${packSide(x.payload)}`).join('');
  return `${before.replace('LINE_OFFSET', String(lineOffset))}${PAYLOAD_MARK}${body}${sideText}\n})(exports, require, module, __filename, __dirname);\n`;
}

/**
 * Runs the freshly written bundle's UI on the demo tree in a pseudo-terminal up to its first
 * screen, quits it, and returns the V8 code cache it wrote on exit (every function compiled by then:
 * the start path, the first screen, the menu it preloads). Null, with the reason, when it cannot.
 */
export async function produceCodeCache(file) {
  let pty;
  try {
    pty = createRequire(join(projectRoot, 'package.json'))('@lydell/node-pty');
  } catch (e) {
    return { cache: null, why: `@lydell/node-pty cannot be loaded (${e.message.split('\n')[0]})` };
  }
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-cache-'));
  rmSync(`${file}.cache`, { force: true });
  try {
    const root = join(dir, 'root');
    cpSync(join(projectRoot, 'demo', 'centos7'), root, { recursive: true });
    const out = join(dir, 'cache');
    // A UTF-8 locale, as a console service has it: the first screen is the one drawn without blessed.
    const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, TERM: 'linux', LANG: 'C.UTF-8', TTYCONF_BUILD_CODE_CACHE_OUT: out };
    const result = await new Promise((done) => {
      const p = pty.spawn(process.execPath, [file, 'ui', '--root', root], { name: 'linux', cols: 80, rows: 25, cwd: dir, env });
      let screen = '';
      let quit = false;
      const timer = setTimeout(() => p.kill('SIGKILL'), 30_000);
      p.onData((d) => {
        screen += d;
        if (!quit && screen.includes('Redraw')) {
          quit = true;
          // Let the menu preload (after the first paint) finish, then quit with q.
          setTimeout(() => p.write('q'), 300);
        }
      });
      p.onExit(({ exitCode }) => {
        clearTimeout(timer);
        done({ exitCode, quit });
      });
    });
    if (!result.quit) return { cache: null, why: 'the UI did not show its first screen within 30 s' };
    // (the cache is written when the first screen is, before the menu preloads)
    try {
      return { cache: readFileSync(out), why: null };
    } catch {
      return { cache: null, why: `the UI wrote no cache (exit ${result.exitCode})` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One side module (SIDE_MODULES) as a minified one-line CommonJS payload: { id: module } for its ids. */
async function buildSide(side, pkg, banner) {
  // Every side module exports its ids: { id: require(id) }.
  const contents = `module.exports = {\n${side.ids.map((id) => `  ${JSON.stringify(id)}: require(${JSON.stringify(id)}),`).join('\n')}\n};\n`;
  const result = await esbuild.build({
    stdin: { contents, resolveDir: projectRoot, sourcefile: `ttyconf-side-${side.name}.js`, loader: 'js' },
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_MAJOR}`,
    legalComments: 'none',
    charset: 'ascii',
    external: ['term.js', 'pty.js'],
    define: { TTYCONF_VERSION: JSON.stringify(pkg.version), 'import.meta.url': '__ttyconf_import_meta_url' },
    banner: { js: banner },
    plugins: [blessedPlugin()],
    metafile: true,
    logLevel: 'silent',
    logOverride: { 'empty-import-meta': 'error', 'unsupported-require-call': 'error', 'unsupported-dynamic-import': 'error' },
  });
  const code = result.outputFiles[0].text.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return { name: side.name, ids: side.ids, metafile: result.metafile, payload: await minifyPayload(payloadOf(builtinImports(lazyBuiltins(code)))) };
}

/** @param {{ outfile?: string, entry?: string, quiet?: boolean, codeCache?: boolean, minify?: boolean }} [opts] */
export async function bundle({ outfile, entry, quiet = false, codeCache = true, minify = true } = {}) {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  const out = resolve(outfile ?? join(projectRoot, 'build', 'ttyconf.cjs'));
  mkdirSync(dirname(out), { recursive: true });
  const head = [
    '#!/usr/bin/env node',
    `// ttyconf ${pkg.version}: one self-contained file (scripts/build.mjs); run it with Node.js ${NODE_MAJOR} or later.`,
    `if (+process.versions.node.split('.')[0] < ${NODE_MAJOR}) {`,
    `  process.stderr.write('ttyconf: needs Node.js ${NODE_MAJOR} or later; ' + process.execPath + ' is ' + process.version + '\\n');`,
    '  process.exit(1);',
    '}',
  ].join('\n');
  const banner = ["var __ttyconf_import_meta_url = require('url').pathToFileURL(__filename).href;", LAZY_BUILTIN_HELPER].join('\n');
  // --entry builds (tests) and --no-minify builds (one file to read) keep everything in the program.
  const sides = entry || !minify ? [] : SIDE_MODULES;
  /** @type {import('esbuild').BuildOptions} */
  const entryOptions = entry
    ? { entryPoints: [resolve(entry)] }
    : {
        stdin: {
          contents: "import { main } from './src/cli.js';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n",
          resolveDir: projectRoot,
          sourcefile: 'ttyconf-entry.js',
          loader: 'ts',
        },
      };
  const result = await esbuild.build({
    ...entryOptions,
    absWorkingDir: projectRoot,
    outfile: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_MAJOR}`,
    // Not minified here: lazyReport reads esbuild's module wrappers; the payload is minified after.
    minify: false,
    legalComments: 'none',
    charset: 'ascii',
    // Side modules stay out of the program (a require or import() of them is the loader's).
    external: ['term.js', 'pty.js', ...sides.flatMap((x) => [x.name, `${x.name}/*`])],
    define: {
      TTYCONF_VERSION: JSON.stringify(pkg.version),
      'import.meta.url': '__ttyconf_import_meta_url',
    },
    banner: { js: banner },
    plugins: [blessedPlugin()],
    metafile: true,
    logLevel: 'silent',
    // What would only fail at run time fails the build: an import.meta left empty in CJS, a require()
    // or import() of a computed name (the widget.js case) that the bundle cannot carry.
    logOverride: {
      'empty-import-meta': 'error',
      'unsupported-require-call': 'error',
      'unsupported-dynamic-import': 'error',
    },
  });
  // Any warning is printed; today's build has none.
  if (!quiet) for (const w of esbuild.formatMessagesSync(result.warnings, { kind: 'warning', color: false })) process.stderr.write(w);
  const code = readFileSync(out, 'utf8');
  const lazy = lazyReport(code, result.metafile);
  // charset 'ascii' escapes every string, regexp and identifier; what is left (comments esbuild keeps)
  // is escaped too, so the loader can read its file as latin1: one byte per character for V8.
  const ascii = code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const payload = payloadOf(builtinImports(lazyBuiltins(ascii)));
  const built = await Promise.all(sides.map((x) => buildSide(x, pkg, banner)));
  const wrapped = wrapWithLoader(head, minify ? await minifyPayload(payload) : payload, built);
  writeFileSync(out, wrapped);
  chmodSync(out, 0o755);
  // A cache left from an earlier build must never meet this source (V8 checks only its length).
  rmSync(`${out}.cache`, { force: true });
  let codeCacheBytes = null;
  let codeCacheWhy = entry ? 'not for --entry builds' : !codeCache ? '--no-code-cache' : null;
  if (!codeCacheWhy) {
    const c = await produceCodeCache(out);
    if (c.cache) {
      writeFileSync(`${out}.cache`, c.cache);
      codeCacheBytes = c.cache.length;
    } else {
      codeCacheWhy = c.why;
      if (!quiet) process.stderr.write(`build: WARNING: no code cache (${c.why}): the bundle starts slower\n`);
    }
  }
  const packages = bundledPackages(result.metafile, ...built.map((x) => x.metafile));
  writeFileSync(out.replace(/\.c?js$/, '') + '.licenses.txt', licencesText(packages));
  const report = {
    outfile: out,
    bytes: Buffer.byteLength(wrapped),
    codeCache: { bytes: codeCacheBytes, v8: codeCacheBytes ? process.versions.v8 : null, why: codeCacheWhy },
    version: pkg.version,
    ...lazy,
    packages: packages.map(({ name, version, license }) => ({ name, version, license })),
    licenses: [...new Set([pkg.license, ...packages.map((p) => p.license)])].sort(),
    warnings: result.warnings.length,
  };
  if (lazy.eagerViolations.length) {
    throw new Error(`build: these modules are only reached through import() but run at start-up: ${lazy.eagerViolations.join(', ')}`);
  }
  return report;
}

function parseCli(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quiet') opts.quiet = true;
    else if (a === '--no-code-cache') opts.codeCache = false;
    else if (a === '--no-minify') opts.minify = false;
    else if (a === '--outfile' || a === '--entry' || a === '--report') {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a value`);
      opts[a.slice(2)] = v;
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseCli(process.argv.slice(2));
    const report = await bundle(opts);
    if (opts.report) writeFileSync(opts.report, JSON.stringify(report, null, 2) + '\n');
    if (!opts.quiet) {
      const kb = (n) => `${(n / 1024).toFixed(0)} KB`;
      process.stdout.write(
        `${relative(process.cwd(), report.outfile) || report.outfile}: ${kb(report.bytes)}, ttyconf ${report.version}, ` +
          `${report.packages.length} bundled packages (${report.licenses.join(', ')}); ` +
          `${report.lazyModules} modules (${kb(report.lazyBytes)} of source) load on first use: ${report.dynamicImports.join(', ') || 'none'}; ` +
          `code cache: ${report.codeCache.bytes ? `${kb(report.codeCache.bytes)} for V8 ${report.codeCache.v8}` : `none (${report.codeCache.why})`}\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
