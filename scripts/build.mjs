#!/usr/bin/env node
// Bundles ttyconf into ONE self-contained CommonJS file, build/ttyconf.cjs, that runs with plain
// `node` and no node_modules beside it. What it takes care of:
// - blessed 0.1.81: lib/widget.js requires './widgets/' + name (no extension: a bundle cannot resolve
//   it), so it is rewritten to a static table; lib/tput.js reads its fallback terminfo/termcap files
//   from __dirname + '/../usr/...', so the few it needs are embedded and served from memory.
//   term.js and pty.js (optional deps of the Terminal widget, never used) stay external.
// - ESM source in a CJS file: import.meta.url is defined from __filename; TTYCONF_VERSION is defined.
// - dynamic import() must stay lazy: checked after every build (see lazyReport below).
//
// Usage: node scripts/build.mjs [--outfile FILE] [--entry FILE] [--report FILE] [--quiet]
//   --entry FILE   bundle FILE (any module with side effects) instead of the CLI entry (tests use it)
//   --report FILE  also write a JSON report: bytes, lazy modules, eager violations, licences
import * as esbuild from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
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
export function bundledPackages(metafile) {
  const dirs = new Set();
  for (const p of Object.keys(metafile.inputs)) {
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

export async function bundle({ outfile, entry, quiet = false } = {}) {
  const pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  const out = resolve(outfile ?? join(projectRoot, 'build', 'ttyconf.cjs'));
  mkdirSync(dirname(out), { recursive: true });
  const banner = [
    '#!/usr/bin/env node',
    `// ttyconf ${pkg.version}: one self-contained file (scripts/build.mjs); run it with Node.js ${NODE_MAJOR} or later.`,
    `if (+process.versions.node.split('.')[0] < ${NODE_MAJOR}) {`,
    `  process.stderr.write('ttyconf: needs Node.js ${NODE_MAJOR} or later; ' + process.execPath + ' is ' + process.version + '\\n');`,
    '  process.exit(1);',
    '}',
    "var __ttyconf_import_meta_url = require('url').pathToFileURL(__filename).href;",
  ].join('\n');
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
    // Readable stack traces in the journal matter more than the ~40% a minifier would save.
    minify: false,
    legalComments: 'none',
    charset: 'utf8',
    external: ['term.js', 'pty.js'],
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
  chmodSync(out, 0o755);
  const code = readFileSync(out, 'utf8');
  const lazy = lazyReport(code, result.metafile);
  const packages = bundledPackages(result.metafile);
  writeFileSync(out.replace(/\.c?js$/, '') + '.licenses.txt', licencesText(packages));
  const report = {
    outfile: out,
    bytes: Buffer.byteLength(code),
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
          `${report.lazyModules} modules (${kb(report.lazyBytes)} of source) load on first use: ${report.dynamicImports.join(', ') || 'none'}\n`,
      );
    }
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
}
