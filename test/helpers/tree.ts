import { chmodSync, cpSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';

export const PROJECT = fileURLToPath(new URL('../..', import.meta.url));
export const DEMO = join(PROJECT, 'demo', 'centos7');
/** A CentOS Stream 9 machine: NetworkManager keyfiles, no ifcfg files. */
export const DEMO_EL9 = join(PROJECT, 'demo', 'el9');
const KEYFILES = join('etc', 'NetworkManager', 'system-connections');
export const BIN = join(PROJECT, 'bin', 'ttyconf.js');

/** A temp copy of the demo tree (or an empty temp root). */
export function tempRoot(from: string | null = DEMO): string {
  const dir = mkdtempSync(join(tmpdir(), 'ttyconf-test-'));
  if (from) cpSync(from, dir, { recursive: true });
  // git keeps no 0600 mode, and NetworkManager ignores a keyfile that others may read.
  const keyfiles = join(dir, KEYFILES);
  if (existsSync(keyfiles)) for (const n of readdirSync(keyfiles)) chmodSync(join(keyfiles, n), 0o600);
  return dir;
}

export function removeRoot(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** A `root()` that makes a temp copy of the demo tree, removed after each test. */
export function useTempRoots(from: string | null = DEMO): () => string {
  let roots: string[] = [];
  afterEach(() => {
    roots.forEach(removeRoot);
    roots = [];
  });
  return () => {
    const r = tempRoot(from);
    roots.push(r);
    return r;
  };
}

export const IFCFG = 'etc/sysconfig/network-scripts';

export function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

/**
 * What bash reads from a file: sources it in a clean environment and prints each key's value
 * (NUL-separated). A canary file proves that sourcing ran no command.
 */
export function bashRead(file: string, keys: readonly string[]): Record<string, string | null> {
  const script = `. "$1" >/dev/null 2>&1; for k in ${keys.join(' ')}; do if [ -n "\${!k+x}" ]; then printf '%s=%s\\0' "$k" "\${!k}"; else printf '%s\\0' "$k"; fi; done`;
  const out = execFileSync('/bin/bash', ['--norc', '--noprofile', '-c', script, 'bash', file], {
    env: { PATH: '/usr/bin:/bin' },
    encoding: 'utf8',
  });
  const result: Record<string, string | null> = {};
  for (const item of out.split('\0').filter((x) => x !== '')) {
    const eq = item.indexOf('=');
    if (eq < 0) result[item] = null;
    else result[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return result;
}

/**
 * Every file under a tree (root-relative path -> its bytes, or the target of a link, with its mode),
 * to prove a command changed nothing.
 */
export function treeBytes(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) walk(p);
      else if (n.isSymbolicLink()) m.set(p.slice(dir.length), `-> ${readlinkSync(p)}`);
      else m.set(p.slice(dir.length), `${(lstatSync(p).mode & 0o7777).toString(8)} ${readFileSync(p, 'latin1')}`);
    }
  };
  walk(dir);
  return m;
}
