// A file that is not a regular file (a directory, a FIFO, a device, a link to /dev/urandom) or that is
// too large never hangs or stops ttyconf: it becomes a warning naming it, everything else still
// shows, and a change that would replace it is refused naming it. Runs in a child process with a
// timeout, so a hang fails the test instead of freezing it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCurrent } from '../../src/core.js';
import { Root } from '../../src/files/root.js';
import { MAX_FILE_BYTES, readRegularFile } from '../../src/files/safeRead.js';
import { BIN, IFCFG, read, useTempRoots } from '../helpers/tree.js';

const root = useTempRoots();
const asRoot = process.getuid?.() === 0;

type Kind = 'directory' | 'fifo' | 'char-device' | 'link-to-urandom' | 'too-large';
const KINDS: readonly Kind[] = ['directory', 'fifo', 'char-device', 'link-to-urandom', 'too-large'];
const REASON: Record<Kind, RegExp> = {
  'directory': /is a directory, not a file/,
  'fifo': /is a FIFO \(named pipe\), not a file/,
  'char-device': /is a character device, not a file/,
  'link-to-urandom': /is a character device, not a file/,
  'too-large': /is larger than 10485760 bytes/,
};

function mknod(path: string, major: number, minor: number): void {
  const r = spawnSync('mknod', [path, 'c', String(major), String(minor)]);
  if (r.status !== 0) throw new Error(`mknod ${path}: ${r.stderr}`);
}

/** Replaces `rel` in the tree with something that is not a readable regular file. */
function makeSpecial(tree: string, rel: string, kind: Kind): void {
  const abs = join(tree, rel);
  rmSync(abs, { recursive: true, force: true });
  mkdirSync(dirname(abs), { recursive: true });
  switch (kind) {
    case 'directory':
      mkdirSync(abs);
      writeFileSync(join(abs, 'inside'), 'DEVICE=eth1\n');
      return;
    case 'fifo':
      if (spawnSync('mkfifo', [abs]).status !== 0) throw new Error(`mkfifo ${abs}`);
      return;
    case 'char-device':
      mknod(abs, 1, 5); // /dev/zero: reads never end
      return;
    case 'link-to-urandom':
      // Under a tree an absolute link resolves inside it: the tree's own dev/urandom (a real device node).
      mkdirSync(join(tree, 'dev'), { recursive: true });
      rmSync(join(tree, 'dev/urandom'), { force: true });
      mknod(join(tree, 'dev/urandom'), 1, 9);
      symlinkSync('/dev/urandom', abs);
      return;
    case 'too-large':
      writeFileSync(abs, '# big\n');
      truncateSync(abs, MAX_FILE_BYTES + 1);
      return;
  }
}

function ttyconf(...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  if (r.error) throw r.error;
  if (r.signal) throw new Error(`ttyconf ${argv.join(' ')} did not end (killed after the timeout): it hung`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

// Two groups, so that each file is special once while the others of its group still show.
const GROUPS = [
  { files: [`${IFCFG}/ifcfg-eth1`, 'etc/hostname', 'etc/resolv.conf', 'etc/ttyconf/ttyconf.conf'], set: ['set', 'hostname', 'new.example.com'], refused: 'etc/hostname', still: /eth0/ },
  { files: [`${IFCFG}/ifcfg-eth0`, 'etc/hosts', 'etc/sysconfig/network', 'sys/class/net/eth1/operstate'], set: ['set', 'hostname', 'new.example.com'], refused: 'etc/hosts', still: /Hostname:\s+localhost\.localdomain[\s\S]*eth1/ },
] as const;

describe('a config file that is not a regular file', () => {
  for (const kind of KINDS) {
    const needsRoot = kind === 'char-device' || kind === 'link-to-urandom';
    for (const [g, group] of GROUPS.entries()) {
      it.skipIf(needsRoot && !asRoot)(`${kind} (group ${g + 1}): show warns naming each file and shows the rest; set is refused naming it`, () => {
        const r = root();
        for (const f of group.files) makeSpecial(r, f, kind);
        const shown = ttyconf('show', '--root', r);
        expect(shown.code, shown.err).toBe(0);
        expect(shown.out).toMatch(group.still);
        for (const f of group.files) {
          if (f.startsWith('sys/')) continue; // a sysfs attribute reads as unknown, without a warning
          if (f === 'etc/ttyconf/ttyconf.conf') continue; // the console's settings: shown by the console
          const line = shown.out.split('\n').find((l) => l.includes(`${f}: `));
          expect(line, `no warning names ${f}:\n${shown.out}`).toMatch(REASON[kind]);
        }
        const json = ttyconf('show', '--json', '--root', r);
        expect(json.code).toBe(0);
        const files = (JSON.parse(json.out) as { warnings: { file: string | null }[] }).warnings.map((w) => w.file);
        for (const f of group.files.filter((x) => x.startsWith('etc/') && !x.startsWith('etc/ttyconf'))) expect(files).toContain(f);

        const set = ttyconf(...group.set, '--root', r, '--no-apply');
        expect(set.code, set.out + set.err).toBe(1);
        expect(set.err).toMatch(new RegExp(`cannot write ${group.refused.replace(/\//g, '\\/')}: .*not a file|larger than`));
        expect(set.err).toContain('nothing was written');
      }, 120_000);
    }
  }

  it('the settings file as a FIFO: the defaults and a warning naming it (no hang)', () => {
    const r = root();
    makeSpecial(r, 'etc/ttyconf/ttyconf.conf', 'fifo');
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `
      const { readSettings } = await import(${JSON.stringify(new URL('../../dist/settings.js', import.meta.url).href)});
      const { Root } = await import(${JSON.stringify(new URL('../../dist/files/root.js', import.meta.url).href)});
      console.log(JSON.stringify((await readSettings(new Root(${JSON.stringify(r)}))).warnings));
    `], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    expect(run.signal).toBeNull();
    expect(run.stdout).toMatch(/etc\/ttyconf\/ttyconf.conf: is a FIFO \(named pipe\), not a file; using every default/);
  });

  it('the status (what the console shows) keeps every other interface when ifcfg-eth1 is a directory', async () => {
    const r = root();
    makeSpecial(r, `${IFCFG}/ifcfg-eth1`, 'directory');
    const c = await readCurrent(new Root(r), { run: null });
    expect(c.status.interfaces.map((i) => i.name)).toEqual(expect.arrayContaining(['eth0', 'eth1']));
    expect(c.status.warnings).toContainEqual(expect.objectContaining({ file: `${IFCFG}/ifcfg-eth1`, message: expect.stringMatching(/is a directory/) }));
    expect(read(r, `${IFCFG}/ifcfg-eth0`)).toContain('DEVICE=eth0');
  });

  it('network-scripts itself a file: a warning, and hostname and DNS still show', () => {
    const r = root();
    rmSync(join(r, IFCFG), { recursive: true });
    writeFileSync(join(r, IFCFG), 'not a directory\n');
    const shown = ttyconf('show', '--root', r);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.out).toMatch(/Hostname:\s+localhost/);
    expect(shown.out).toMatch(new RegExp(`${IFCFG}: cannot be listed: a component of the path is not a directory \\(ENOTDIR\\)`));
  });
});

describe('readRegularFile', () => {
  it.each([
    ['/dev/zero', /character device/],
    ['/dev/urandom', /character device/],
    ['/dev/null', /character device/],
    ['/proc/self', /directory/],
  ])('%s is refused at once', (path, reason) => {
    const r = readRegularFile(path);
    expect(r.kind).toBe('unreadable');
    if (r.kind === 'unreadable') expect(r.reason).toMatch(reason);
  });

  it('a FIFO with no writer is refused at once (O_NONBLOCK), a missing file is missing', () => {
    const r = root();
    const fifo = join(r, 'fifo');
    spawnSync('mkfifo', [fifo]);
    expect(readRegularFile(fifo)).toEqual({ kind: 'unreadable', reason: 'is a FIFO (named pipe), not a file' });
    expect(readRegularFile(join(r, 'nothing'))).toEqual({ kind: 'missing' });
  });

  it('reads a file of exactly the limit, refuses one byte more', () => {
    const r = root();
    const f = join(r, 'f');
    writeFileSync(f, 'x'.repeat(100));
    expect(readRegularFile(f, { limit: 100 }).kind).toBe('file');
    expect(readRegularFile(f, { limit: 99 })).toEqual({ kind: 'unreadable', reason: 'is larger than 99 bytes (100)' });
  });

  it('reads to the end whatever size the file reports: /proc (0), sysfs (4096), a file beyond the first buffer', () => {
    const proc = readRegularFile('/proc/self/status');
    expect(proc.kind).toBe('file');
    if (proc.kind === 'file') expect(proc.data.toString('utf8')).toMatch(/^Name:[\s\S]*\nPid:/);
    const sys = readRegularFile('/sys/class/net/lo/address');
    if (sys.kind !== 'missing') expect(sys).toEqual({ kind: 'file', data: Buffer.from('00:00:00:00:00:00\n') });
    const r = root();
    const f = join(r, 'big');
    const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => i % 251));
    writeFileSync(f, bytes);
    const big = readRegularFile(f);
    expect(big.kind === 'file' && big.data.equals(bytes)).toBe(true);
    writeFileSync(f, '');
    expect(readRegularFile(f)).toEqual({ kind: 'file', data: Buffer.alloc(0) });
  });

  it('reads files around the first 4 KiB read whole, and refuses them beyond the limit', () => {
    const r = root();
    for (const size of [1, 511, 512, 513, 4095, 4096, 4097, 8192, 70_000]) {
      const f = join(r, `f${size}`);
      const bytes = Buffer.from(Array.from({ length: size }, (_, i) => (i * 7) % 256));
      writeFileSync(f, bytes);
      expect(readRegularFile(f), `${size}`).toEqual({ kind: 'file', data: bytes });
      expect(readRegularFile(f, { limit: size }), `${size}`).toEqual({ kind: 'file', data: bytes });
      expect(readRegularFile(f, { limit: size - 1 }), `${size}`).toEqual({ kind: 'unreadable', reason: `is larger than ${size - 1} bytes (${size})` });
    }
  });

  it('a file that reports 0 bytes and holds more than its first buffers is read whole, or refused beyond the limit', () => {
    // /proc/self/environ reports 0 bytes and does not change while the process runs.
    const whole = readFileSync('/proc/self/environ');
    expect(whole.length).toBeGreaterThan(512);
    expect(readRegularFile('/proc/self/environ')).toEqual({ kind: 'file', data: whole });
    expect(readRegularFile('/proc/self/status', { limit: 600 })).toEqual({ kind: 'unreadable', reason: 'is larger than 600 bytes' });
  });
});
