// Every failure of the lock, the journal, the backup or the commit names the file, gives the cause in
// words, and says whether anything was written: on a full file system at every amount of free space
// from none up to enough, and on a read-only one. Needs root to mount a small tmpfs; skipped otherwise.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { DEMO } from '../helpers/tree.js';

function tryMount(): string | null {
  if (process.getuid?.() !== 0) return 'not root: cannot mount a small tmpfs';
  const d = mkdtempSync(join(tmpdir(), 'ttyconf-mnt-probe-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', d]);
  if (r.status !== 0) {
    rmdirSync(d);
    return `mount -t tmpfs failed: ${r.stderr.toString().trim()}`;
  }
  spawnSync('umount', [d]);
  rmdirSync(d);
  return null;
}

const cannot = tryMount();
if (cannot) console.warn(`SKIPPED full-disk and read-only tests: ${cannot}`);

let mounts: string[] = [];
afterEach(() => {
  for (const m of mounts) {
    spawnSync('umount', ['-l', m]);
    rmdirSync(m);
  }
  mounts = [];
});

/** A copy of the demo tree on its own tmpfs of `size` bytes. */
function mountTree(size: number): string {
  const d = mkdtempSync(join(tmpdir(), 'ttyconf-mnt-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', d]);
  if (r.status !== 0) throw new Error(`mount: ${r.stderr}`);
  mounts.push(d);
  cpSync(DEMO, d, { recursive: true });
  return d;
}

function free(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

/** Fills the file system until `leave` bytes are free. */
function fill(dir: string, leave: number): void {
  const n = free(dir) - leave;
  if (n > 0) writeFileSync(join(dir, 'filler'), Buffer.alloc(n));
}

/** The tree's files (not ttyconf's own state, not the filler): what a failure must leave as it was. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        // ttyconf's own records: backups and jobs, and the audit log (a tree's stand-in for the journal).
        if (!p.endsWith('var/lib/ttyconf') && !p.endsWith('var/log/ttyconf')) walk(p);
      } else if (e.name !== 'filler') out[p.slice(dir.length)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

const FAILED = /^ttyconf: cannot write (\S+): (.*); (nothing was written|the files already replaced were put back): every file is as it was before\n$/;

describe.skipIf(cannot !== null)('a full file system', () => {
  it('with no space at the lock file: names the lock file, says no space is left and that nothing was written', async () => {
    const r = mountTree(1024 * 1024);
    mkdirSync(join(r, 'var/lib/ttyconf/jobs'), { recursive: true });
    fill(r, 0);
    const before = files(r);
    const res = await cli('set', 'dns', '192.0.2.99', '--root', r, '--no-apply');
    expect(res.code).toBe(1);
    expect(res.err).toBe('ttyconf: cannot write var/lib/ttyconf/jobs/active: cannot take the lock that keeps changes one at a time: ' +
      'no space left on device (ENOSPC); nothing was written: every file is as it was before\n');
    expect(files(r)).toEqual(before);
    // No empty lock is left to stop the next run.
    expect(readdirSync(join(r, 'var/lib/ttyconf/jobs'))).toEqual([]);
  });

  it('at every amount of free space up to enough: done, or a failure that names the file, the cause, and what was written', async () => {
    const stages = new Set<string>();
    let done = false;
    for (let pages = 0; pages < 64 && !done; pages++) {
      const r = mountTree(1024 * 1024);
      mkdirSync(join(r, 'var/lib/ttyconf/jobs'), { recursive: true });
      fill(r, pages * 4096);
      const before = files(r);
      const res = await cli('set', 'hostname', 'full.example.com', '--root', r, '--no-apply');
      if (res.code === 0) {
        done = true;
        expect(readFileSync(join(r, 'etc/hostname'), 'utf8')).toBe('full.example.com\n');
        break;
      }
      expect(res.code, res.err).toBe(1);
      const m = FAILED.exec(res.err);
      expect(m, `${pages} free pages: ${res.err}`).not.toBeNull();
      expect(m![2]).toContain('no space left on device (ENOSPC)');
      stages.add(m![1]!.replace(/\d{8}-\d{6}-[0-9a-f]+/, 'ID'));
      expect(files(r), `${pages} free pages`).toEqual(before);
      spawnSync('umount', ['-l', r]);
    }
    expect(done, 'the change never fit').toBe(true);
    // The failures met more than one stage (the lock, the journal, the backup, the files).
    expect(stages.size, [...stages].join(', ')).toBeGreaterThan(1);
  }, 180_000);
});

describe.skipIf(cannot !== null)('a read-only file system', () => {
  function readOnly(r: string): void {
    const res = spawnSync('mount', ['-o', 'remount,ro', r]);
    if (res.status !== 0) throw new Error(`remount ro: ${res.stderr}`);
  }

  it('without var/lib/ttyconf: the cause is "read-only file system", not ENOENT, and nothing was written', async () => {
    const r = mountTree(1024 * 1024);
    readOnly(r);
    const res = await cli('set', 'dns', '192.0.2.99', '--root', r, '--no-apply');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(FAILED);
    expect(res.err).toContain('read-only file system (EROFS)');
    expect(res.err).not.toContain('ENOENT');
    expect((await cli('show', '--root', r)).code).toBe(0);
  });

  it('with var/lib/ttyconf/jobs already there: the same', async () => {
    const r = mountTree(1024 * 1024);
    mkdirSync(join(r, 'var/lib/ttyconf/jobs'), { recursive: true });
    readOnly(r);
    const res = await cli('set', 'hostname', 'ro.example.com', '--root', r, '--no-apply');
    expect(res.code).toBe(1);
    expect(res.err).toBe('ttyconf: cannot write var/lib/ttyconf/jobs/active: cannot take the lock that keeps changes one at a time: ' +
      'read-only file system (EROFS); nothing was written: every file is as it was before\n');
  });
});
