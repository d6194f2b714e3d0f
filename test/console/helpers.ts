import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Tty, parseTty } from '../../src/console/tty.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));
export const UNITS_SRC = join(REPO, 'systemd');

export function tempRoot(prefix = 'ttyconf-console-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Installs ttyconf's units under `root` where the RPM puts them. */
export function installPackageUnits(root: string): void {
  mkdirSync(join(root, 'usr/lib/systemd/system'), { recursive: true });
  mkdirSync(join(root, 'usr/share/ttyconf'), { recursive: true });
  cpSync(join(UNITS_SRC, 'ttyconf@.service'), join(root, 'usr/lib/systemd/system/ttyconf@.service'));
  cpSync(join(UNITS_SRC, 'ttyconf-serial.conf'), join(root, 'usr/share/ttyconf/ttyconf-serial.conf'));
}

/** Every entry under `dir`: path -> "dir", "link:TARGET" or "file:MODE:CONTENT". */
export function snapshotTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const p = rel ? `${rel}/${name}` : name;
      const st = lstatSync(join(dir, p));
      if (st.isSymbolicLink()) out[p] = `link:${readlinkSync(join(dir, p))}`;
      else if (st.isDirectory()) {
        out[p] = 'dir';
        walk(p);
      } else out[p] = `file:${(st.mode & 0o7777).toString(8)}:${readFileSync(join(dir, p), 'utf8')}`;
    }
  };
  if (existsSync(dir)) walk('');
  return out;
}

export function write(root: string, rel: string, content: string, mode = 0o644): void {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), content, { mode });
}

/** A terminal name parsed as ttyconf parses it (a test that names a bad one fails here). */
export function tty(name: string): Tty {
  const t = parseTty(name);
  if (!t.ok) throw new Error(t.error);
  return t.value;
}
