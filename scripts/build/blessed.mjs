// Makes blessed 0.1.81 bundle-safe (an esbuild plugin); fails the build if blessed's code is not what
// it expects:
// - lib/widget.js requires './widgets/' + name (no extension: a bundle cannot resolve it): rewritten
//   to a static table.
// - lib/unicode.js requires blessed's whole index for a tab width: only the screen.
// - lib/tput.js reads its fallback terminfo/termcap files from __dirname + '/../usr/...': the few it
//   needs are embedded and served from memory.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { projectRoot } from './project.mjs';

/** blessed's terminal files the bundle carries (fonts for BigText are left out on purpose). */
const EMBEDDED_USR = ['xterm', 'xterm-256color', 'linux', 'windows-ansi', 'xterm.termcap'];
/** A path prefix that exists nowhere: tput.js asks for it, the embedded table answers. */
const EMBEDDED_PREFIX = '/@ttyconf-embedded/blessed/usr/';

function replaceExactly(source, file, search, replacement, count) {
  const found = source.split(search).length - 1;
  if (found !== count) {
    throw new Error(`build: expected ${count} occurrence(s) of ${JSON.stringify(search)} in ${file}, found ${found}: has blessed changed?`);
  }
  return source.split(search).join(replacement);
}

/** The esbuild plugin (see the header). */
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
