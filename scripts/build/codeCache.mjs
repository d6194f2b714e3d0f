// The bundle's V8 code cache (FILE.cache beside it): made by running the freshly built bundle.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './project.mjs';

/**
 * Runs the freshly written bundle's UI on the demo tree in a pseudo-terminal up to its first
 * screen and quits it. The loader writes the cache when the first screen is up
 * (TTYCONF_BUILD_CODE_CACHE_OUT): every function of the program compiled by then, the start path
 * and the first screen (the side modules have none). Null, with the reason, when it cannot.
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
          // Let the work after the first paint finish, then quit with q.
          setTimeout(() => p.write('q'), 300);
        }
      });
      p.onExit(({ exitCode }) => {
        clearTimeout(timer);
        done({ exitCode, quit });
      });
    });
    if (!result.quit) return { cache: null, why: 'the UI did not show its first screen within 30 s' };
    try {
      return { cache: readFileSync(out), why: null };
    } catch {
      return { cache: null, why: `the UI wrote no cache (exit ${result.exitCode})` };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
