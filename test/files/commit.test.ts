// The atomic multi-file commit: lands whole or not at all, backs up, keeps mode and owner.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { atomicCommit } from '../../src/files/commit.js';
import { Root } from '../../src/files/root.js';
import { cli } from '../helpers/cli.js';
import { BIN, IFCFG, read, useTempRoots } from '../helpers/tree.js';

const root = useTempRoots();

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) {
        // The backups, the jobs and the audit log (a tree's stand-in for the journal) are ttyconf's own records.
        const own = ['var/lib/ttyconf/backups', 'var/lib/ttyconf/jobs', 'var/log/ttyconf'];
        if (!own.some((o) => p.endsWith(o))) walk(p);
      } else out[p.slice(dir.length)] = readFileSync(p, 'latin1');
    }
  };
  walk(dir);
  return out;
}

const writes = (n: number) => [
  { path: `${IFCFG}/ifcfg-eth0`, content: Buffer.from(`DEVICE=eth0\nNEW=${n}\n`) },
  { path: 'etc/resolv.conf', content: Buffer.from(`nameserver 192.0.2.${n}\n`) },
  { path: 'etc/hostname', content: Buffer.from(`host${n}\n`) },
];

describe('atomicCommit', () => {
  it('a failure in the middle puts back the files already replaced and leaves no temp file', async () => {
    const r = root();
    const before = snapshot(r);
    let renames = 0;
    const res = await atomicCommit(new Root(r), writes(1), {
      beforeRename: (p) => {
        if (++renames === 3) throw Object.assign(new Error('disk on fire'), { code: 'EIO' });
        void p;
      },
    });
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.file).toBe('etc/hostname');
      expect(res.error.cause).toBe('input/output error (EIO)');
      expect(res.error.restored).toBe(true);
    }
    expect(snapshot(r)).toEqual(before);
  });

  it('reports the backup folder before the first file is replaced', async () => {
    const r = root();
    const seen: string[] = [];
    const res = await atomicCommit(new Root(r), writes(3), {
      onBackup: (dir) => void seen.push(`backup ${dir} ${readFileSync(join(r, dir, 'files/etc/hostname'), 'utf8').trim()}`),
      beforeRename: (p) => void seen.push(`rename ${p}`),
    });
    expect(res.ok).toBe(true);
    if (res.ok) expect(seen[0]).toBe(`backup ${res.value.backupDir} localhost.localdomain`);
    expect(seen.slice(1)).toEqual(writes(3).map((w) => `rename ${w.path}`));
  });

  it('a new file is removed again when the change fails', async () => {
    const r = root();
    const before = snapshot(r);
    const res = await atomicCommit(new Root(r), [
      { path: `${IFCFG}/ifcfg-eth9`, content: Buffer.from('DEVICE=eth9\n') },
      { path: 'etc/hostname', content: Buffer.from('x\n') },
    ], { beforeRename: (p) => { if (p === 'etc/hostname') throw new Error('injected'); } });
    expect(res.ok).toBe(false);
    expect(existsSync(join(r, IFCFG, 'ifcfg-eth9'))).toBe(false);
    expect(snapshot(r)).toEqual(before);
  });

  it('backs up every replaced file with its mode and keeps mode and owner on the new file', async () => {
    const r = root();
    chmodSync(join(r, 'etc/resolv.conf'), 0o640);
    chownSync(join(r, 'etc/resolv.conf'), 123, 456);
    const old = read(r, 'etc/resolv.conf');
    const res = await atomicCommit(new Root(r), writes(2));
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    const st = statSync(join(r, 'etc/resolv.conf'));
    expect([st.mode & 0o777, st.uid, st.gid]).toEqual([0o640, 123, 456]);
    expect(read(r, 'etc/resolv.conf')).toBe('nameserver 192.0.2.2\n');
    const backup = join(r, res.value.backupDir, 'files', 'etc/resolv.conf');
    expect(readFileSync(backup, 'utf8')).toBe(old);
    expect(statSync(backup).mode & 0o777).toBe(0o640);
    const manifest = JSON.parse(readFileSync(join(r, res.value.backupDir, 'manifest.json'), 'utf8'));
    expect(manifest.files).toContainEqual({ path: 'etc/resolv.conf', existed: true, mode: 0o640, uid: 123, gid: 456 });
  });

  it('keeps the last 10 backups', async () => {
    const r = root();
    for (let i = 0; i < 12; i++) {
      const res = await atomicCommit(new Root(r), writes(i), { now: () => new Date(Date.UTC(2026, 0, 1, 0, 0, i)) });
      expect(res.ok).toBe(true);
    }
    const dirs = readdirSync(join(r, 'var/lib/ttyconf/backups')).sort();
    expect(dirs).toHaveLength(10);
    expect(dirs[0]).toMatch(/^20260101-000002-/);
  });

  it('writes through a symlinked file to its target', async () => {
    const r = root();
    writeFileSync(join(r, 'etc/hosts.real'), '127.0.0.1 localhost\n');
    const { rmSync } = await import('node:fs');
    rmSync(join(r, 'etc/hosts'));
    symlinkSync('hosts.real', join(r, 'etc/hosts'));
    const res = await atomicCommit(new Root(r), [{ path: 'etc/hosts', content: Buffer.from('new\n') }]);
    expect(res.ok).toBe(true);
    expect(read(r, 'etc/hosts.real')).toBe('new\n');
    expect(statSync(join(r, 'etc/hosts')).isFile()).toBe(true);
  });
});

describe('interrupted runs', () => {
  it('temp files an interrupted run left are removed by the next run, and nothing else changes', async () => {
    const r = root();
    const stale = [join(r, IFCFG, '.ifcfg-eth0.ttyconf-tmp-0badf00d'), join(r, 'etc', '.resolv.conf.ttyconf-tmp-12345678')];
    for (const s of stale) writeFileSync(s, 'half-written');
    const before = snapshot(r);
    const res = await cli('set', 'dns', '192.0.2.53', '--search', 'lab.example.com', '--root', r);
    expect(res.code).toBe(0);
    for (const s of stale) expect(existsSync(s)).toBe(false);
    const after = snapshot(r);
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(changed.sort()).toEqual([`/${IFCFG}/ifcfg-eth0`]);
    // resolv.conf already said the same, so it was not rewritten.
    expect(after['/etc/resolv.conf']).toBe(before['/etc/resolv.conf']);
  });
});

describe('a read-only directory', () => {
  it('fails with exit 1 naming the file, and leaves every file as it was', () => {
    const r = root();
    // Root ignores directory permissions, so the run drops to an unprivileged user.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) spawnSync('chown', ['-R', '65534:65534', r]);
    chmodSync(r, 0o755);
    mkdirSync(join(r, 'var/lib/ttyconf'), { recursive: true });
    if (asRoot) spawnSync('chown', ['-R', '65534:65534', join(r, 'var')]);
    chmodSync(join(r, 'etc'), 0o555);
    const before = snapshot(r);
    const argv = [BIN, 'set', 'dns', '192.0.2.99', '--root', r];
    const run = asRoot
      ? spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, ...argv], { encoding: 'utf8' })
      : spawnSync(process.execPath, argv, { encoding: 'utf8' });
    chmodSync(join(r, 'etc'), 0o755);
    expect(run.stderr).toMatch(/cannot write etc\/resolv.conf: permission denied \(EACCES\); nothing was written: every file is as it was before/);
    expect(run.status).toBe(1);
    expect(snapshot(r)).toEqual(before);
  });
});
