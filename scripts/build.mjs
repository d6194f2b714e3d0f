#!/usr/bin/env node
// Bundles ttyconf into ONE self-contained CommonJS file, build/ttyconf.cjs, that runs with plain
// `node` and no node_modules beside it (docs/packaging.md; start-up figures: docs/bench.md). Each
// concern has its module under scripts/build/:
//   esbuildOptions.mjs  the one esbuild configuration (programs, and src/loader compiled for ES2015)
//   blessed.mjs         blessed made bundle-safe (a static widget table, embedded terminfo files)
//   program.mjs         the program split into parts: the first screen's in one script, the rest later
//   payload.mjs         a program's text: built-ins loaded on first use, ASCII, one minified line
//   lazyReport.mjs      what loads on first use, for the build report
//   wrap.mjs            the file: version check, the loader (src/loader), program and side modules
//   codeCache.mjs       the V8 code cache, made by running the new bundle up to its first screen
//   licences.mjs        the bundled packages' licences, shipped beside the file
//
// Usage: node scripts/build.mjs [--outfile FILE] [--entry FILE] [--report FILE] [--no-code-cache] [--no-minify] [--quiet]
//   --entry FILE   bundle FILE (any module with side effects) instead of the CLI entry (tests use it)
//   --report FILE  also write a JSON report: bytes, lazy modules, the program's parts, licences
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { produceCodeCache } from './build/codeCache.mjs';
import { programOptions } from './build/esbuildOptions.mjs';
import { lazyReport } from './build/lazyReport.mjs';
import { bundledPackages, licencesText } from './build/licences.mjs';
import { asciiOnly, builtinImports, lazyBuiltins, minifyPayload, payloadOf, programBanner } from './build/payload.mjs';
import { ENTRY_PART, buildProgram } from './build/program.mjs';
import { projectRoot, readPackage } from './build/project.mjs';
import { SIDE_MODULES, compileLoader, headOf, wrapWithLoader } from './build/wrap.mjs';

const CLI_ENTRY = "import { main } from './src/cli.js';\nmain(process.argv.slice(2)).then((code) => { process.exitCode = code; });\n";

/** The program's text as it goes into the file (payload.mjs), from esbuild's output. */
function finishProgram(code) {
  return payloadOf(builtinImports(lazyBuiltins(asciiOnly(code))));
}

/** One side module (wrap.mjs SIDE_MODULES) as a minified one-line CommonJS payload: { id: module } for its ids. */
async function buildSide(side, version, banner) {
  const contents = `module.exports = {\n${side.ids.map((id) => `  ${JSON.stringify(id)}: require(${JSON.stringify(id)}),`).join('\n')}\n};\n`;
  const result = await esbuild.build({
    ...programOptions({ version, banner }),
    stdin: { contents, resolveDir: projectRoot, sourcefile: `ttyconf-side-${side.name}.js`, loader: 'js' },
    write: false,
  });
  return { name: side.name, ids: side.ids, metafile: result.metafile, payload: await minifyPayload(finishProgram(result.outputFiles[0].text)) };
}

/** @param {{ outfile?: string, entry?: string, quiet?: boolean, codeCache?: boolean, minify?: boolean }} [options] */
export async function bundle({ outfile, entry, quiet = false, codeCache = true, minify = true } = {}) {
  const pkg = readPackage();
  const out = resolve(outfile ?? join(projectRoot, 'build', 'ttyconf.cjs'));
  mkdirSync(dirname(out), { recursive: true });
  const [banner, loader] = await Promise.all([programBanner({ minify }), compileLoader({ minify })]);
  // --entry builds (tests) keep the side modules in the program; --no-minify builds (one file to
  // read) keep everything in the start-up script.
  const sides = entry || !minify ? [] : SIDE_MODULES;
  const program = await buildProgram({
    entry: entry ? { file: resolve(entry) } : { contents: CLI_ENTRY },
    version: pkg.version,
    external: sides.flatMap((x) => [x.name, `${x.name}/*`]),
    banner,
    split: minify,
  });
  // Any warning is printed; today's build has none.
  if (!quiet) for (const w of esbuild.formatMessagesSync(program.warnings, { kind: 'warning', color: false })) process.stderr.write(w);
  const finish = (script) => (minify ? minifyPayload(script) : script);
  const startupScript = await finish(program.startupScript);
  const later = await Promise.all(program.later.map(async (p) => ({ name: p.name, payload: await finish(p.script) })));
  const built = await Promise.all(sides.map((x) => buildSide(x, pkg.version, banner)));
  const wrapped = wrapWithLoader({ head: headOf(pkg.version), loader, payload: startupScript, parts: later, entry: ENTRY_PART, sides: built });
  writeFileSync(out, wrapped);
  chmodSync(out, 0o755);
  // A cache left from an earlier build must never meet this source.
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
  const packages = bundledPackages(program.metafile, ...built.map((x) => x.metafile));
  writeFileSync(out.replace(/\.c?js$/, '') + '.licenses.txt', licencesText(packages));
  const report = {
    outfile: out,
    bytes: Buffer.byteLength(wrapped),
    codeCache: { bytes: codeCacheBytes, v8: codeCacheBytes ? process.versions.v8 : null, why: codeCacheWhy },
    version: pkg.version,
    ...lazyReport(program.metafile, program.parts, program.startup, program.entryPoint),
    exportObjectsOnFirstUse: program.exportObjectsOnFirstUse,
    packages: packages.map(({ name, version, license }) => ({ name, version, license })),
    licenses: [...new Set([pkg.license, ...packages.map((p) => p.license)])].sort(),
    warnings: program.warnings.length,
  };
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
          `program parts: ${report.startupParts.parts} at start-up (${kb(report.startupParts.bytes)}), ${report.lazyParts.parts} compiled on first use (${kb(report.lazyParts.bytes)}); ` +
          `code cache: ${report.codeCache.bytes ? `${kb(report.codeCache.bytes)} for V8 ${report.codeCache.v8}` : `none (${report.codeCache.why})`}\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
