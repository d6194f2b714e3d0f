// The bundle's layout, shared by the code that writes it (scripts/build/wrap.mjs reads these through
// esbuild) and the loader that reads it (loader.ts). No imports: the loader runs before anything else.
//
//   #!/usr/bin/env node
//   ...the Node version check...
//   (function ttyconfLoad(exports, require, module, __filename, __dirname) {
//   ...this loader, compiled...
//   return;
//   //@ttyconf-payload (function (exports, require, module, __filename, __dirname) {...; return { "main.js": function (exports, require, module) {...}, ... }; })
//   //@ttyconf-parts <brotli, base64 of: { "part-XXXXXXXX.js": [start, end], ... } \n (function (exports, ...) {...})...>
//   //@ttyconf-side blessed <brotli, base64>
//   //@ttyconf-side execa <brotli, base64>
//   })(exports, require, module, __filename, __dirname);
//
// Everything after `return;` is a line comment: node scans it and compiles none of it. The program
// is in parts (scripts/build/program.mjs), each a function of (exports, require, module) that one
// part's require('./NAME') runs once: the payload line holds the parts the first screen needs, the
// parts line a script for each other part. A --no-minify build keeps the payload's lines, each behind
// "//", and ends it with END_MARK.

/** Starts the line that holds the program. */
export const PAYLOAD_MARK = '//@ttyconf-payload ';
/** Starts the line that holds the program's later parts. */
export const PARTS_MARK = '//@ttyconf-parts ';
/** Starts a side module's line, followed by its name and a space. */
export const SIDE_MARK = '//@ttyconf-side ';
/** Ends a program kept on several lines (--no-minify). */
export const END_MARK = '//@ttyconf-end';

/** The process event the UI emits once its first screen is up: the loader keeps its code cache then. */
export const FIRST_SCREEN_EVENT = 'ttyconf-first-screen';

/**
 * A code cache file's first line: which V8 made it and for which program (a hash of its text),
 * padded with spaces so that the cache after its newline starts 16-byte aligned in the buffer it is
 * read into. V8 copies cached data that is not 8-byte aligned: 256 KB more to allocate and touch at
 * every start.
 */
export function cacheHeader(v8: string, programId: string): string {
  const line = `ttyconf-code-cache v8=${v8} id=${programId}`;
  return line.padEnd(Math.ceil((line.length + 1) / 16) * 16 - 1, ' ');
}

export function parseCacheHeader(line: string): { v8: string; programId: string } | null {
  const m = /^ttyconf-code-cache v8=(\S+) id=(\S+) *$/.exec(line);
  return m ? { v8: m[1]!, programId: m[2]! } : null;
}
