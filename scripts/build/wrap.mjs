// The file as shipped (its layout: src/loader/protocol.ts): the Node version check, then one
// function that holds the loader (src/loader/loader.ts, compiled here) and, in line comments after
// its `return`, the program's start-up script, its other parts and the side modules, packed.
import { createHash } from 'node:crypto';
import { runInNewContext } from 'node:vm';
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib';
import { compileLoaderModule } from './esbuildOptions.mjs';
import { NODE_MAJOR } from './project.mjs';

/**
 * Packages the first screen never runs, kept out of the program's script: each is its own line in
 * the file, compiled when first required (blessed when the console is idle after its first screen,
 * execa on the first command run). In the program's script they cost start-up time although nothing
 * of them ran: node scans their text either way, but V8 also deserialised their functions' outlines
 * from the code cache and made their closures (0.8 ms and 1 MB measured with both left out). `ids`
 * are what the program requires.
 */
export const SIDE_MODULES = [
  {
    name: 'blessed',
    ids: ['blessed/lib/widgets/screen.js', 'blessed/lib/widgets/box.js', 'blessed/lib/tput.js'],
  },
  { name: 'execa', ids: ['execa'] },
];

/**
 * The program's later parts and the side modules are brotli-compressed (base64): node scans every
 * character of the file at start-up, and they are most of it (0.7 ms measured for the side modules
 * alone), unpacked only when first required.
 */
export function packLine(code) {
  return brotliCompressSync(Buffer.from(code, 'latin1'), {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).toString('base64');
}

/** The loader compiled, and the layout constants it reads the file by (taken from the same code). */
export async function compileLoader({ minify = true } = {}) {
  const code = await compileLoaderModule('loader.ts', 'ttyconfLoader', { minify });
  const loader = runInNewContext(`${code}\nttyconfLoader`, { Buffer, process: { env: {} } });
  for (const name of ['runBundle', 'PAYLOAD_MARK', 'PARTS_MARK', 'SIDE_MARK', 'END_MARK']) {
    if (!loader[name]) throw new Error(`build: src/loader/loader.ts exports no ${name}`);
  }
  return { code, marks: { payload: loader.PAYLOAD_MARK, parts: loader.PARTS_MARK, side: loader.SIDE_MARK, end: loader.END_MARK } };
}

/**
 * The later parts as one text, compressed together (70% of the room of one line each): a first line
 * of JSON, each part's name -> [start, end] in the rest, then the parts' scripts one after another.
 * The loader takes each script as a slice of the text, with no copy.
 */
export function partsBlob(parts) {
  const index = {};
  let at = 0;
  for (const x of parts) {
    index[x.name] = [at, at + x.payload.length];
    at += x.payload.length;
  }
  return `${JSON.stringify(index)}\n${parts.map((x) => x.payload).join('')}`;
}

/** The first lines: a Node too old for the program says so instead of failing on its syntax. */
export function headOf(version) {
  return [
    '#!/usr/bin/env node',
    `// ttyconf ${version}: one self-contained file (scripts/build.mjs); run it with Node.js ${NODE_MAJOR} or later.`,
    `if (+process.versions.node.split('.')[0] < ${NODE_MAJOR}) {`,
    `  process.stderr.write('ttyconf: needs Node.js ${NODE_MAJOR} or later; ' + process.execPath + ' is ' + process.version + '\\n');`,
    '  process.exit(1);',
    '}',
  ].join('\n');
}

/**
 * The whole file. payload: the start-up script (program.mjs), one line unless --no-minify; parts:
 * { name, payload } the program's other parts, each a script of one part;
 * entry: the part the loader runs; sides: { name, ids, payload }.
 */
export function wrapWithLoader({ head, loader, payload, parts = [], entry, sides = [] }) {
  const { marks } = loader;
  if (/[\r\u2028\u2029]/.test(payload)) throw new Error('build: the payload holds a line break other than \\n: it cannot sit in line comments');
  const multiline = payload.includes('\n');
  const config = {
    // Names the start-up script's text in the code cache's header: a cache never meets another program.
    programId: createHash('sha256').update(payload).digest('hex').slice(0, 16),
    lineOffset: 0,
    multiline,
    entry,
    sideOf: Object.fromEntries(sides.flatMap((x) => x.ids.map((id) => [id, x.name]))),
  };
  const before = (c) =>
    `${head}\n(function ttyconfLoad(exports, require, module, __filename, __dirname) {\n${loader.code.trim()}\n` +
    `ttyconfLoader.runBundle(${JSON.stringify(c)}, { exports: exports, require: require, module: module, filename: __filename, dirname: __dirname }, function () { return String(ttyconfLoad); });\n` +
    'return;\n';
  // The program's first line is this many lines into the file (vm.Script's lineOffset); the config
  // is one line whatever the number.
  config.lineOffset = before(config).split('\n').length - 1;
  const text = before(config);
  for (const m of [marks.payload, marks.parts, marks.side, marks.end]) {
    if (text.includes(`\n${m}`)) throw new Error(`build: the loader's own text holds a line starting with ${m}`);
  }
  const body = multiline ? `${payload.split('\n').join('\n//')}\n${marks.end}` : payload;
  const partText = parts.length ? `\n${marks.parts}${packLine(partsBlob(parts))}` : '';
  const sideText = sides.map((x) => `\n${marks.side}${x.name} ${packLine(x.payload)}`).join('');
  return `${text}${marks.payload}${body}${partText}${sideText}\n})(exports, require, module, __filename, __dirname);\n`;
}
