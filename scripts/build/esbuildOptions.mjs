// The one esbuild configuration of every program in the bundle (the main program and each side
// module) and of the loader's own code.
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { blessedPlugin } from './blessed.mjs';
import { NODE_MAJOR, projectRoot } from './project.mjs';

/**
 * A CommonJS program for node (program.mjs bundles the main program as ES modules first, with these
 * options otherwise): ESM source in a CJS file gets import.meta.url from __filename
 * (the banner defines it, made when first read), TTYCONF_VERSION is defined, blessed is made
 * bundle-safe, term.js and pty.js (optional deps of blessed's Terminal widget, never used) stay
 * external. Not minified here: the built-ins are rewritten in esbuild's plain output; the payload is
 * minified after (payload.mjs).
 *
 * @param {{ version: string, banner: string, external?: string[] }} options
 * @returns {import('esbuild').BuildOptions}
 */
export function programOptions({ version, banner, external = [] }) {
  return {
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_MAJOR}`,
    minify: false,
    legalComments: 'none',
    charset: 'ascii',
    external: ['term.js', 'pty.js', ...external],
    define: { TTYCONF_VERSION: JSON.stringify(version), 'import.meta.url': '__ttyconf_import_meta.url' },
    banner: { js: banner },
    plugins: [blessedPlugin()],
    metafile: true,
    logLevel: 'silent',
    // What would only fail at run time fails the build: an import.meta left empty in CJS, a require()
    // or import() of a computed name (the widget.js case) that the bundle cannot carry.
    logOverride: { 'empty-import-meta': 'error', 'unsupported-require-call': 'error', 'unsupported-dynamic-import': 'error' },
  };
}

/**
 * A TypeScript file of src/loader as a script that defines `var <globalName> = {exports}`, for ES2015:
 * the file is parsed before its Node version check runs, so an old Node must at least parse it.
 */
export async function compileLoaderModule(file, globalName, { minify = true } = {}) {
  const r = await esbuild.build({
    entryPoints: [join(projectRoot, 'src', 'loader', file)],
    absWorkingDir: projectRoot,
    bundle: true,
    write: false,
    platform: 'node',
    format: 'iife',
    globalName,
    target: 'es2015',
    // No raw newline may sit in the loader's text (a line there must never start with a mark).
    supported: { 'template-literal': false },
    // Node parses it on every start (a main file gets no code cache): a third of the bytes minified.
    minify,
    legalComments: 'none',
    charset: 'ascii',
    // Nothing of node's may be bundled into it: node's modules come through the module's require.
    external: ['node:*'],
    logLevel: 'silent',
  });
  const code = r.outputFiles[0].text;
  // An import of node's modules would load them before anything else: they come through `require`.
  if (/require\("node:/.test(code)) throw new Error(`build: src/loader/${file} imports a node module at run time: take it from require`);
  return code;
}
