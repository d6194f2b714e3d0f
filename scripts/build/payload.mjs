// What the build does to a bundled program's text before it goes into the file: node built-ins
// loaded on first use, import() of a built-in made a require, ASCII only, one minified line.
import * as esbuild from 'esbuild';
import { compileLoaderModule } from './esbuildOptions.mjs';
import { NODE_MAJOR } from './project.mjs';

/**
 * The banner of every program: import.meta.url for ESM source in a CJS file (made when first read),
 * and the two helpers of src/loader/builtins.ts bound to the program's require.
 */
export async function programBanner({ minify = true } = {}) {
  const builtins = await compileLoaderModule('builtins.ts', '__ttyconfBuiltins', { minify });
  return [
    // A getter: node:url's code would otherwise compile and run before the first screen, which never
    // reads import.meta.url (1.4 M instructions of about 155 M on the demo tree).
    "var __ttyconf_import_meta = { get url() { return require('url').pathToFileURL(__filename).href; } };",
    builtins.trim(),
    'function __ttyconfLazyBuiltin(name) { return __ttyconfBuiltins.lazyBuiltin(require, name); }',
    'function __ttyconfImportBuiltin(name) { return __ttyconfBuiltins.importBuiltin(require, name); }',
  ].join('\n');
}

/**
 * Node built-ins that blessed and the core require at module top level but the first screen never
 * uses (each costs 0.5-2 ms to load): `require("node:crypto")` and friends in the output become a
 * proxy that loads the module on first property access or call (src/loader/builtins.ts). Only plain
 * `X = require(...)` is rewritten: esbuild's named imports read properties at call time (`(0, import_x.fn)(...)`), blessed
 * calls `cp.spawn(...)` and `assert(...)`. A namespace import (`__toESM(require(...))`) copies every
 * property at once and is left alone.
 */
export const LAZY_BUILTINS = ['crypto', 'child_process', 'assert', 'net', 'os', 'module', 'dns/promises'];

export function lazyBuiltins(code) {
  const names = LAZY_BUILTINS.join('|');
  const re = new RegExp(`= require\\("((?:node:)?(?:${names}))"\\)`, 'g');
  return code.replace(re, '= __ttyconfLazyBuiltin("$1")');
}

/**
 * esbuild leaves `import("node:x")` of a built-in as a real import(). The program runs from
 * vm.Script (src/loader/loader.ts), which has no loader for import(): it becomes a require of the built-in
 * with the namespace shape import() gives (its exports plus `default`). Any other import() left in
 * the output fails the build.
 */
export function builtinImports(code) {
  const out = code.replace(/\bimport\("((?:node:)?[a-z0-9_/]+)"\)/g, 'Promise.resolve().then(() => __ttyconfImportBuiltin("$1"))');
  const left = /\bimport\(\s*["'`]/.exec(out);
  if (left) throw new Error(`build: an import() esbuild did not bundle is left at offset ${left.index}: ${out.slice(left.index, left.index + 60)}`);
  return out;
}

/**
 * charset 'ascii' escapes every string, regexp and identifier; what is left (comments esbuild keeps)
 * is escaped here, so the loader can read its file as latin1: one byte per character for V8.
 */
export function asciiOnly(code) {
  return code.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The program as a function of the CommonJS module's variables, which the loader calls. */
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
  // ones left, and the payload must be one line (a line comment: src/loader/protocol.ts).
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

