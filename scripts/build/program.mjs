// The main program, split where it imports lazily, in two esbuild passes:
// 1. esbuild bundles it as ES modules with code splitting: one output file (a part) per set of
//    entry points (the CLI and every import() target) that reach the same modules.
// 2. The parts the first screen needs are bundled again, as one CommonJS script: their imports of
//    each other are plain variables, as in any bundle, and V8 compiles it at start-up with one code
//    cache. Every other part is a script of its own, packed with the others on one line of the file
//    and compiled when the program first requires it (src/loader/loader.ts).
// Start-up then compiles or deserialises only the first screen's code, not the outlines of
// everything that loads later (docs/bench.md has the figures).
import * as esbuild from 'esbuild';
import { join } from 'node:path';
import { programOptions } from './esbuildOptions.mjs';
import { asciiOnly, builtinImports, lazyBuiltins } from './payload.mjs';
import { NODE_MAJOR, projectRoot } from './project.mjs';

/**
 * The modules the UI reaches through import() before its first screen is up: their parts are in
 * the start-up script. A part the first screen needs but this list misses still works (it is
 * compiled from its line, without a code cache); a test traces the parts compiled before the first
 * screen and expects none.
 */
export const FIRST_SCREEN_MODULES = ['src/ui/main.ts', 'src/ui/app.ts', 'src/core.ts', 'src/ui/console.ts', 'src/console/env.ts', 'src/version.ts'];

/** The entry part's name: the loader requires it, which runs the program. */
export const ENTRY_PART = 'main.js';

const PART_ID = /^\.\/((?:main|part-[A-Z0-9]+)\.js)$/;
const VIRTUAL = 'ttyconf-virtual';

/** Node's built-ins rewritten as for every program (payload.mjs); an import() of a part becomes a promise of its require. */
function finish(code) {
  const parts = code.replace(/\bimport\("(\.\/part-[A-Z0-9]+\.js)"\)/g, 'Promise.resolve().then(() => require("$1"))');
  return builtinImports(lazyBuiltins(asciiOnly(parts)));
}

/** Pass 1. entry: { contents } (the CLI's few lines) or { file } (tests' --entry). */
async function splitProgram({ entry, version, external }) {
  const base = programOptions({ version, banner: '', external });
  const virtualEntry = {
    name: 'ttyconf-entry',
    setup(build) {
      build.onResolve({ filter: /^ttyconf-entry$/ }, () => ({ path: 'entry', namespace: VIRTUAL }));
      build.onLoad({ filter: /.*/, namespace: VIRTUAL }, () => ({ contents: entry.contents, resolveDir: projectRoot, loader: 'ts' }));
    },
  };
  const result = await esbuild.build({
    ...base,
    format: 'esm',
    splitting: true,
    banner: undefined,
    entryPoints: { main: entry.file ?? 'ttyconf-entry' },
    plugins: [...base.plugins, ...(entry.file ? [] : [virtualEntry])],
    // Never written (write: false); splitting needs a directory to name the parts in.
    outdir: join(projectRoot, 'build', '.parts'),
    chunkNames: 'part-[hash]',
    write: false,
  });
  const nameOf = (path) => path.slice(path.lastIndexOf('/') + 1);
  const meta = new Map(Object.entries(result.metafile.outputs).map(([o, m]) => [nameOf(o), m]));
  const parts = result.outputFiles.map((f) => {
    const name = nameOf(f.path);
    const m = meta.get(name);
    if (!m) throw new Error(`build: esbuild made ${name} but its metafile does not name it`);
    const imports = m.imports.filter((i) => !i.external && i.kind === 'import-statement').map((i) => nameOf(i.path));
    const dynamicImports = m.imports.filter((i) => !i.external && i.kind === 'dynamic-import').map((i) => nameOf(i.path));
    return { name, esm: f.text, entryPoint: m.entryPoint ?? null, imports, dynamicImports };
  });
  return { parts, metafile: result.metafile, warnings: result.warnings };
}

/** The parts the first screen needs: the entry, the first-screen modules' parts, and what they import. */
function startupSet(parts) {
  const byName = new Map(parts.map((p) => [p.name, p]));
  if (!byName.has(ENTRY_PART)) throw new Error(`build: no entry part ${ENTRY_PART}`);
  const set = new Set();
  const queue = [ENTRY_PART, ...parts.filter((p) => FIRST_SCREEN_MODULES.includes(p.entryPoint)).map((p) => p.name)];
  while (queue.length) {
    const n = queue.pop();
    if (set.has(n)) continue;
    set.add(n);
    queue.push(...byName.get(n).imports);
  }
  return set;
}

const EXPORT_OBJECT = /^var (\w+_exports) = \{\};\n__export\(\1, \{\n([^]*?)\n\}\);$/gm;

/**
 * esbuild makes each part's exports object at the script's top level: a getter closure and a
 * defineProperty per export of every start-up part, although the objects are read by the later parts
 * that import a start-up part and by the entry's require, and hardly any before the first screen
 * (docs/bench.md). Each object is made by a function instead, the first time it is used: its
 * closures are neither made nor deserialised from the code cache at start-up. X_exports is esbuild's
 * name for a part's exports object (`var X_exports = {};` then `__export(X_exports, { name: () =>
 * name, ... })`); every other use of the name becomes a call.
 */
function lazyExportObjects(code) {
  const made = new Map();
  let out = code.replace(EXPORT_OBJECT, (_, name, getters) => {
    made.set(name, getters);
    return `\0${name}\0`;
  });
  // An object with no exports has no getters to defer; one with getters in another shape fails the build.
  const left = /^var (\w+_exports) = \{\};\n__export\(\1\b/m.exec(out);
  if (left) throw new Error(`build: esbuild's exports object ${left[1]} is not in the shape lazyExportObjects rewrites`);
  for (const name of made.keys()) out = out.replace(new RegExp(`\\b${name}\\b(?!\\0)`, 'g'), `${name}()`);
  out = out.replace(/\0(\w+)\0/g, (_, name) =>
    [
      `var ${name}Made;`,
      `function ${name}() {`,
      `  if (${name}Made === void 0) __export(${name}Made = {}, {`,
      made.get(name),
      '  });',
      `  return ${name}Made;`,
      '}',
    ].join('\n'),
  );
  return { code: out, exportObjectsOnFirstUse: made.size };
}

/**
 * Pass 2: the start-up parts as one script, a function of the CommonJS module's variables that
 * returns a table of parts by name (each a function of (exports, require, module) that sets its
 * module's exports). The table holds the entry and the start-up parts that later parts import: the
 * others are only imported inside the script, as plain variables, with no exports object to make.
 * Every later part stays outside: a require('./part-X.js') the loader answers.
 */
async function startupScript(banner, parts, startup, external) {
  const byName = new Map(parts.map((p) => [p.name, p]));
  const needed = new Set([ENTRY_PART]);
  for (const p of parts) if (!startup.has(p.name)) for (const n of [...p.imports, ...p.dynamicImports]) if (startup.has(n)) needed.add(n);
  const table = [...needed].sort().map((n) => `  ${JSON.stringify(n)}: function (_exports, _require, m) { m.exports = require(${JSON.stringify(`./${n}`)}); },`);
  const contents = `module.exports = {\n${table.join('\n')}\n};\n`;
  const fromMemory = {
    name: 'ttyconf-parts',
    setup(build) {
      build.onResolve({ filter: PART_ID }, (args) => {
        const name = PART_ID.exec(args.path)[1];
        return startup.has(name) ? { path: name, namespace: VIRTUAL } : { path: args.path, external: true };
      });
      build.onResolve({ filter: /^ttyconf-startup$/ }, () => ({ path: 'startup', namespace: VIRTUAL }));
      build.onLoad({ filter: /.*/, namespace: VIRTUAL }, (args) =>
        args.path === 'startup' ? { contents, loader: 'js', resolveDir: projectRoot } : { contents: byName.get(args.path).esm, loader: 'js', resolveDir: projectRoot },
      );
    },
  };
  const result = await esbuild.build({
    entryPoints: ['ttyconf-startup'],
    absWorkingDir: projectRoot,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${NODE_MAJOR}`,
    charset: 'ascii',
    legalComments: 'none',
    // What pass 1 left outside (side modules, blessed's never-used optional deps) stays outside.
    external: programOptions({ version: '', banner: '', external }).external,
    plugins: [fromMemory],
    write: false,
    logLevel: 'silent',
  });
  const { code, exportObjectsOnFirstUse } = lazyExportObjects(result.outputFiles[0].text);
  const script = `(function (exports, require, module, __filename, __dirname) {\n${banner}\n${finish(code)}\nreturn module.exports;\n})`;
  return { script, exportObjectsOnFirstUse };
}

/**
 * A later part alone: the same shape as the start-up script, one part in its table; the banner only
 * when the part uses it (most do not: it would be a tenth of their text).
 */
async function laterScript(banner, part) {
  const r = await esbuild.transform(part.esm, { format: 'cjs', platform: 'node', target: `node${NODE_MAJOR}`, charset: 'ascii', legalComments: 'none', sourcefile: part.name, logLevel: 'silent' });
  const body = finish(r.code);
  const helpers = /\b__ttyconf(?:_import_meta|LazyBuiltin|ImportBuiltin)\b/.test(body) ? `${banner}\n` : '';
  return `(function (exports, require, module, __filename, __dirname) {\n${helpers}return { ${JSON.stringify(part.name)}: function (exports, require, module) {\n${body}\n} };\n})`;
}

/**
 * The program: the start-up script, the later parts ({ name, script }), and for the report the
 * number of the start-up script's exports objects made on first use, the parts with their sizes,
 * the start-up set and esbuild's metafile of pass 1. split false puts every part in the start-up
 * script (--no-minify: the whole program readable in the file).
 */
export async function buildProgram({ entry, version, external, banner, split = true }) {
  const { parts, metafile, warnings } = await splitProgram({ entry, version, external });
  const startup = split ? startupSet(parts) : new Set(parts.map((p) => p.name));
  const later = await Promise.all(parts.filter((p) => !startup.has(p.name)).map(async (p) => ({ name: p.name, script: await laterScript(banner, p) })));
  const { script, exportObjectsOnFirstUse } = await startupScript(banner, parts, startup, external);
  return {
    startupScript: script,
    exportObjectsOnFirstUse,
    later,
    parts,
    startup,
    entryPoint: parts.find((p) => p.name === ENTRY_PART).entryPoint,
    metafile,
    warnings,
  };
}
